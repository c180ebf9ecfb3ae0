import { utimesSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkerExecute } from '@sdp/bullmq';
import { ShellExecutor } from '../shell-executor.js';
import { isLockLostError } from '@sdp/bullmq';
import { supervisedCommand } from './keepalive-watchdog.js';
import { OutputShipper } from './output-shipper.js';

export interface ShellJobRunnerOptions {
  readonly command: string;
  /** The worker's folder: one `job-*` folder per job inside it, watched by the keepalive watchdog. */
  readonly workDir: string;
  /** After asking a command to stop, how long until SIGKILL, in ms. */
  readonly graceMs: number;
}

/** Output shipped back to the coordinator as it comes, per job at most; past it, only its last 64 KiB, at the end. */
const maxOutputBytes = 1 << 20;
const tailOutputBytes = 64 << 10;
/** How often a running command's new output is shipped. */
const shipEveryMs = 1000;

/**
 * Runs a job's command on a worker through the CLI's shell executor: the workstream file's text in a
 * temporary copy (`SDP_WS_FILE`), the job's keepalive touched at each lock renewal for the watchdog,
 * its output shipped back to the coordinator as it comes.
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
        // One command per executor: no warm spare supervisor to start, and none left behind after the job.
        spares: 0,
      });
      const shipper = new OutputShipper({
        file: executor.logFile(task.workstream),
        send: (text) => context.log(text),
        maxBytes: maxOutputBytes,
        tailBytes: tailOutputBytes,
      });
      const shipping = setInterval(() => void shipper.ship(), shipEveryMs);
      // A lost lock allows no grace: the job may already run elsewhere. (Listeners run in order: this one first.)
      const onAbort = () => {
        if (isLockLostError(context.signal.reason)) executor.stopSignal = 'SIGKILL';
      };
      context.signal.addEventListener('abort', onAbort, { once: true });
      try {
        // No checkpoint here to record a handle in: the worker's keepalive watchdog ends what a lost job started.
        await executor.execute(task.workstream, { signal: context.signal, attempt: task.sequence, setHandle: () => undefined });
      } finally {
        context.signal.removeEventListener('abort', onAbort);
        stopRenewing();
        clearInterval(shipping);
        await shipper.finish();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
