import { Listeners, type Dispose } from '@sdp/internal';
import { QueueEvents, WaitingError, Worker, type Job } from 'bullmq';
import { LockLostError } from './errors.js';
import type { JobData } from './job-id.js';
import { cancelEvent } from './cancel-event.js';
import { resolveWorkerOptions, type WorkerOptions } from './worker-options.js';

/** One job as a worker sees it. */
export interface WorkerTask extends JobData {
  readonly jobId: string;
}

export interface WorkerContext {
  /**
   * Aborted when the coordinator cancels the job, when this worker loses (or cannot renew) the job's
   * lock, or when the worker is closed with `cancel`. The reason says which.
   */
  readonly signal: AbortSignal;
  /** The lock duration: a supervisor outside this process must end the command within half of it after the last renewal. */
  readonly lockMs: number;
  /**
   * Called at start and each time this job's lock was renewed in Redis. This is the seam for the
   * command's supervisor: refresh its keepalive here, so that a frozen or killed worker's command
   * ends (silence > lockMs / 2) before the lock can lapse and another worker take the job over.
   */
  onLockRenewed(listener: () => void): Dispose;
  /** Ships output to the coordinator (stored with the job, read when the job ends). */
  log(text: string): Promise<void>;
}

/** Runs one job on a worker; resolve for success, reject for failure. */
export type WorkerExecute = (task: WorkerTask, context: WorkerContext) => Promise<void>;

export interface LockLostEvent {
  readonly jobId: string;
  readonly reason: string;
}

export interface CloseOptions {
  /** Cancel running jobs (they go back to the queue for another worker) instead of letting them finish. */
  readonly cancel?: boolean;
}

export interface WorkerHandle {
  /** Jobs running on this worker now. */
  readonly running: number;
  /** Stops taking jobs and resolves when the running ones ended (or, with `cancel`, were handed back). */
  close(options?: CloseOptions): Promise<void>;
  /** Connection and lock-renewal problems (Redis down, say); the worker keeps trying. */
  onError(listener: (error: Error) => void): Dispose;
  /** This worker stopped holding a job's lock and cancelled its command. */
  onLockLost(listener: (event: LockLostEvent) => void): Dispose;
}

interface Running {
  readonly controller: AbortController;
  lastRenewedAt: number;
  readonly renewed: Listeners<undefined>;
}

/** Aborts a job's command because this worker is stopping: the job goes back to wait, it did not fail. */
class WorkerStopping extends Error {
  override readonly name = 'WorkerStopping';
}

/**
 * Starts a BullMQ worker that runs jobs through `execute`. Lock renewals every `lockMs / 4`; a job
 * whose lock renewal is refused or overdue (`lockMs / 2` without one) has its command cancelled at
 * once, and its completion would be refused anyway (BullMQ commits a completion only under the
 * job's lock): so exactly one worker commits each attempt.
 */
export async function startWorker(options: WorkerOptions): Promise<WorkerHandle> {
  const { connection, queue, execute, concurrency, lockMs, stalledIntervalMs, maxStalledCount } = resolveWorkerOptions(options);
  const running = new Map<string, Running>();
  const on = { error: new Listeners<Error>('Worker'), lockLost: new Listeners<LockLostEvent>('Worker') };
  const lose = (jobId: string, reason: string) => {
    const job = running.get(jobId);
    if (job === undefined || job.controller.signal.aborted) return;
    job.controller.abort(new LockLostError(jobId, reason));
    on.lockLost.emit({ jobId, reason });
  };

  // Three parameters: BullMQ gives a processor of that arity the signal of `cancelJob`.
  const processor = async (job: Job<JobData>, token: string | undefined, signal: AbortSignal | undefined): Promise<void> => {
    const jobId = job.id ?? '';
    const controller = new AbortController();
    const relay = () => {
      controller.abort(signal?.reason);
    };
    signal?.addEventListener('abort', relay, { once: true });
    const entry: Running = { controller, lastRenewedAt: Date.now(), renewed: new Listeners<undefined>('WorkerContext') };
    running.set(jobId, entry);
    try {
      await execute(
        { ...job.data, jobId },
        {
          signal: controller.signal,
          lockMs,
          onLockRenewed: (listener) => {
            listener();
            return entry.renewed.add(listener, 'onLockRenewed');
          },
          log: async (text) => {
            await job.log(text);
          },
        },
      );
    } catch (error) {
      const reason: unknown = controller.signal.reason;
      if ((reason instanceof WorkerStopping || reason instanceof LockLostError) && token !== undefined) {
        // Hand the job back instead of failing it: the coordinator's attempt goes on elsewhere. Refused
        // when the lock is no longer ours (the stalled check already did it, or another worker runs it).
        await job.moveToWait(token).catch(() => undefined);
        throw new WaitingError();
      }
      throw controller.signal.aborted ? (controller.signal.reason as Error) : error;
    } finally {
      signal?.removeEventListener('abort', relay);
      running.delete(jobId);
    }
    // The command succeeded, even if it did so after this worker gave up on the lock (renewals overdue
    // while Redis was unreachable, say): BullMQ commits the completion only if the lock is still this
    // worker's, so no other copy can have run; if it is not, the completion is refused and the job
    // goes on elsewhere. Never a failure: the work did not fail.
  };

  const worker = new Worker<JobData, void>(queue, processor, {
    connection,
    concurrency,
    lockDuration: lockMs,
    // Renew four times per lock period (BullMQ's default is two): the supervisor's silence limit
    // (half the lock) then covers two missed renewals, and still ends the command before the lock lapses.
    lockRenewTime: lockMs / 4,
    stalledInterval: stalledIntervalMs,
    maxStalledCount,
    // BullMQ retries a failed completion step after 15 s by default; after a Redis outage that would
    // keep a slot busy long after the job went on elsewhere.
    runRetryDelay: Math.min(15_000, lockMs),
    autorun: false,
  });
  worker.on('error', (error) => {
    on.error.emit(error);
  });
  worker.on('locksRenewed', ({ jobIds }) => {
    const now = Date.now();
    for (const jobId of jobIds) {
      const job = running.get(jobId);
      if (job === undefined) continue;
      job.lastRenewedAt = now;
      job.renewed.emit(undefined);
    }
  });
  worker.on('lockRenewalFailed', (jobIds) => {
    for (const jobId of jobIds) lose(jobId, 'Redis refused to renew it');
  });
  // Renewals that do not arrive (Redis unreachable, event loop blocked): give up before the lock lapses.
  const overdue = setInterval(
    () => {
      const now = Date.now();
      for (const [jobId, job] of running) {
        if (now - job.lastRenewedAt > lockMs / 2) lose(jobId, `not renewed for ${now - job.lastRenewedAt} ms`);
      }
    },
    Math.max(50, Math.round(lockMs / 20)),
  );
  overdue.unref();

  const events = new QueueEvents(queue, { connection });
  events.on('error', (error) => {
    on.error.emit(error);
  });
  const onCancel = ({ jobId }: { jobId: string }) => {
    running.get(jobId)?.controller.abort(new Error(`job ${jobId} was cancelled by the coordinator`));
  };
  (events as unknown as NodeJS.EventEmitter).on(cancelEvent, onCancel);
  await events.waitUntilReady();
  await worker.waitUntilReady();
  let closing: Promise<void> | undefined;
  // BullMQ's run loop can end after a lost connection (a Redis restart) while the worker is not
  // closing, and then no job is taken again: start it again until the worker closes.
  const keepRunning = () => {
    worker
      .run()
      .catch((error: unknown) => {
        on.error.emit(error instanceof Error ? error : new Error(String(error)));
      })
      .finally(() => {
        if (closing === undefined) setTimeout(keepRunning, Math.min(1000, lockMs / 4)).unref();
      });
  };
  keepRunning();
  return {
    get running() {
      return running.size;
    },
    close({ cancel = false } = {}) {
      if (cancel) for (const job of running.values()) job.controller.abort(new WorkerStopping('this worker is stopping'));
      closing ??= (async () => {
        await worker.close();
        clearInterval(overdue);
        await events.close();
      })();
      return closing;
    },
    onError: (listener) => on.error.add(listener, 'onError'),
    onLockLost: (listener) => on.lockLost.add(listener, 'onLockLost'),
  };
}
