import { lstat, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reseal } from './reseal.js';
import { chain, gatedExecutor, Sandbox } from './sandbox.js';

// Issue 17: `status` and `plan` change nothing on disk, whatever they find; `run` (holding the lock) is the only
// one that repairs, and it says what it recovered and from where. Every state here starts from a run killed with
// SIGKILL after two of five workstreams completed: a checkpoint, its backup, a journal of two records, a stale lock.

let sandbox: Sandbox;
let feature: string;
const ids = chain(75, 5).map((spec) => spec.id);
const stateDir = () => join(sandbox.cwd, '.sdp');
const main = () => sandbox.checkpointFile('F075');
const backup = () => `${main()}.bak`;
const journal = () => `${main()}.journal`;

/** Every file under `.sdp/` with its bytes, type and mtime: what "byte-for-byte unchanged" compares. */
async function snapshot(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const stats = await lstat(path);
      if (entry.isDirectory()) {
        files.set(`${relative(stateDir(), path)}/`, `dir ${stats.mtimeMs}`);
        await walk(path);
      } else {
        files.set(relative(stateDir(), path), `${stats.mtimeMs} ${(await readFile(path)).toString('base64')}`);
      }
    }
  };
  await walk(stateDir());
  return files;
}

function flipByteAt(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0x04;
  return copy;
}

/** Flips a byte in the middle of the timestamp: still valid JSON, only the checksum can tell. */
async function flip(path: string): Promise<void> {
  const bytes = await readFile(path);
  await writeFile(path, flipByteAt(bytes, bytes.indexOf('"timestamp":"') + 16));
}

/** Damages the journal record that holds the completion of `id` (other records hold starts and attempt handles). */
async function flipJournalRecordOf(id: string): Promise<void> {
  const bytes = await readFile(journal());
  const record = bytes
    .toString('utf8')
    .split('\n')
    .find((line) => line.includes(`"completed":["${id}"]`));
  if (record === undefined) throw new Error(`no journal record holds the completion of ${id}`);
  await writeFile(journal(), flipByteAt(bytes, bytes.indexOf(record) + 20));
}

beforeEach(async () => {
  sandbox = await Sandbox.create();
  feature = await sandbox.writeFeature('feature', chain(75, 5));
  const run = sandbox.start(['run', feature, '--exec', gatedExecutor], { GATE_IDS: ids[2]! });
  await sandbox.started(ids[2]!);
  process.kill(-run.pid, 'SIGKILL');
  await run.done;
  await sandbox.killAll();
  expect(await sandbox.checkpointFiles()).toEqual([
    'F075-checkpoint.json',
    'F075-checkpoint.json.bak',
    'F075-checkpoint.json.journal',
    'F075-checkpoint.json.lock',
  ]);
  await rm(sandbox.runLog, { force: true });
});

afterEach(async () => {
  await sandbox.cleanup();
});

interface State {
  readonly name: string;
  readonly make: () => Promise<void>;
  /** What `status` names (finding kinds, as `status --json` gives them). */
  readonly problems: readonly string[];
  /** `run`: its exit code, the workstreams it runs, and what its stderr says it recovered. */
  readonly run: { readonly code: number; readonly starts: readonly string[]; readonly stderr: RegExp | '' };
}

const resumed = ids.slice(2);
const states: State[] = [
  {
    name: 'a stale lock and a leftover journal (a killed run)',
    make: () => Promise.resolve(),
    problems: ['lock-stale'],
    run: { code: 0, starts: resumed, stderr: '' },
  },
  {
    name: 'a damaged checkpoint',
    make: () => flip(main()),
    problems: ['checkpoint-damaged', 'lock-stale'],
    run: {
      code: 0,
      starts: resumed,
      stderr:
        /checkpoint .*F075-checkpoint\.json \(checksum mismatch.*\) restored from its backup \(2 completed workstreams, \d+ journal records replayed\); the damaged file is kept at .*\.corrupt-/,
    },
  },
  {
    name: 'a damaged backup',
    make: () => flip(backup()),
    problems: ['backup-damaged', 'lock-stale'],
    run: {
      code: 0,
      starts: resumed,
      stderr: /backup .*\.bak \(checksum mismatch.*\) written again from the checkpoint; the damaged file is kept at .*\.bak\.corrupt-/,
    },
  },
  {
    name: 'a damaged checkpoint and backup',
    make: async () => {
      await flip(main());
      await flip(backup());
    },
    problems: ['checkpoint-damaged', 'backup-damaged', 'lock-stale'],
    run: { code: 2, starts: [], stderr: /is damaged \(checksum mismatch.*backup damaged too.*nothing was moved or removed.*--fresh/ },
  },
  {
    name: 'an unknown version ("2")',
    make: async () => {
      await writeFile(main(), reseal((await readFile(main(), 'utf8')).replace('"version":"1.0"', '"version":"2"')));
    },
    problems: ['checkpoint-version', 'lock-stale'],
    run: { code: 2, starts: [], stderr: /has format version "2".*left untouched/ },
  },
  {
    name: 'an empty version (Go), whose journal then names another file',
    make: async () => {
      const record = JSON.parse(await readFile(main(), 'utf8')) as Record<string, unknown>;
      delete record['writer'];
      delete record['checksum'];
      await writeFile(main(), JSON.stringify({ ...record, version: '' }, null, 2));
    },
    problems: ['journal-stale', 'lock-stale'],
    // The Go file holds what the run had saved whole (its start); the journal of the completions names the
    // checkpoint it replaced, so they run again.
    run: { code: 0, starts: ids, stderr: '' },
  },
  {
    name: 'a damaged journal record',
    make: () => flipJournalRecordOf(ids[0]!),
    problems: ['journal-damaged', 'lock-stale'],
    run: {
      code: 0,
      starts: [ids[0]!, ...resumed],
      stderr: /journal .*\.journal damaged: kept \d+ intact records? .*lost record \d+; the damaged file is kept at .*\.journal\.corrupt-/,
    },
  },
  {
    name: 'temp files of an interrupted write',
    make: async () => {
      await writeFile(`${main()}.new`, 'partial');
      await writeFile(`${main()}.tmp`, 'partial');
      await writeFile(`${main()}.bak.new.123`, 'partial');
    },
    problems: ['temp-file', 'temp-file', 'temp-file', 'lock-stale'],
    run: { code: 0, starts: resumed, stderr: '' },
  },
];

describe('status and plan change nothing, whatever they find; run repairs and says what it recovered', () => {
  it.each(states)('$name', async (state) => {
    await state.make();
    const before = await snapshot();
    for (const args of [
      ['status', feature],
      ['status', feature, '--json'],
      ['plan', feature],
    ]) {
      const result = await sandbox.run(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(args[0] === 'status' && state.run.code === 2 ? 2 : 0);
      expect(await snapshot(), args.join(' ')).toEqual(before);
    }
    const status = JSON.parse((await sandbox.run(['status', feature, '--json'])).stdout) as {
      state: string;
      problems: { kind: string; action: string }[];
    };
    expect(status.problems.map((problem) => problem.kind)).toEqual(state.problems);
    expect(status.state).toBe(state.run.code === 2 ? 'unusable' : 'recoverable');
    for (const problem of status.problems) expect(problem.action).toMatch(/^a run /);
    // The text says the same, and that nothing was changed.
    const text = (await sandbox.run(['status', feature])).stdout;
    expect(text).toContain('Found (nothing was changed):');
    expect(await snapshot()).toEqual(before);

    const run = await sandbox.run(['run', feature, '--exec', gatedExecutor]);
    expect(run.code, run.stderr).toBe(state.run.code);
    expect((await sandbox.starts()).sort()).toEqual([...state.run.starts].sort());
    if (state.run.stderr === '') expect(run.stderr).toBe('');
    else expect(run.stderr).toMatch(state.run.stderr);
    if (state.run.code === 2) {
      // Refused: every file is as it was (the stale lock was taken over and given back, which touches the folder).
      const after = await snapshot();
      for (const [path, content] of before) if (!path.endsWith('.lock') && !path.endsWith('/')) expect(after.get(path), path).toBe(content);
      expect([...after.keys()].filter((path) => !path.endsWith('/')).sort()).toEqual(
        [...before.keys()].filter((path) => !path.endsWith('/') && !path.endsWith('.lock')).sort(),
      );
    } else {
      // Completed: only the evidence of damage stays.
      for (const name of await sandbox.checkpointFiles()) expect(name).toMatch(/\.corrupt-\d{8}T\d{9}Z-0$/);
    }
  });
});
