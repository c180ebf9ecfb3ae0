import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliPath } from './paths.js';
import { pidsWithEnv } from './process-reaper.js';
import type { CliResult, Sandbox } from './sandbox.js';

/** The command of live-copies.test.ts (see the file): it traps SIGTERM and keeps working. */
export const stubbornExecutorPath = fileURLToPath(new URL('./fixtures/stubborn-executor.mjs', import.meta.url));
/**
 * `--exec` for it. The `; exit $?` keeps dash in front of it as a wrapper that dies on SIGTERM while
 * the command lives on: the case where forgetting the group lets a copy run on.
 */
export const stubbornExec = `node ${stubbornExecutorPath}; exit $?`;

/** One command's life: from its `start` record to the moment its pid was seen gone (or a zombie). */
export interface CommandLife {
  readonly id: string;
  readonly pid: number;
  /** RUN_TAG of the CLI that started it. */
  readonly tag: string;
  readonly startedAt: number;
  goneAt: number | undefined;
  /** Its own `exit` record, when it ended by itself. */
  exitCode: number | undefined;
  /** It got SIGTERM (or SIGINT/SIGHUP). */
  asked: boolean;
}

/**
 * Watches the commands of a test: reads their records from the run log and looks at each live pid in
 * `/proc` every few milliseconds, so the end of a SIGKILLed command is seen within that much.
 */
export class CommandWatch {
  readonly #lives = new Map<number, CommandLife>();
  readonly #timer: NodeJS.Timeout;
  #offset = 0;

  constructor(private readonly runLog: string) {
    this.#timer = setInterval(() => {
      this.#poll();
    }, 3);
  }

  get lives(): CommandLife[] {
    this.#poll();
    return [...this.#lives.values()];
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #poll(): void {
    const now = Date.now();
    let text = '';
    try {
      text = readFileSync(this.runLog, 'utf8').slice(this.#offset);
    } catch {
      // No command started yet.
    }
    const end = text.lastIndexOf('\n') + 1;
    this.#offset += Buffer.byteLength(text.slice(0, end));
    for (const line of text.slice(0, end).split('\n')) {
      const [kind, id = '', pidText = '', time = '', extra = ''] = line.split(' ');
      const pid = Number(pidText);
      if (kind === 'start') {
        this.#lives.set(pid, { id, pid, tag: extra, startedAt: Number(time), goneAt: undefined, exitCode: undefined, asked: false });
      }
      const life = this.#lives.get(pid);
      if (life === undefined) continue;
      if (kind === 'term') life.asked = true;
      if (kind === 'exit') life.exitCode = Number(extra);
    }
    for (const life of this.#lives.values()) {
      if (life.goneAt === undefined && !isAlive(life.pid)) life.goneAt = now;
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Every way the lives break the rules: two lives of one workstream at once, more than `concurrency` at once. */
export function violations(lives: readonly CommandLife[], concurrency: number): string[] {
  const problems: string[] = [];
  const end = (life: CommandLife) => life.goneAt ?? Number.POSITIVE_INFINITY;
  for (const a of lives) {
    for (const b of lives) {
      if (a.pid < b.pid && a.id === b.id && a.startedAt < end(b) && b.startedAt < end(a)) {
        problems.push(`${a.id}: pid ${String(a.pid)} (${a.tag}) and pid ${String(b.pid)} (${b.tag}) were alive at once`);
      }
    }
  }
  for (const life of lives) {
    const alive = lives.filter((other) => other.startedAt <= life.startedAt && life.startedAt < end(other));
    if (alive.length > concurrency)
      problems.push(`${String(alive.length)} commands alive at once when ${life.id} (pid ${String(life.pid)}) started`);
  }
  return problems;
}

/**
 * Pids of the live commands of run `tag`, and of whatever they started: processes whose environment
 * holds RUN_TAG=`tag` and an attempt token (the CLI and its supervisors carry no token).
 */
async function commandPids(tag: string): Promise<number[]> {
  const pids = await pidsWithEnv('RUN_TAG', tag);
  return pids.filter((pid) => {
    try {
      const environ = `\0${readFileSync(`/proc/${String(pid)}/environ`, 'latin1')}`;
      return environ.includes('\0SDP_ATTEMPT_TOKEN=');
    } catch {
      return false;
    }
  });
}

/** Resolves once no command of run `tag` is left (zombies aside); returns when that was seen. */
export async function allGone(tag: string, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = Date.now();
    const pids = await commandPids(tag);
    if (pids.length === 0) return now;
    if (now > deadline) throw new Error(`commands of run ${tag} still alive: ${pids.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface StartOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Where the CLI's stdout goes: a file descriptor, or 'pipe' (collected). Default 'pipe'. */
  stdout?: number | 'pipe';
  /** Runs the CLI under this command first (e.g. `prlimit --fsize=…`). */
  wrapper?: readonly string[];
}

export interface TaggedRun {
  readonly pid: number;
  readonly tag: string;
  readonly done: Promise<CliResult & { endedAt: number }>;
  /** The stderr pipe, to close it early. */
  readonly stderr: Readable;
}

/** Starts `sdp-dispatch <args>` in its own process group, RUN_TAG=`tag` in its environment (and so its commands'). */
export function startTagged(sandbox: Sandbox, tag: string, args: readonly string[], options: StartOptions = {}): TaggedRun {
  const [program, ...prefix] = [...(options.wrapper ?? []), process.execPath, cliPath, ...args] as [string, ...string[]];
  const child = spawn(program, prefix, {
    cwd: options.cwd ?? sandbox.cwd,
    detached: true,
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    env: sandbox.env({ RUN_TAG: tag, ...options.env }),
  });
  // stdio[2] is 'pipe': the type of spawn() cannot follow a mixed stdio array.
  const stderrPipe = child.stderr!;
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  stderrPipe.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  stderrPipe.on('error', () => undefined);
  const done = new Promise<CliResult & { endedAt: number }>((resolve) => {
    child.on('exit', () => {
      const endedAt = Date.now();
      child.on('close', (code, signal) => {
        resolve({ code, signal, stdout, stderr, endedAt });
      });
    });
  });
  if (child.pid === undefined) throw new Error('could not start the CLI');
  return { pid: child.pid, tag, done, stderr: stderrPipe };
}
