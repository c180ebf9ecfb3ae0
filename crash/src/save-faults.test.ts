import fs, { fstatSync, readlinkSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointStore, type Checkpoint } from '@sdp/checkpoint';
import { Dispatcher, type RunReport } from '@sdp/dispatcher';
import { DependencyGraph } from '@sdp/graph';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Sandbox } from './sandbox.js';

// I/O errors in the middle of a run, through the whole library stack: a Dispatcher with a real
// CheckpointStore on real files, faults injected into Node's own `fs` (the public API; @sdp/checkpoint's
// injection point is not exported). write-file-atomic, which writes the new checkpoint, calls the callback
// `fs.write`, `fs.fsync` and `fs.rename` looked up at each call; the store fsyncs directories through a
// FileHandle. A fault only hits files under this test's sandbox. What this simulates is the error a call
// returns; not what a real EIO may also do (lose dirty pages of the file, fsyncgate-style).

type Fault = 'write ENOSPC' | 'short write' | 'fsync EIO' | 'rename EROFS' | 'directory fsync EIO';
let active: Fault | undefined;
let sandbox: Sandbox;

function systemError(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, ${syscall}`), { code, syscall });
}

function inSandbox(fd: unknown): boolean {
  try {
    return readlinkSync(`/proc/self/fd/${String(fd)}`).startsWith(sandbox.root);
  } catch {
    return false;
  }
}

type Callback = (error: NodeJS.ErrnoException | null, ...results: unknown[]) => void;
type CallbackFn = (...args: unknown[]) => void;
const callbackFs = fs as unknown as Record<string, CallbackFn>;

/** Replaces a callback-style `fs` function; `fault` returns the error to fail with, or undefined to pass. */
function intercept(name: string, fault: (args: unknown[], original: CallbackFn, callback: Callback) => boolean): void {
  const original = callbackFs[name]!;
  vi.spyOn(callbackFs, name).mockImplementation((...args: unknown[]) => {
    const callback = args.at(-1) as Callback;
    if (!fault(args.slice(0, -1), original, callback)) original(...args);
  });
}

beforeAll(async () => {
  intercept('write', ([fd, buffer, offset, length, position], original, callback) => {
    if (!inSandbox(fd)) return false;
    if (active === 'write ENOSPC') {
      setImmediate(() => {
        callback(systemError('ENOSPC', 'write'));
      });
      return true;
    }
    if (active === 'short write') {
      // What write() does when the disk fills mid-file: fewer bytes, no error.
      original(fd, buffer, offset, Math.floor((length as number) / 2), position, callback);
      return true;
    }
    return false;
  });
  intercept('fsync', ([fd], _original, callback) => {
    if (active !== 'fsync EIO' || !inSandbox(fd)) return false;
    setImmediate(() => {
      callback(systemError('EIO', 'fsync'));
    });
    return true;
  });
  intercept('rename', ([from], _original, callback) => {
    if (active !== 'rename EROFS' || !String(from).startsWith(sandbox.root)) return false;
    setImmediate(() => {
      callback(systemError('EROFS', 'rename'));
    });
    return true;
  });
  // The store fsyncs a directory after each rename through a FileHandle.
  const probe = await open(import.meta.dirname, 'r');
  const prototype = Object.getPrototypeOf(probe) as { sync: (this: { fd: number }) => Promise<void> };
  await probe.close();
  const sync = prototype.sync;
  vi.spyOn(prototype, 'sync').mockImplementation(function (this: { fd: number }) {
    if (active === 'directory fsync EIO' && inSandbox(this.fd) && fstatSync(this.fd).isDirectory()) {
      return Promise.reject(systemError('EIO', 'fsync'));
    }
    return sync.call(this);
  });
});

afterAll(() => {
  vi.restoreAllMocks();
});

beforeEach(async () => {
  active = undefined;
  sandbox = await Sandbox.create();
});

afterEach(async () => {
  active = undefined;
  await sandbox.cleanup();
});

const ids = ['00-073-01', '00-073-02', '00-073-03', '00-073-04', '00-073-05', '00-073-06'];
const graph = () => DependencyGraph.fromNodes(ids.map((id, index) => ({ id, dependsOn: index === 0 ? [] : [ids[index - 1]!] })));
const dir = () => join(sandbox.root, 'checkpoints');
const load = (): Promise<Checkpoint | null> => new CheckpointStore({ featureId: 'F073', dir: dir() }).load();

interface Scenario {
  fault: Fault;
  /** The fault is on from the start of ws3 until ws5 runs; ws6 fails, so the checkpoint stays. */
  stopOnCheckpointError?: boolean;
}

/**
 * Runs the chain; each executor first waits for the next checkpoint event, so every start and completion
 * gets a save of its own. Returns the report and what the checkpoint held just before the fault ended.
 */
async function runChain({ fault, stopOnCheckpointError = false }: Scenario): Promise<{ report: RunReport; duringFault: Checkpoint | null; tempFilesDuringFault: string[] }> {
  const dispatcher = new Dispatcher(graph(), { featureId: 'F073', concurrency: 1, checkpoint: { dir: dir() }, stopOnCheckpointError });
  let nextEvent: (() => void) | undefined;
  dispatcher.onCheckpoint(() => {
    nextEvent?.();
  });
  let duringFault: Checkpoint | null = null;
  let tempFilesDuringFault: string[] = [];
  const report = await dispatcher.run(async (id, { signal }) => {
    if (id === '00-073-03') active = fault;
    await new Promise<void>((resolve) => {
      nextEvent = resolve;
      signal.addEventListener('abort', () => {
        resolve();
      });
    });
    if (id === '00-073-05') {
      // The saves of ws4's completion and ws5's start run under the fault too.
      if (fault === 'directory fsync EIO') {
        await vi.waitFor(async () => {
          expect((await load())?.completed).toContain('00-073-04');
        });
      }
      duringFault = await load();
      tempFilesDuringFault = (await readdir(dir())).filter((name) => !/-checkpoint\.json(?:\.bak|\.lock)?$/.test(name));
      active = undefined;
    }
    if (id === '00-073-06') throw new Error('ws6 fails, so the checkpoint stays');
  });
  return { report, duringFault, tempFilesDuringFault };
}

const systemFaults = [
  ['write ENOSPC', { code: 'ENOSPC', syscall: 'write' }],
  ['fsync EIO', { code: 'EIO', syscall: 'fsync' }],
  ['rename EROFS', { code: 'EROFS', syscall: 'rename' }],
  ['short write', { name: 'CheckpointWriteError', code: 'WRITE', message: expect.stringMatching(/did not read back as written \(\d+ of \d+ bytes\)/) as unknown }],
] as const;

describe('a checkpoint save that fails mid-run (Dispatcher + CheckpointStore, injected I/O errors)', () => {
  it.each(systemFaults)('%s: reported, the run goes on, the last good checkpoint stays with no temp file', async (fault, error) => {
    const { report, duringFault, tempFilesDuringFault } = await runChain({ fault });
    expect(report.outcome).toBe('failed');
    expect(report.totals).toMatchObject({ completed: 5, failed: 1 });
    // The saves of ws2's completion to ws4's were refused, at least one per workstream (some may coalesce).
    expect(report.checkpointErrors.length).toBeGreaterThanOrEqual(2);
    for (const failure of report.checkpointErrors) expect(failure).toMatchObject(error);
    // While the disk failed, the checkpoint was the last good one: ws1 completed.
    expect(duringFault).toMatchObject({ completed: ['00-073-01'], failed: [] });
    expect(tempFilesDuringFault).toEqual([]);
    // Once the disk recovered, saves went through again: the kept checkpoint is the final state.
    expect(await load()).toMatchObject({ completed: ids.slice(0, 5), failed: ['00-073-06'] });
    expect(report.checkpoint).toMatchObject({ kept: true });
  });

  it('directory fsync EIO: the save is reported failed though its rename took place; the checkpoint stays whole', async () => {
    const { report, duringFault, tempFilesDuringFault } = await runChain({ fault: 'directory fsync EIO' });
    expect(report.totals).toMatchObject({ completed: 5, failed: 1 });
    expect(report.checkpointErrors.length).toBeGreaterThanOrEqual(2);
    for (const failure of report.checkpointErrors) expect(failure).toMatchObject({ code: 'EIO', syscall: 'fsync' });
    // The renames happened: the file on disk is the newest state (whether it survives a power cut is
    // what the failed fsync leaves unknown, hence the report). It is never damaged.
    expect(duringFault?.completed).toEqual(ids.slice(0, 4));
    expect(tempFilesDuringFault).toEqual([]);
    expect(await load()).toMatchObject({ completed: ids.slice(0, 5), failed: ['00-073-06'] });
  });

  it('with stopOnCheckpointError the run stops at the first failed save; a resume completes from the last good checkpoint', async () => {
    const dispatcher = new Dispatcher(graph(), { featureId: 'F073', concurrency: 1, checkpoint: { dir: dir() }, stopOnCheckpointError: true });
    let nextEvent: (() => void) | undefined;
    dispatcher.onCheckpoint(() => {
      nextEvent?.();
    });
    const executed: string[] = [];
    const report = await dispatcher.run(async (id, { signal }) => {
      executed.push(id);
      if (id === '00-073-03') active = 'fsync EIO';
      // ws1 and ws2 end with the next save; ws3 runs until the failed save of its start stops the run.
      await new Promise<void>((resolve, reject) => {
        if (id !== '00-073-03') nextEvent = resolve;
        signal.addEventListener('abort', () => {
          reject(signal.reason as Error);
        });
      });
    });
    expect(report.outcome).toBe('checkpoint-error');
    expect(report.checkpointErrors[0]).toMatchObject({ code: 'EIO', syscall: 'fsync' });
    expect(report.checkpoint).toMatchObject({ kept: true });
    expect(executed).toEqual(['00-073-01', '00-073-02', '00-073-03']);
    expect(report.results.map((result) => result.status)).toEqual(['completed', 'completed', 'cancelled', 'not-run', 'not-run', 'not-run']);
    // The save of ws2's completion (coalesced with ws3's start) was the one that failed: the last good
    // checkpoint has ws1 only, so the resume runs ws2 again (at-least-once) and nothing before it.
    expect((await load())?.completed).toEqual(['00-073-01']);

    active = undefined;
    const resumed: string[] = [];
    const second = await new Dispatcher(graph(), { featureId: 'F073', concurrency: 1, checkpoint: { dir: dir() } }).run((id) => {
      resumed.push(id);
      return Promise.resolve();
    });
    expect(second).toMatchObject({ outcome: 'completed', resumed: true, checkpoint: { kept: false } });
    expect(resumed).toEqual(ids.slice(1));
    expect(await readdir(dir())).toEqual([]);
  });
});
