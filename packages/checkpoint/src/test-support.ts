import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Checkpoint } from './checkpoint.js';
import type { Clock } from './clock.js';

/** A fresh temp directory; `cleanup` removes it. */
export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sdp-checkpoint-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A clock that moves only when told. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export function manualClock(startMs = Date.UTC(2026, 1, 7, 12, 0, 0)): ManualClock {
  let now = startMs;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
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
