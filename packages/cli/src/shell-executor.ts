import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Execute } from '@sdp/dispatcher';

/** A workstream's command exited non-zero or was killed by a signal. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
  readonly code = 'COMMAND_FAILED' as const;
  constructor(
    readonly workstream: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly logFile: string,
    /** The last lines the command printed. */
    readonly tail: readonly string[],
  ) {
    super(
      signal === null
        ? `command exited with code ${exitCode}`
        : `command was killed by ${signal}`,
    );
  }
}

export interface ShellExecutorOptions {
  command: string;
  featureId: string;
  /** Workstream id -> its markdown file. */
  files: ReadonlyMap<string, string>;
  /** Folder of the per-workstream logs (`<ws>.log`). */
  logDir: string;
  /** Lines of output kept for the failure summary. Default 12. */
  tailLines?: number;
  /** After asking a command to stop (abort), how long until its process group gets SIGKILL, in ms. */
  killAfterMs: number;
}

/**
 * Runs the command once per workstream through the shell, output appended to the workstream's log.
 * Each child leads its own process group, so an abort reaches whatever the command started.
 */
export class ShellExecutor {
  readonly #children = new Set<number>();
  /** What an abort sends to running commands: the signal the CLI received, SIGTERM by default. */
  stopSignal: NodeJS.Signals = 'SIGTERM';

  constructor(private readonly options: ShellExecutorOptions) {}

  /** Sends `signal` to every running command's process group (a second Ctrl-C sends SIGKILL). */
  killAll(signal: NodeJS.Signals): void {
    for (const pid of this.#children) killGroup(pid, signal);
  }

  logFile(id: string): string {
    return join(this.options.logDir, `${id}.log`);
  }

  readonly execute: Execute = async (id, { signal, attempt }) => {
    const { command, featureId, files } = this.options;
    await mkdir(this.options.logDir, { recursive: true });
    const logFile = this.logFile(id);
    const log = await open(logFile, 'a');
    try {
      await log.write(`\n=== ${id} attempt ${attempt} at ${new Date().toISOString()}: ${command}\n`);
      const child = spawn(command, {
        shell: true,
        detached: true,
        stdio: ['ignore', log.fd, log.fd],
        env: {
          ...process.env,
          SDP_WS_ID: id,
          SDP_FEATURE_ID: featureId,
          SDP_WS_FILE: files.get(id) ?? '',
          SDP_ATTEMPT: String(attempt),
        },
      });
      const pid = child.pid;
      if (pid !== undefined) this.#children.add(pid);
      let forceKill: NodeJS.Timeout | undefined;
      const onAbort = () => {
        if (pid === undefined) return;
        killGroup(pid, this.stopSignal);
        forceKill = setTimeout(() => {
          killGroup(pid, 'SIGKILL');
        }, this.options.killAfterMs);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      try {
        const [exitCode, exitSignal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
        if (exitCode === 0) return;
        throw new CommandFailedError(id, exitCode, exitSignal, logFile, await lastLines(logFile, this.options.tailLines ?? 12));
      } finally {
        clearTimeout(forceKill);
        signal.removeEventListener('abort', onAbort);
        if (pid !== undefined) this.#children.delete(pid);
      }
    } finally {
      await log.close();
    }
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

async function lastLines(file: string, count: number): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  const lines = text.trimEnd().split('\n');
  const start = lines.findLastIndex((line) => line.startsWith('=== '));
  return lines.slice(start + 1).slice(-count);
}
