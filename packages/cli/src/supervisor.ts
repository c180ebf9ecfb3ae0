import { spawn } from 'node:child_process';
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

/** What the CLI says to a supervisor, one line each on its stdin; the end of its stdin means the CLI is gone. */
export type SupervisorOrder = `stop ${NodeJS.Signals}` | 'kill';

export interface SupervisorIo {
  /** The CLI's end of the pipe: orders, and its end when the CLI is gone, whatever killed it. */
  readonly lifeline: NodeJS.ReadableStream;
  send(message: SupervisorMessage): void;
  /** Signals sent to the supervisor itself (SIGTERM, SIGHUP, SIGINT) count as the CLI gone. */
  onSignal(listener: () => void): void;
}

/**
 * Runs `command` through `/bin/sh -c` in a process group of its own, its output to the supervisor's
 * stderr (the workstream's log), and stays until that whole group is gone. When the CLI is gone
 * (its pipe ended, even by a SIGKILL of the CLI) the group gets SIGTERM, `graceMs`, then SIGKILL.
 * Imports only node:* and two small modules, so that it starts fast.
 */
export function supervise(command: string, graceMs: number, io: SupervisorIo): Promise<void> {
  const child = spawn(command, { shell: true, detached: true, stdio: ['ignore', 2, 2] });
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
  const end = new GroupEnd(pgid, graceMs);
  const cliGone = () => {
    end.stop('SIGTERM');
  };
  let buffered = '';
  io.lifeline.on('data', (chunk: Buffer | string) => {
    buffered += chunk.toString();
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      const order = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (order === 'kill') end.kill();
      else if (order.startsWith('stop ')) end.stop(order.slice(5) as NodeJS.Signals);
    }
  });
  io.lifeline.on('end', cliGone);
  io.lifeline.on('error', cliGone);
  io.onSignal(cliGone);
  return new Promise((resolve) => {
    child.once('exit', (exitCode, signal) => {
      // The shell is gone; what it started may not be. Leftovers of a finished command get the same end.
      const stragglers = !end.isGone();
      if (stragglers) end.stop('SIGTERM');
      void end.whenGone().then(() => {
        io.send({ event: 'ended', exitCode, signal, forced: end.forced, stragglers });
        resolve();
      });
    });
  });
}
