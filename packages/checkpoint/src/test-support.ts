export type { ManualClock } from '@sdp/internal/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Checkpoint, CheckpointUpdate } from './checkpoint.js';
import { ManualClock } from '@sdp/internal/testing';

/** A fresh temp directory; `cleanup` removes it. */
export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sdp-checkpoint-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A clock that moves only when told (`tick`). */
export function manualClock(startMs = Date.UTC(2026, 1, 7, 12, 0, 0)): ManualClock {
  return new ManualClock(startMs);
}

/** Sorted file names in `dir`. */
export async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

function wsId(index: number): string {
  return `00-052-${String(index).padStart(6, '0')}`;
}

/**
 * A realistic checkpoint of `size` workstreams: each depends on up to three earlier ones, the first
 * `completedCount` are completed, the breaker has failed once.
 */
export function sampleCheckpoint(size: number, completedCount = Math.floor(size / 2), featureId = 'F052'): Checkpoint {
  const nodes = [];
  const edges: Record<string, string[]> = {};
  const completed: string[] = [];
  for (let index = 0; index < size; index += 1) {
    const id = wsId(index);
    const dependsOn = [index - 1, index - 7, index - 31].filter((dep) => dep >= 0).map(wsId);
    const done = index < completedCount;
    if (done) completed.push(id);
    nodes.push({
      id,
      depends_on: dependsOn,
      indegree: dependsOn.filter((dep) => Number(dep.slice(-6)) >= completedCount).length,
      completed: done,
    });
    edges[id] = [];
    for (const dep of dependsOn) (edges[dep] ??= []).push(id);
  }
  return {
    version: '1.0',
    feature_id: featureId,
    timestamp: '2026-02-07T12:34:56.789Z',
    completed,
    failed: size > completedCount ? [wsId(completedCount)] : [],
    graph: { nodes, edges },
    circuit_breaker: {
      state: 0,
      failure_count: 1,
      success_count: completedCount,
      consecutive_opens: 0,
      last_failure_time: '2026-02-07T12:34:00Z',
      last_state_change: '0001-01-01T00:00:00Z',
    },
    graph_fingerprint: 'sha256:0123abcd',
    running: [],
    skipped: {},
    attempts: Object.fromEntries(completed.map((id) => [id, 1])),
    durations_ms: Object.fromEntries(completed.map((id) => [id, 1500])),
  };
}

/** The checkpoint the child fixture's saver writes as its `seq`-th save: sizes vary, so kills land at different phases. */
export function checkpointAt(seq: number): Checkpoint {
  const size = 20 + ((seq * 37) % 300);
  return { ...sampleCheckpoint(size, seq % size), seq, pad: 'x'.repeat((seq * 7919) % 40_000) };
}

/**
 * What `CheckpointUpdate` promises, computed the slow, obvious way: ids appended once, records merged, and the
 * graph's `completed` and `indegree` recomputed from scratch as `@sdp/graph`'s `snapshot(completed)` would.
 */
export function applyUpdate(checkpoint: Checkpoint, update: CheckpointUpdate): Checkpoint {
  const next = structuredClone(checkpoint);
  next.timestamp = update.timestamp;
  for (const id of update.completed ?? []) if (!next.completed.includes(id)) next.completed.push(id);
  // A failure stays recorded until the workstream completes.
  next.failed = next.failed.filter((id) => !update.completed?.includes(id));
  for (const id of update.failed ?? []) if (!next.failed.includes(id) && !next.completed.includes(id)) next.failed.push(id);
  if (update.running !== undefined) next.running = [...update.running];
  for (const key of ['skipped', 'attempts', 'durations_ms'] as const) {
    if (update[key] !== undefined) next[key] = { ...next[key], ...update[key] } as never;
  }
  if (update.circuit_breaker !== undefined) next.circuit_breaker = structuredClone(update.circuit_breaker);
  if (update.attempt_handles !== undefined) {
    const handles = new Map(Object.entries(next.attempt_handles ?? {}));
    for (const [id, handle] of Object.entries(update.attempt_handles)) {
      if (handle === null) handles.delete(id);
      else handles.set(id, { ...handle });
    }
    if (handles.size === 0) delete next.attempt_handles;
    else next.attempt_handles = Object.fromEntries(handles);
  }
  if (next.graph !== null) {
    const done = new Set(next.completed);
    for (const node of next.graph.nodes) node.completed ||= done.has(node.id);
    const completedNodes = new Set(next.graph.nodes.filter((node) => node.completed).map((node) => node.id));
    for (const node of next.graph.nodes) node.indegree = node.depends_on.filter((dep) => !completedNodes.has(dep)).length;
  }
  return next;
}

/** The checkpoint the child fixture's updater starts from: `size` workstreams, none completed yet. */
export function updaterBase(size = 300): Checkpoint {
  return sampleCheckpoint(size, 0);
}

/**
 * The child fixture's updater's `seq`-th update, as a dispatcher sends them: a completion, its attempts and
 * duration, what runs now (long enough that the journal is compacted every 30 updates or so) and the breaker.
 */
export function updateAt(seq: number, size = 300): CheckpointUpdate {
  const id = wsId((seq - 1) % size);
  return {
    timestamp: new Date(Date.UTC(2026, 1, 7, 12) + seq * 1000).toISOString(),
    completed: [id],
    running: Array.from({ length: 150 }, (_, index) => wsId((seq + index) % size)),
    attempts: { [id]: 1 + (seq % 3) },
    durations_ms: { [id]: seq * 1.5 },
    circuit_breaker: {
      state: 0,
      failure_count: 0,
      success_count: seq,
      consecutive_opens: 0,
      last_failure_time: '0001-01-01T00:00:00Z',
    },
  };
}

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const childScript = fileURLToPath(new URL('./fixtures/checkpoint-child.ts', import.meta.url));

/** A child process running `fixtures/checkpoint-child.ts`, read line by line. */
export interface Child {
  readonly process: ChildProcess;
  /** The next line the child prints, or a rejection when it exits first. */
  nextLine(): Promise<string>;
  send(line: string): void;
  /** Resolves with the exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stderr: () => string;
  /** Every line printed so far. */
  readonly printed: () => readonly string[];
}

/**
 * Starts the child fixture with `args`. `fileSizeLimitKb` runs it under `ulimit -f`, so writes past that
 * size come up short as on a full disk.
 */
export function spawnChild(args: readonly string[], options: { fileSizeLimitKb?: number } = {}): Child {
  const nodeArgs = ['--import', tsxLoader, childScript, ...args];
  const child =
    options.fileSizeLimitKb === undefined
      ? spawn(process.execPath, nodeArgs, { stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn('bash', ['-c', `ulimit -f ${options.fileSizeLimitKb} && exec "$0" "$@"`, process.execPath, ...nodeArgs], {
          stdio: ['pipe', 'pipe', 'pipe'],
          // tsx's cache files must not be cut short by the limit.
          env: { ...process.env, TSX_DISABLE_CACHE: '1' },
        });
  const lines: string[] = [];
  const printed: string[] = [];
  const waiters: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let stderr = '';
  let ended = false;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    printed.push(line);
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(line);
    else lines.push(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      ended = true;
      for (const waiter of waiters.splice(0)) {
        waiter.reject(new Error(`child exited (${code ?? signal ?? '?'}) before printing a line: ${stderr}`));
      }
      resolve({ code, signal });
    });
  });
  return {
    process: child,
    nextLine: () => {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (ended) return Promise.reject(new Error(`child exited before printing a line: ${stderr}`));
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    send: (line) => {
      child.stdin.write(`${line}\n`);
    },
    exited,
    stderr: () => stderr,
    printed: () => printed,
  };
}

/** The pid of a process that has exited: nothing runs under it (until the system reuses it). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('close', resolve));
  if (child.pid === undefined) throw new Error('could not start a process');
  return child.pid;
}

/** An error as a failing system call gives it. */
export function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}
