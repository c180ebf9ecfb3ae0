/**
 * The power-loss model of checkpoint saves and updates (see src/power-loss.ts):
 * `pnpm --filter @sdp/crash-suite test:power-loss`. Records the file-system calls of real saves, updates
 * (journal appends and at least one automatic compaction), a compact() and a delete of @sdp/checkpoint with
 * strace (Linux, strace installed), then loads every disk state a power cut after any call may leave.
 * Exits 1 on a finding.
 *
 *   --saves <n>     checkpoints saved in a row (default 4)
 *   --updates <n>   updates after them, about 10 KiB each (default 10: a compaction after the 6th or so)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { explorePowerLoss, parseStrace } from '../src/power-loss.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { saves: { type: 'string' }, updates: { type: 'string' } },
});
const saves = Number(values.saves ?? 4);
const updates = Number(values.updates ?? 10);
const child = fileURLToPath(new URL('../src/fixtures/save-child.mjs', import.meta.url));
const root = await mkdtemp(join(tmpdir(), 'sdp-power-loss-record-'));
const dir = join(root, 'checkpoints');
const trace = join(root, 'trace.txt');

try {
  const calls = 'openat,write,pwrite64,fsync,fdatasync,close,rename,link,unlink';
  const recorder = spawn(
    'strace',
    ['-f', '-y', '-qq', '-e', `trace=${calls}`, '-o', trace, process.execPath, child, dir, String(saves), String(updates)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let initial = new Map<string, Buffer>();
  const contents = new Map<number, Buffer>();
  const journals = new Map<number, Buffer>();
  // The checkpoint file after each update: `contents` takes the compact()'s file for the last seq.
  const afterUpdate = new Map<number, Buffer>();
  let operation = '';
  for await (const line of createInterface({ input: recorder.stdout })) {
    const [word, first = '', second = ''] = line.split(' ');
    if (word === 'save' || word === 'update' || word === 'compact') operation = word;
    if (word === 'files')
      initial = new Map(
        Object.entries(JSON.parse(first) as Record<string, string>).map(([name, data]) => [name, Buffer.from(data, 'base64')]),
      );
    if (word === 'content') contents.set(Number(first), Buffer.from(second, 'base64'));
    if (word === 'content' && operation === 'update') afterUpdate.set(Number(first), Buffer.from(second, 'base64'));
    if (word === 'journal') journals.set(Number(first), Buffer.from(second, 'base64'));
  }
  const code = await new Promise((resolve) => recorder.on('close', resolve));
  if (code !== 0) throw new Error(`strace exited ${String(code)} (is strace installed?)`);

  const ops = parseStrace(await readFile(trace, 'utf8'), dir);
  const first = ops.findIndex((op) => op.kind === 'mark' && op.text === 'save 1');
  const recorded = ops.slice(first);
  // An update whose checkpoint file differs from the one before it compacted the journal.
  const compactions = Array.from({ length: updates }, (_, index) => saves + index + 1).filter(
    (seq) => !afterUpdate.get(seq)?.equals(afterUpdate.get(seq - 1) ?? contents.get(seq - 1) ?? Buffer.alloc(0)),
  );
  if (compactions.length === 0) throw new Error(`no update compacted the journal: pass more than ${updates} --updates`);
  console.log(
    `Recorded ${recorded.filter((op) => op.kind !== 'mark').length} file-system calls of ${saves} saves, ${updates} updates ` +
      `(compacting automatically at ${compactions.map((seq) => `#${seq - saves}`).join(', ')}), a compact() and a delete; cutting the power after each.`,
  );
  const report = await explorePowerLoss({ featureId: 'F080', initial, initialSeq: null, ops: recorded, contents, journals });
  console.log(
    `${report.states} disk states loaded: ${report.loadedResolved} gave the last resolved checkpoint, ${report.loadedInProgress} the one being written, ` +
      `${report.loadedNone} none (before the first save resolved, or during the delete); ${report.recovered} needed the backup.`,
  );
  for (const finding of report.findings.slice(0, 20)) console.log(`FINDING after call ${finding.after}: ${finding.what}`);
  if (report.findings.length > 0) {
    console.log(`${report.findings.length} findings`);
    process.exitCode = 1;
  } else console.log('No finding: after any power cut, load() returned the last resolved checkpoint or the one being written.');
} finally {
  await rm(root, { recursive: true, force: true });
}
