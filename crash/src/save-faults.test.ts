import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointStore, type Checkpoint } from '@sdp/checkpoint';
import { Dispatcher, type CheckpointEvent, type RunReport } from '@sdp/dispatcher';
import { DependencyGraph } from '@sdp/graph';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FsFaults, type FaultRule } from './fs-faults.js';
import { Sandbox } from './sandbox.js';

// I/O errors in the middle of a run, through the whole library stack: a Dispatcher with a real CheckpointStore
// on real files, faults injected into Node's `fs` for the files of this test's sandbox (see fs-faults.ts).
// The dispatcher writes the whole checkpoint at its first save, then journal updates; after a failed write the
// next one is whole again; a run that stops unfinished compacts the journal into the JSON file. Each test
// aims a fault at one of these writes: a journal append, a whole save, a compaction.
//
// The run: a chain of six workstreams at concurrency 1; each one, once started, waits for the checkpoint
// event of the write that records its start (W1 for ws1: whole; W2 creates the journal; W3.. append). Until
// it returns nothing else is written, so what is on disk then is exactly what that write left. ws6 fails,
// so the run stops unfinished and compacts.

let sandbox: Sandbox;
let faults: FsFaults;

beforeAll(async () => {
  faults = await FsFaults.install(() => sandbox.root);
});

afterAll(() => {
  vi.restoreAllMocks();
});

beforeEach(async () => {
  faults.reset();
  sandbox = await Sandbox.create();
});

afterEach(async () => {
  faults.reset();
  await sandbox.cleanup();
});

const ids = ['00-073-01', '00-073-02', '00-073-03', '00-073-04', '00-073-05', '00-073-06'];
const chainOf = (chain: readonly string[]) =>
  DependencyGraph.fromNodes(chain.map((id, index) => ({ id, dependsOn: index === 0 ? [] : [chain[index - 1]!] })));
const dir = () => join(sandbox.root, 'checkpoints');
const main = 'F073-checkpoint.json';
const journalPath = () => join(dir(), `${main}.journal`);
const load = (): Promise<Checkpoint | null> => new CheckpointStore({ featureId: 'F073', dir: dir() }).load();
const files = () => readdirSync(dir()).sort();
const journalBytes = () => (existsSync(journalPath()) ? readFileSync(journalPath()) : undefined);
/** Temp files of a save (staging, write-file-atomic's, links being renamed): there must be none once a write settled. */
const tempFiles = () => files().filter((name) => /\.new(?:\.\d+)?$|\.\d+$|\.link-[0-9a-f]{32}$/.test(name));

/** The checkpoint as the write that recorded the start of ws`n` left it. */
const startOf = (n: number, chain = ids) => ({ completed: chain.slice(0, n - 1), failed: [], running: [chain[n - 1]] });
const finalState = { completed: ids.slice(0, 5), failed: [ids[5]], running: [] };

interface Hooks {
  /** At the start of ws`n`, before the write that records it begins. */
  entry?: (n: number) => void;
  /** After that write's checkpoint event; nothing is written until this resolves. */
  saved?: (n: number, event: CheckpointEvent) => Promise<void>;
}

async function runChain(
  hooks: Hooks,
  { stopOnCheckpointError = false, chain = ids }: { stopOnCheckpointError?: boolean; chain?: readonly string[] } = {},
): Promise<{ report: RunReport; events: CheckpointEvent[] }> {
  const dispatcher = new Dispatcher(chainOf(chain), {
    featureId: 'F073',
    concurrency: 1,
    checkpoint: { dir: dir() },
    stopOnCheckpointError,
  });
  const events: CheckpointEvent[] = [];
  // A failed expectation in a hook would only fail the workstream: it is rethrown after the run instead.
  let hookError: Error | undefined;
  let waiting: ((event: CheckpointEvent | undefined) => void) | undefined;
  dispatcher.onCheckpoint((event) => {
    events.push(event);
    const resolve = waiting;
    waiting = undefined;
    resolve?.(event);
  });
  const report = await dispatcher.run(async (id, { signal }) => {
    const n = chain.indexOf(id) + 1;
    hooks.entry?.(n);
    const event = await new Promise<CheckpointEvent | undefined>((resolve) => {
      waiting = resolve;
      signal.addEventListener('abort', () => {
        resolve(undefined);
      });
    });
    if (event !== undefined) {
      await hooks.saved?.(n, event).catch((error: unknown) => {
        hookError ??= error instanceof Error ? error : new Error(String(error));
      });
    }
    signal.throwIfAborted();
    if (n === chain.length) throw new Error('the last workstream fails, so the run stops unfinished');
  });
  if (hookError !== undefined) throw hookError;
  return { report, events };
}

/** A second run with the disk working: it must execute exactly `expected`, complete, and leave nothing. */
async function expectResumeRuns(expected: readonly string[], chain = ids): Promise<void> {
  const executed: string[] = [];
  const report = await new Dispatcher(chainOf(chain), { featureId: 'F073', concurrency: 1, checkpoint: { dir: dir() } }).run((id) => {
    executed.push(id);
    return Promise.resolve();
  });
  expect(report).toMatchObject({ outcome: 'completed', resumed: true, checkpoint: { kept: false }, checkpointErrors: [] });
  expect(executed).toEqual(expected);
  expect(files()).toEqual([]);
}

const failedEvents = (events: readonly CheckpointEvent[]) => events.flatMap((event) => (event.ok ? [] : [event.error]));
const enospc = (syscall: string) => ({ code: 'ENOSPC', syscall });
const eio = (syscall: string) => ({ code: 'EIO', syscall });

describe('a journal append that fails: reported, cut off, and the next write is whole', () => {
  interface AppendCase {
    /** The workstream whose start the failing write records: ws2's creates the journal, ws3's appends. */
    at: number;
    rules: FaultRule[];
    error: object;
    /** The cut-off failed too: part of the record stays (torn), or all of it (written, not known durable). */
    left?: 'torn' | 'whole record';
  }
  const cases: [string, AppendCase][] = [
    ['ENOSPC on its write', { at: 3, rules: [{ call: 'journal write', fail: 'ENOSPC' }], error: enospc('write') }],
    [
      'a short write, then ENOSPC (the disk fills mid-record)',
      {
        at: 3,
        rules: [
          { call: 'journal write', short: true, times: 1 },
          { call: 'journal write', fail: 'ENOSPC' },
        ],
        error: enospc('write'),
      },
    ],
    ['EIO on its fdatasync', { at: 3, rules: [{ call: 'journal fdatasync', fail: 'EIO' }], error: eio('fdatasync') }],
    ['EIO on the fdatasync of a new journal', { at: 2, rules: [{ call: 'journal fdatasync', fail: 'EIO' }], error: eio('fdatasync') }],
    ['EIO on the directory fsync of a new journal', { at: 2, rules: [{ call: 'directory fsync', fail: 'EIO' }], error: eio('fsync') }],
    [
      'a short write, ENOSPC, and the cut-off fails too (ftruncate EIO)',
      {
        at: 3,
        rules: [
          { call: 'journal write', short: true, times: 1 },
          { call: 'journal write', fail: 'ENOSPC' },
          { call: 'journal ftruncate', fail: 'EIO' },
        ],
        error: enospc('write'),
        left: 'torn',
      },
    ],
    [
      'EIO on its fdatasync, and the cut-off fails too (ftruncate EIO)',
      {
        at: 3,
        rules: [
          { call: 'journal fdatasync', fail: 'EIO' },
          { call: 'journal ftruncate', fail: 'EIO' },
        ],
        error: eio('fdatasync'),
        left: 'whole record',
      },
    ],
  ];

  it.each(cases)('%s', async (_name, { at, rules, error, left }) => {
    let before: Buffer | undefined;
    const { report, events } = await runChain({
      entry: (n) => {
        if (n !== at) return;
        before = journalBytes();
        faults.arm(...rules);
      },
      saved: async (n, event) => {
        if (n === at) {
          faults.disarm();
          expect(event).toMatchObject({ ok: false, error });
          expect(tempFiles()).toEqual([]);
          const after = journalBytes();
          if (left === undefined) {
            // Cut off to the byte (or, for a new journal, removed again): the checkpoint is the one before.
            expect(after).toEqual(before);
            expect(await load()).toMatchObject(startOf(at - 1));
          } else {
            expect(after?.subarray(0, before?.length ?? 0)).toEqual(before);
            expect(after?.length).toBeGreaterThan(before?.length ?? 0);
            // Part of a record: a load passes over the torn last line. All of it: the record loads, a state
            // the run did reach (only its durability is unknown); the next, whole write settles it.
            expect(after?.at(-1) === 0x0a).toBe(left === 'whole record');
            expect(await load()).toMatchObject(startOf(left === 'torn' ? at - 1 : at));
          }
        }
        if (n === at + 1) {
          // The next write was the whole checkpoint: it carries the lost update too, and the journal is gone.
          expect(event).toMatchObject({ ok: true, completed: at });
          expect(await load()).toMatchObject(startOf(at + 1));
          expect(files()).toEqual([main, `${main}.bak`, `${main}.lock`]);
        }
      },
    });
    expect(faults.hits.length).toBeGreaterThan(0);
    expect(report).toMatchObject({ outcome: 'failed', totals: { completed: 5, failed: 1 }, checkpoint: { kept: true } });
    expect(failedEvents(events)).toEqual(report.checkpointErrors);
    expect(report.checkpointErrors).toEqual([expect.objectContaining(error)]);
    // Stopped unfinished: one JSON file with the last state (the journal compacted into it), and its backup.
    expect(files()).toEqual([main, `${main}.bak`]);
    expect(await load()).toMatchObject(finalState);
    await expectResumeRuns([ids[5]!]);
  });
});

describe('a journal append that comes up short', () => {
  it('is written to the end in a loop (a filling disk may write less than asked without an error): nothing to report', async () => {
    const { report } = await runChain({
      entry: (n) => {
        if (n === 2) faults.arm({ call: 'journal write', short: true });
      },
      saved: async (n) => {
        // Read from the disk (the compaction at the end writes from memory): every record is whole.
        if (n === 5) expect(await load()).toMatchObject(startOf(5));
      },
    });
    expect(faults.hits.filter((call) => call === 'journal write').length).toBeGreaterThanOrEqual(5);
    expect(report).toMatchObject({ outcome: 'failed', totals: { completed: 5, failed: 1 }, checkpointErrors: [] });
    expect(files()).toEqual([main, `${main}.bak`]);
    expect(await load()).toMatchObject(finalState);
  });
});

describe('a whole save that fails (the write after a failed append): reported, the last durable checkpoint stays', () => {
  const cases: [string, FaultRule, object][] = [
    ['ENOSPC on its write', { call: 'whole write', fail: 'ENOSPC' }, enospc('write')],
    [
      'a short write (write-file-atomic writes once; the read-back catches it)',
      { call: 'whole write', short: true },
      {
        name: 'CheckpointWriteError',
        code: 'CHECKPOINT_WRITE',
        message: expect.stringMatching(/did not read back as written \(\d+ of \d+ bytes\)$/) as unknown,
      },
    ],
    ['EIO on its fsync', { call: 'whole fsync', fail: 'EIO' }, eio('fsync')],
    ['EROFS on its rename', { call: 'whole rename', fail: 'EROFS' }, { code: 'EROFS', syscall: 'rename' }],
  ];

  it.each(cases)('%s', async (_name, rule, error) => {
    let before: Buffer | undefined;
    const { report, events } = await runChain({
      entry: (n) => {
        if (n === 3) {
          before = journalBytes();
          // W3 (an append) fails, so W4 is whole: it fails too. ws5's write goes through.
          faults.arm({ call: 'journal write', fail: 'ENOSPC' }, rule);
        }
        if (n === 5) faults.disarm();
      },
      saved: async (n, event) => {
        if (n !== 4) return;
        expect(event).toMatchObject({ ok: false, error });
        // The last durable state: ws1 completed, ws2 running. JSON and journal as they were; no temp file.
        expect(await load()).toMatchObject(startOf(2));
        expect(journalBytes()).toEqual(before);
        expect(files()).toEqual([main, `${main}.bak`, `${main}.journal`, `${main}.lock`]);
      },
    });
    expect(report).toMatchObject({ outcome: 'failed', totals: { completed: 5, failed: 1 }, checkpoint: { kept: true } });
    expect(failedEvents(events)).toEqual(report.checkpointErrors);
    expect(report.checkpointErrors).toEqual([expect.objectContaining(enospc('write')), expect.objectContaining(error)]);
    expect(files()).toEqual([main, `${main}.bak`]);
    expect(await load()).toMatchObject(finalState);
    await expectResumeRuns([ids[5]!]);
  });

  it('EIO on the directory fsync after its rename: reported, though the new file is in place, whole', async () => {
    const { report } = await runChain({
      entry: (n) => {
        if (n === 3) faults.arm({ call: 'journal write', fail: 'ENOSPC' }, { call: 'directory fsync', fail: 'EIO' });
        if (n === 5) faults.disarm();
      },
      saved: async (n, event) => {
        if (n !== 4) return;
        expect(event).toMatchObject({ ok: false, error: eio('fsync') });
        // The rename happened: the file is the newest state (whether it would survive a power cut is what
        // the failed fsync leaves unknown, hence the report). The journal it replaced is gone.
        expect(await load()).toMatchObject(startOf(4));
        expect(files()).toEqual([main, `${main}.bak`, `${main}.lock`]);
      },
    });
    expect(report.checkpointErrors).toEqual([expect.objectContaining(enospc('write')), expect.objectContaining(eio('fsync'))]);
    expect(await load()).toMatchObject(finalState);
    await expectResumeRuns([ids[5]!]);
  });
});

describe('a compaction that fails', () => {
  it('inside an update (the journal outgrew the file), ENOSPC on its write: reported; the JSON file and journal stay as they were', async () => {
    // Ids of 3,000 characters: the journal outgrows the 70 kB checkpoint file at ws6's start.
    const chain = ids.map((id) => `${id}-${'x'.repeat(3000)}`);
    let before: Buffer | undefined;
    const { report, events } = await runChain(
      {
        entry: (n) => {
          if (n !== 6) return;
          before = journalBytes();
          faults.arm({ call: 'whole write', fail: 'ENOSPC', times: 1 });
        },
        saved: async (n, event) => {
          if (n !== 6) return;
          expect(event).toMatchObject({ ok: false, error: enospc('write') });
          expect(await load()).toMatchObject(startOf(5, chain));
          expect(journalBytes()).toEqual(before);
          expect(files()).toEqual([main, `${main}.bak`, `${main}.journal`, `${main}.lock`]);
        },
      },
      { chain },
    );
    // Every write before was an update (the dispatcher writes whole only first and after a failure), so the
    // whole write that failed was the store's own compaction; the journal had grown past 64 KiB.
    expect(events.slice(0, 5).every((event) => event.ok)).toBe(true);
    expect(before?.length).toBeGreaterThan(60_000);
    expect(faults.hits).toEqual(['whole write']);
    expect(report.checkpointErrors).toEqual([expect.objectContaining(enospc('write'))]);
    expect(files()).toEqual([main, `${main}.bak`]);
    expect(await load()).toMatchObject({ completed: chain.slice(0, 5), failed: [chain[5]], running: [] });
    await expectResumeRuns([chain[5]!], chain);
  });

  it.each<[string, FaultRule, object]>([
    ['ENOSPC on its write', { call: 'whole write', fail: 'ENOSPC' }, enospc('write')],
    ['a short write', { call: 'whole write', short: true }, { name: 'CheckpointWriteError', code: 'CHECKPOINT_WRITE' }],
    ['EIO on its fsync', { call: 'whole fsync', fail: 'EIO' }, eio('fsync')],
    ['EROFS on its rename', { call: 'whole rename', fail: 'EROFS' }, { code: 'EROFS', syscall: 'rename' }],
  ])(
    'at the end of an unfinished run, %s: reported; the JSON file and its journal stay, and load merges them',
    async (_name, rule, error) => {
      const { report } = await runChain({
        entry: (n) => {
          // The appends of ws6's start and failure go through; the compaction after them does not.
          if (n === 6) faults.arm(rule);
        },
      });
      expect(faults.hits.length).toBeGreaterThan(0);
      expect(report).toMatchObject({ outcome: 'failed', totals: { completed: 5, failed: 1 }, checkpoint: { kept: true } });
      expect(report.checkpointErrors).toEqual([expect.objectContaining(error)]);
      // W1 is the only JSON file written; the journal holds the rest of the run.
      expect(files()).toEqual([main, `${main}.bak`, `${main}.journal`]);
      expect(await load()).toMatchObject(finalState);
      faults.disarm();
      await expectResumeRuns([ids[5]!]);
    },
  );

  it('at the end of an unfinished run, EIO on the directory fsync after its rename: reported; the compacted file is in place', async () => {
    const { report } = await runChain({
      entry: (n) => {
        // Once: the release of the lock that follows fsyncs the folder too (see the reply on Dispatcher.run).
        if (n === 6) faults.arm({ call: 'directory fsync', fail: 'EIO', times: 1 });
      },
    });
    expect(report.checkpointErrors).toEqual([expect.objectContaining(eio('fsync'))]);
    expect(files()).toEqual([main, `${main}.bak`]);
    expect(await load()).toMatchObject(finalState);
    faults.disarm();
    await expectResumeRuns([ids[5]!]);
  });
});

describe('with stopOnCheckpointError', () => {
  it('a failed append stops the run; its final whole save keeps all that was done, and the resume runs only the rest', async () => {
    const { report, events } = await runChain(
      {
        entry: (n) => {
          if (n === 3) faults.arm({ call: 'journal fdatasync', fail: 'EIO' });
        },
        saved: (n) => {
          if (n === 3) faults.disarm();
          return Promise.resolve();
        },
      },
      { stopOnCheckpointError: true },
    );
    expect(report).toMatchObject({ outcome: 'checkpoint-error', checkpoint: { kept: true } });
    expect(report.results.map((result) => result.status)).toEqual(['completed', 'completed', 'cancelled', 'not-run', 'not-run', 'not-run']);
    expect(failedEvents(events)).toEqual(report.checkpointErrors);
    expect(report.checkpointErrors).toEqual([expect.objectContaining(eio('fdatasync'))]);
    // The write after the failed one was whole: ws2's completion, which the failed append carried, is in it.
    expect(files()).toEqual([main, `${main}.bak`]);
    expect(await load()).toMatchObject({ completed: ids.slice(0, 2), failed: [], running: [] });
    await expectResumeRuns(ids.slice(2));
  });

  it('with every write failing, the last durable checkpoint stays, and the resume redoes the completion it lacks', async () => {
    const { report, events } = await runChain(
      {
        entry: (n) => {
          if (n === 3) faults.arm({ call: 'journal write', fail: 'ENOSPC' }, { call: 'whole write', fail: 'ENOSPC' });
        },
      },
      { stopOnCheckpointError: true },
    );
    faults.disarm();
    expect(report).toMatchObject({ outcome: 'checkpoint-error', checkpoint: { kept: true } });
    expect(report.results.map((result) => result.status)).toEqual(['completed', 'completed', 'cancelled', 'not-run', 'not-run', 'not-run']);
    // The append, the whole saves of the run's last state, and the whole save after the run.
    const reported = failedEvents(events);
    expect(reported.length).toBeGreaterThanOrEqual(2);
    expect(report.checkpointErrors.slice(0, reported.length)).toEqual(reported);
    for (const error of report.checkpointErrors) expect(error).toMatchObject(enospc('write'));
    expect(files()).toEqual([main, `${main}.bak`, `${main}.journal`]);
    expect(await load()).toMatchObject(startOf(2));
    // ws2 completed, but no write that said so landed: it runs again (at-least-once), and nothing before it.
    await expectResumeRuns(ids.slice(1));
  });
});
