import { spawn } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { GroupEnd } from './group-end.js';
import { processStartTime } from './process-table.js';

/**
 * What a supervisor says to the CLI, one JSON object per line on its stdout: first `started` (the
 * command's process group), last `ended` (the shell's exit, once the whole group is gone).
 */
export type SupervisorMessage =
  | { readonly event: 'started'; readonly pgid: number; readonly startTime: string }
  | {
      readonly event: 'ended';
      readonly exitCode: number | null;
      readonly signal: NodeJS.Signals | null;
      /** SIGKILL was needed: the group outlived the grace period. */
      readonly forced: boolean;
      /** Processes of the group outlived the shell and were ended. */
      readonly stragglers: boolean;
    }
  | { readonly event: 'error'; readonly message: string };

/** The first line the CLI sends a supervisor: what to run. */
export interface SupervisorAttempt {
  readonly command: string;
  readonly graceMs: number;
  /** The workstream's log: the command's stdout and stderr, opened for appending, never through a symbolic link. */
  readonly logPath: string;
  /** Added to the supervisor's environment (SDP_WS_ID and the like). */
  readonly env: Readonly<Record<string, string>>;
}

/** What the CLI says to a supervisor after that, one line each; the end of its stdin means the CLI is gone. */
export type SupervisorOrder = `stop ${NodeJS.Signals}` | 'kill';

export interface SupervisorIo {
  /** The CLI's end of the pipe, as lines: orders, and its close when the CLI is gone, whatever killed it. */
  readonly lifeline: NodeJS.EventEmitter;
  send(message: SupervisorMessage): void;
  /** Signals sent to the supervisor itself (SIGTERM, SIGHUP, SIGINT) count as the CLI gone. */
  onSignal(listener: () => void): void;
}

/**
 * Runs the attempt's command through `/bin/sh -c` in a process group of its own, its output appended to
 * the workstream's log, and stays until that whole group is gone. When the CLI is gone
 * (its pipe ended, even by a SIGKILL of the CLI) the group gets SIGTERM, `graceMs`, then SIGKILL.
 * Imports only node:* and two small modules, so that it starts fast.
 */
export function supervise(attempt: SupervisorAttempt, io: SupervisorIo): Promise<void> {
  let log: number;
  try {
    log = openSync(attempt.logPath, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    io.send({ event: 'error', message: `cannot open the log ${attempt.logPath}: ${(error as Error).message}` });
    return Promise.resolve();
  }
  const child = spawn(attempt.command, {
    shell: true,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...attempt.env },
  });
  closeSync(log);
  const pgid = child.pid;
  if (pgid === undefined) {
    return new Promise((resolve) => {
      child.once('error', (error) => {
        io.send({ event: 'error', message: error.message });
        resolve();
      });
    });
  }
  io.send({ event: 'started', pgid, startTime: processStartTime(pgid) });
  const end = new GroupEnd(pgid, attempt.graceMs);
  // Once the group is gone its number may be reused: nothing is sent to it any more.
  let over = false;
  const cliGone = () => {
    if (!over) end.stop('SIGTERM');
  };
  io.lifeline.on('line', (line: string) => {
    const order = line.trim();
    if (over) return;
    if (order === 'kill') end.kill();
    else if (order.startsWith('stop ')) end.stop(order.slice(5) as NodeJS.Signals);
  });
  io.lifeline.on('close', cliGone);
  io.onSignal(cliGone);
  return new Promise((resolve) => {
    child.once('exit', (exitCode, signal) => {
      // The shell is gone; what it started may not be. Leftovers of a finished command get the same end.
      const stragglers = !end.isGone();
      if (stragglers) end.stop('SIGTERM');
      void end.whenGone().then(() => {
        over = true;
        io.send({ event: 'ended', exitCode, signal, forced: end.forced, stragglers });
        resolve();
      });
    });
  });
}
