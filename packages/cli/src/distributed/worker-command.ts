import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionOf, startWorker } from '@sdp/bullmq';
import type { WorkerArgs } from './distributed-args.js';
import { startWatchdog } from './keepalive-watchdog.js';
import { sayChangedErrors } from './repeated-errors.js';
import { shellJobRunner } from './shell-job-runner.js';

const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * `sdp-dispatch worker`: runs jobs until stopped. First SIGINT/SIGTERM: take no more jobs, let the
 * running ones finish; a second one cancels them and hands them back to the queue. Exit 0.
 */
export async function workerCommand(args: WorkerArgs, io: { stderr: { write(text: string): unknown } }): Promise<number> {
  const workDir = await mkdtemp(join(tmpdir(), 'sdp-worker-'));
  const say = (line: string) => io.stderr.write(`sdp-dispatch worker: ${line}\n`);
  const watchdog = await startWatchdog(workDir, Math.floor(args.lockMs / 2));
  try {
    const worker = await startWorker({
      connection: connectionOf(args.redis),
      queue: args.queue,
      concurrency: args.concurrency,
      lockMs: args.lockMs,
      execute: shellJobRunner({ command: args.exec, workDir, graceMs: args.graceMs }),
    });
    worker.onError(
      sayChangedErrors((error) => {
        say(`${error.message}${args.verbose && error.stack !== undefined ? `\n${error.stack}` : ''}`);
      }),
    );
    worker.onLockLost(({ jobId, reason }) => {
      say(`job ${jobId} lost its lock (${reason}); its command was cancelled and the job goes on elsewhere`);
    });
    say(`running jobs of queue "${args.queue}" (concurrency ${args.concurrency}, lock ${args.lockMs} ms); Ctrl-C to stop`);
    await new Promise<void>((resolve) => {
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals += 1;
        if (signals === 1) say(`${signal}: taking no more jobs; waiting for ${worker.running} running job(s) (again to hand them back)`);
        else say(`${signal}: cancelling running jobs and handing them back to the queue`);
        void worker.close({ cancel: signals > 1 }).then(() => {
          for (const name of stopSignals) process.off(name, onSignal);
          resolve();
        });
      };
      for (const name of stopSignals) process.on(name, onSignal);
    });
    return 0;
  } finally {
    watchdog.stdin?.end();
    await rm(workDir, { recursive: true, force: true });
  }
}
