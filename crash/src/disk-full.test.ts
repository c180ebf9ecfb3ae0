import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CheckpointStore } from '@sdp/checkpoint';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatchChildPath } from './paths.js';
import { chain, gatedExecutor, Sandbox } from './sandbox.js';

// A full disk, for real writes: `prlimit` lowers a running process's RLIMIT_FSIZE (the soft limit only) so
// that neither checkpoint file can grow: a little above the journal's size, below the checkpoint file's. The
// next journal append then gets a real short write (the kernel writes what fits and returns the short
// count, as write() does when a disk fills mid-file) and EFBIG on the rest of its record; every whole save
// (the new checkpoint is larger than the one in place) gets a short write. The kernel also sends SIGXFSZ,
// which a real full disk (ENOSPC) never does; Node ignores it, and both the CLI and the child here keep
// write-file-atomic's signal-exit from turning it into death. What this does not simulate: other files and
// processes failing at the same time.
function limitFileSize(pid: number, bytes: number): void {
  execFileSync('prlimit', ['--pid', String(pid), `--fsize=${bytes}:`]);
}

/** Part of a journal record fits, not all of it (a record is a few hundred bytes). */
const PART_OF_A_RECORD = 16;

/**
 * Waits until `checkpointFile` loads as `state` (the write recording it landed; the run then writes nothing
 * until the gated workstream goes on), and returns the sizes of the file and of its journal.
 */
async function settle(checkpointFile: string, featureId: string, state: object): Promise<{ json: number; journal: number }> {
  const store = new CheckpointStore({ featureId, dir: join(checkpointFile, '..') });
  await vi.waitFor(async () => {
    expect(await store.load()).toMatchObject(state);
  });
  return { json: statSync(checkpointFile).size, journal: statSync(`${checkpointFile}.journal`).size };
}

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await Sandbox.create();
});
afterEach(async () => {
  await sandbox.cleanup();
});

const store = (dir: string, featureId: string) => new CheckpointStore({ featureId, dir });

describe('sdp-dispatch run when the checkpoint can no longer grow (file-size limit)', () => {
  // Enough workstreams that the whole checkpoint outgrows the journal of the first two (starts, attempt handles, one completion).
  const ws = chain(71, 14).map((spec) => spec.id);
  const [ws1, ws2] = ws as [string, string];
  const wsLast = ws.at(-1)!;
  /** The plain reporter's `[hh:mm:ss] checkpoint save failed: ...` lines, without the time. */
  const failedSaves = (stdout: string) =>
    stdout
      .split('\n')
      .map((line) => line.replace(/^\[\d\d:\d\d:\d\d\] /, ''))
      .filter((line) => line.startsWith('checkpoint save failed: '));

  it('reports every failed write and goes on; the last durable checkpoint stays; a resume redoes only the work it lacks', async () => {
    const feature = await sandbox.writeFeature('feature', chain(71, 14));
    const run = sandbox.start(['run', feature, '--exec', gatedExecutor, '-c', '1'], { GATE_IDS: ws2, FAIL_IDS: wsLast });
    await sandbox.started(ws2);
    const file = sandbox.checkpointFile('F071');
    const sizes = await settle(file, 'F071', { completed: [ws1], running: [ws2] });
    expect(sizes.journal + PART_OF_A_RECORD).toBeLessThan(sizes.json);
    limitFileSize(run.pid, sizes.journal + PART_OF_A_RECORD);
    const journal = readFileSync(`${file}.journal`);
    await sandbox.open(ws2);
    const result = await run.done;
    expect(result.code).toBe(1);
    await sandbox.killAll();

    // The append of ws2's completion hit the limit mid-record; every write after it was whole, and short.
    const [first, ...rest] = failedSaves(result.stdout).map((line) => sandbox.normalize(line));
    expect(first).toBe('checkpoint save failed: Error: EFBIG: file too large, write');
    expect(rest.length).toBeGreaterThanOrEqual(1);
    for (const line of rest) {
      expect(line).toMatch(
        /^checkpoint save failed: CheckpointWriteError: Checkpoint <tmp>\/cwd\/\.sdp\/checkpoints\/F071-checkpoint\.json was not replaced: the new file did not read back as written \(\d+ of \d+ bytes\)$/,
      );
    }
    // The last durable checkpoint: the JSON file and its journal as they were, the torn record cut off again.
    expect(await sandbox.checkpointFiles()).toEqual(['F071-checkpoint.json', 'F071-checkpoint.json.bak', 'F071-checkpoint.json.journal']);
    expect(readFileSync(`${file}.journal`)).toEqual(journal);
    expect(await store(sandbox.checkpointDir, 'F071').load()).toMatchObject({ completed: [ws1], failed: [], running: [ws2] });

    const resumed = await sandbox.run(['run', feature, '--exec', gatedExecutor, '-c', '1']);
    expect(resumed.code).toBe(0);
    const starts = await sandbox.starts();
    // ws1 was saved as completed: it never runs again. Everything else completes (at-least-once).
    expect(starts.filter((id) => id === ws1)).toEqual([ws1]);
    expect(new Set(starts)).toEqual(new Set(ws));
    expect(starts.slice(1 - ws.length)).toEqual(ws.slice(1));
    expect(await sandbox.checkpointFiles()).toEqual([]);
  });
});

describe('a Dispatcher whose checkpoint writes come up short (file-size limit, SIGXFSZ handled)', () => {
  interface ChildReport {
    outcome: string;
    totals: Record<string, number>;
    kept: boolean;
    checkpointErrors: { name: string; code: string; message: string }[];
  }

  /** Runs `dispatch-child.mjs`; when 00-072-02 is running and recorded so, the disk "fills" (see above). */
  async function runChild(mode: 'go-on' | 'stop', failIds: string): Promise<{ report: ChildReport; journal: Buffer }> {
    const dir = join(sandbox.root, 'checkpoints');
    const file = join(dir, 'F072-checkpoint.json');
    const child = spawn(process.execPath, [dispatchChildPath, dir, '6', mode], {
      env: sandbox.env({ GATE_IDS: '00-072-02', FAIL_IDS: failIds }),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let last = '';
    let journal = Buffer.alloc(0);
    for await (const line of createInterface({ input: child.stdout })) {
      if (line === 'gate 00-072-02') {
        const sizes = await settle(file, 'F072', { completed: ['00-072-01'], running: ['00-072-02'] });
        limitFileSize(child.pid ?? 0, sizes.journal + PART_OF_A_RECORD);
        journal = readFileSync(`${file}.journal`);
        child.stdin.write('go\n');
      } else last = line;
    }
    return { report: JSON.parse(last) as ChildReport, journal };
  }

  const shortAppend = { name: 'Error', code: 'EFBIG', message: 'EFBIG: file too large, write' };
  const shortSave = {
    name: 'CheckpointWriteError',
    code: 'CHECKPOINT_WRITE',
    message: expect.stringMatching(
      /^Checkpoint \S+F072-checkpoint\.json was not replaced: the new file did not read back as written \(\d+ of \d+ bytes\)$/,
    ) as unknown,
  };
  const kept = async () => {
    const dir = join(sandbox.root, 'checkpoints');
    return { checkpoint: await store(dir, 'F072').load(), journal: readFileSync(join(dir, 'F072-checkpoint.json.journal')) };
  };

  it('by default reports each failed write and goes on; the last durable checkpoint stays', async () => {
    const { report, journal } = await runChild('go-on', '00-072-06');
    expect(report).toMatchObject({ outcome: 'failed', totals: { completed: 5, failed: 1 }, kept: true });
    // The append first (its record torn by the limit, then cut off), then whole saves, each short.
    const [first, ...rest] = report.checkpointErrors;
    expect(first).toEqual(shortAppend);
    expect(rest.length).toBeGreaterThanOrEqual(2);
    for (const error of rest) expect(error).toEqual(shortSave);
    expect(await kept()).toEqual({
      checkpoint: expect.objectContaining({ completed: ['00-072-01'], failed: [], running: ['00-072-02'] }) as unknown,
      journal,
    });
  });

  it('with stopOnCheckpointError stops at the first failed write, with the last durable checkpoint kept', async () => {
    const { report, journal } = await runChild('stop', '');
    expect(report).toMatchObject({ outcome: 'checkpoint-error', kept: true });
    // The append that stopped the run, then the whole saves of its last state, which did not fit either.
    const [first, ...rest] = report.checkpointErrors;
    expect(first).toEqual(shortAppend);
    expect(rest.length).toBeGreaterThanOrEqual(1);
    for (const error of rest) expect(error).toEqual(shortSave);
    expect(report.totals['completed']).toBeLessThan(6);
    expect(await kept()).toEqual({
      checkpoint: expect.objectContaining({ completed: ['00-072-01'], running: ['00-072-02'] }) as unknown,
      journal,
    });
  });
});
