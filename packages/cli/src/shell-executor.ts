import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { constants } from 'node:fs';
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Execute, ExecuteContext, AttemptHandle } from '@sdp/dispatcher';
import { CommandFailedError, LogFileLinkError, SupervisorLostError } from './command-errors.js';
import { endProcessGroup } from './group-end.js';
import { groupsWithToken } from './process-table.js';
import type { SupervisorAttempt, SupervisorMessage, SupervisorOrder } from './supervisor.js';

export interface ShellExecutorOptions {
  command: string;
  featureId: string;
  /** Workstream id -> its markdown file. */
  files: ReadonlyMap<string, string>;
  /** Folder of the per-workstream logs (`<ws>.log`): `statePathsOf(...).logDir`. */
  logDir: string;
  /** Lines of output kept for the failure summary. Default 12. */
  tailLines?: number;
  /** After asking a command to stop (an abort, or the CLI gone), how long until its process group gets SIGKILL, in ms. */
  graceMs: number;
  /** Runs before each command starts; throws to refuse the start (e.g. the run lost its lock). */
  beforeStart?: () => Promise<void>;
  /** The built supervisor (`dist/supervisor.js`). Default: beside this module. */
  supervisorPath?: string;
  /**
   * Supervisors started ahead of need, so that a Node start-up is not on the path of each command (set
   * it to the concurrency, up to a few). Default 1.
   */
  spares?: number;
}

type Supervisor = ChildProcessByStdio<Writable, Readable, null>;

/**
 * Runs the command once per workstream through `/bin/sh -c`, its output appended to the workstream's
 * log. Each command runs under a supervisor process (`supervisor.ts`) in a process group of its own;
 * an attempt is over only when that whole group is gone, and the supervisor ends the group when the
 * CLI dies, whatever killed it.
 */
export class ShellExecutor {
  readonly #running = new Set<Supervisor>();
  readonly #settled = new Set<Promise<unknown>>();
  readonly #logs = new Set<FileHandle>();
  readonly #notes: string[] = [];
  readonly #supervisorPath: string;
  readonly #spares: Supervisor[] = [];
  #closed = false;
  /** What an abort sends to running commands: the signal the CLI received, SIGTERM by default. */
  stopSignal: NodeJS.Signals = 'SIGTERM';

  constructor(private readonly options: ShellExecutorOptions) {
    this.#supervisorPath = options.supervisorPath ?? fileURLToPath(new URL('./supervisor.js', import.meta.url));
    this.#refill();
  }

  /** SIGKILL to every running command's process group (a second Ctrl-C); attempts still end only when their group is gone. */
  killAll(): void {
    for (const supervisor of this.#running) send(supervisor, 'kill');
  }

  /** Kills what still runs and waits (at most `timeoutMs`) until every group is gone. */
  async close(timeoutMs: number): Promise<void> {
    this.#closed = true;
    // A spare has no command yet: ended at once, and awaited, so that none outlives the run (one still
    // starting Node would otherwise read the end of its stdin only after the CLI exited).
    const spares = this.#spares.splice(0).map(async (spare) => {
      if (spare.exitCode === null && spare.signalCode === null) {
        const exited = once(spare, 'exit');
        spare.kill('SIGKILL');
        await exited;
      }
    });
    this.killAll();
    const timer = new AbortController();
    await Promise.race([
      Promise.allSettled([...this.#settled, ...spares]),
      sleep(timeoutMs, undefined, { signal: timer.signal }).catch(() => undefined),
    ]);
    timer.abort();
    // Past the bound, the supervisors finish on their own: the CLI does not wait for them.
    for (const supervisor of this.#running) setRef(supervisor, false);
  }

  /** A line for the logs of the running commands and of every later attempt (e.g. "stdout is gone"). */
  note(line: string): void {
    this.#notes.push(line);
    for (const log of this.#logs) void log.write(`=== sdp-dispatch: ${line}\n`).catch(() => undefined);
  }

  /** A spare supervisor (or a new one), now kept referenced; the pool fills up again meanwhile. */
  #take(): Supervisor {
    const supervisor = this.#spares.shift() ?? this.#spawnSupervisor();
    setRef(supervisor, true);
    setImmediate(() => {
      this.#refill();
    });
    return supervisor;
  }

  #refill(): void {
    while (!this.#closed && this.#spares.length < (this.options.spares ?? 1)) {
      const spare = this.#spawnSupervisor();
      // A spare alone keeps no run alive.
      setRef(spare, false);
      this.#spares.push(spare);
      spare.once('exit', () => {
        const index = this.#spares.indexOf(spare);
        if (index >= 0) this.#spares.splice(index, 1);
      });
    }
  }

  #spawnSupervisor(): Supervisor {
    // In a session of its own: a signal to the CLI's process group (a terminal's Ctrl-C, a `kill -9 -<pgid>`)
    // does not reach it, and it outlives the CLI long enough to end its command.
    const supervisor = spawn(process.execPath, [this.#supervisorPath], { detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
    supervisor.stdin.on('error', () => undefined);
    supervisor.on('error', () => undefined);
    return supervisor;
  }

  logFile(id: string): string {
    return join(this.options.logDir, `${id}.log`);
  }

  readonly execute: Execute = async (id, context) => {
    const settled = this.#execute(id, context);
    this.#settled.add(settled);
    try {
      await settled;
    } finally {
      this.#settled.delete(settled);
    }
  };

  async #execute(id: string, context: ExecuteContext): Promise<void> {
    const { signal, attempt } = context;
    const { command, featureId, files, graceMs } = this.options;
    await this.options.beforeStart?.();
    const logFile = this.logFile(id);
    const log = await openLog(this.options.logDir, logFile);
    this.#logs.add(log);
    try {
      const notes = this.#notes.map((line) => `=== sdp-dispatch: ${line}\n`).join('');
      // The log is best effort: a full disk fails the command's own output, not the attempt's bookkeeping.
      await log.write(`\n=== ${id} attempt ${attempt} at ${new Date().toISOString()}: ${command}\n${notes}`).catch(() => undefined);
      const token = randomBytes(8).toString('hex');
      const supervisor = this.#take();
      const order: SupervisorAttempt = {
        command,
        graceMs,
        logPath: logFile,
        env: {
          SDP_WS_ID: id,
          SDP_FEATURE_ID: featureId,
          SDP_WS_FILE: files.get(id) ?? '',
          SDP_ATTEMPT: String(attempt),
          SDP_ATTEMPT_TOKEN: token,
        },
      };
      supervisor.stdin.write(`${JSON.stringify(order)}\n`);
      this.#running.add(supervisor);
      const closed = once(supervisor, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
      let pgid: number | undefined;
      let ended: Extract<SupervisorMessage, { event: 'ended' }> | undefined;
      let failure: string | undefined;
      const onAbort = () => {
        send(supervisor, `stop ${this.stopSignal}`);
      };
      createInterface({ input: supervisor.stdout }).on('line', (line) => {
        const message = parseMessage(line);
        if (message?.event === 'started') {
          pgid = message.pgid;
          const handle: AttemptHandle = { pgid, host: hostname(), startTime: message.startTime, logPath: logFile, token };
          context.setHandle(handle);
          if (signal.aborted) onAbort();
          else signal.addEventListener('abort', onAbort, { once: true });
        } else if (message?.event === 'ended') ended = message;
        else if (message?.event === 'error') failure = message.message;
      });
      try {
        const [code, supervisorSignal] = await closed;
        if (ended === undefined) {
          // The supervisor died on its own (killed, out of memory): its group may live on without it,
          // and may not have been reported yet: the attempt's token finds it.
          const groups = pgid === undefined ? groupsWithToken(token) : [pgid];
          await Promise.all(groups.map((group) => endProcessGroup(group, signal.aborted ? 0 : graceMs)));
          throw new SupervisorLostError(
            id,
            failure ?? (supervisorSignal === null ? `exited with code ${String(code)}` : `was killed by ${supervisorSignal}`),
          );
        }
        const notes = [
          ...(ended.stragglers ? ['processes it started outlived it and were ended'] : []),
          ...(ended.forced ? [`its process group was killed after the ${String(graceMs)} ms grace period`] : []),
        ];
        if (ended.exitCode === 0) {
          // It succeeded; what it left behind was ended. Said in its log, not a failure.
          if (notes.length > 0) await log.write(`=== sdp-dispatch: ${notes.join('; ')}\n`).catch(() => undefined);
          return;
        }
        throw new CommandFailedError(
          id,
          ended.exitCode,
          ended.signal,
          logFile,
          await lastLines(logFile, this.options.tailLines ?? 12),
          notes,
        );
      } finally {
        signal.removeEventListener('abort', onAbort);
        this.#running.delete(supervisor);
      }
    } finally {
      this.#logs.delete(log);
      await log.close();
    }
  }
}

/** Opens (creating) a workstream's log for appending, never through a symbolic link. */
async function openLog(logDir: string, logFile: string): Promise<FileHandle> {
  await mkdir(logDir, { recursive: true });
  try {
    return await open(logFile, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new LogFileLinkError(logFile);
    throw error;
  }
}

function send(supervisor: Supervisor, text: SupervisorOrder): void {
  if (supervisor.stdin.writable) supervisor.stdin.write(`${text}\n`);
}

/** Whether the supervisor (its process and both pipes) keeps the CLI's event loop alive. */
function setRef(supervisor: Supervisor, ref: boolean): void {
  for (const target of [supervisor, supervisor.stdin as unknown as Socket, supervisor.stdout as unknown as Socket]) {
    if (ref) target.ref();
    else target.unref();
  }
}

function parseMessage(line: string): SupervisorMessage | undefined {
  try {
    return JSON.parse(line) as SupervisorMessage;
  } catch {
    return undefined;
  }
}

async function lastLines(file: string, count: number): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const lines = text.trimEnd().split('\n');
  const start = lines.findLastIndex((line) => line.startsWith('=== ') && !line.startsWith('=== sdp-dispatch: '));
  return lines.slice(start + 1).slice(-count);
}
