import { utimesSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkerExecute } from '@sdp/bullmq';
import { ShellExecutor } from '../shell-executor.js';
import { LockLostError } from '@sdp/bullmq';
import { supervisedCommand } from './keepalive-watchdog.js';

export interface ShellJobRunnerOptions {
  readonly command: string;
  /** The worker's folder: one `job-*` folder per job inside it, watched by the keepalive watchdog. */
  readonly workDir: string;
  /** After asking a command to stop, how long until SIGKILL, in ms. */
  readonly graceMs: number;
}

/** Output shipped back to the coordinator per attempt, at most (the end is kept). */
const maxOutputBytes = 1 << 20;

/**
 * Runs a job's command on a worker through the CLI's shell executor: the workstream file's text in a
 * temporary copy (`SDP_WS_FILE`), the job's keepalive touched at each lock renewal for the watchdog,
 * its output shipped back to the coordinator when it ends.
 */
export function shellJobRunner(options: ShellJobRunnerOptions): WorkerExecute {
  return async (task, context) => {
    const dir = await mkdtemp(join(options.workDir, 'job-'));
    try {
      const file = join(dir, 'workstream.md');
      await writeFile(file, task.text);
      const keepalive = join(dir, 'keepalive');
      await writeFile(keepalive, '');
      const stopRenewing = context.onLockRenewed(() => {
        const now = new Date();
        try {
          utimesSync(keepalive, now, now);
        } catch {
          // The job's folder is being removed: the attempt is over.
        }
      });
      const executor = new ShellExecutor({
        command: supervisedCommand(dir, options.command),
        featureId: task.featureId,
        files: new Map([[task.workstream, file]]),
        logDir: dir,
        graceMs: options.graceMs,
      });
      // A lost lock allows no grace: the job may already run elsewhere. (Listeners run in order: this one first.)
      const onAbort = () => {
        if (context.signal.reason instanceof LockLostError) executor.stopSignal = 'SIGKILL';
      };
      context.signal.addEventListener('abort', onAbort, { once: true });
      try {
        // No checkpoint here to record a handle in: the worker's keepalive watchdog ends what a lost job started.
        await executor.execute(task.workstream, { signal: context.signal, attempt: task.sequence, setHandle: () => undefined });
      } finally {
        context.signal.removeEventListener('abort', onAbort);
        stopRenewing();
        const output = await readFile(executor.logFile(task.workstream)).catch(() => Buffer.alloc(0));
        await context.log(output.subarray(Math.max(0, output.length - maxOutputBytes)).toString()).catch(() => undefined);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
