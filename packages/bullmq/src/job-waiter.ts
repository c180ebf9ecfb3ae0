import type { Queue, QueueEvents } from 'bullmq';

export type JobOutcome =
  { readonly state: 'completed' } | { readonly state: 'failed'; readonly reason: string } | { readonly state: 'vanished' };

interface Waiting {
  readonly resolve: (outcome: JobOutcome) => void;
}

/**
 * Resolves when jobs end, from queue events, with a poll of each awaited job as the safety net for
 * events missed while Redis or the connection was down.
 */
export class JobWaiter {
  readonly #waiting = new Map<string, Waiting[]>();
  readonly #poll: NodeJS.Timeout;

  constructor(
    private readonly queue: Queue,
    events: QueueEvents,
    pollMs: number,
  ) {
    events.on('completed', ({ jobId }) => {
      this.#settle(jobId, { state: 'completed' });
    });
    events.on('failed', ({ jobId, failedReason }) => {
      this.#settle(jobId, { state: 'failed', reason: failedReason });
    });
    this.#poll = setInterval(() => void this.#check(), pollMs);
    this.#poll.unref();
  }

  /** The job's outcome once it has one (at once when it already has). */
  async wait(jobId: string): Promise<JobOutcome> {
    const outcome = new Promise<JobOutcome>((resolve) => {
      const list = this.#waiting.get(jobId) ?? [];
      list.push({ resolve });
      this.#waiting.set(jobId, list);
    });
    // The job may have ended before the listener was registered.
    await this.#checkOne(jobId);
    return outcome;
  }

  /** Settles every wait with `vanished` (the coordinator is closing). */
  close(): void {
    clearInterval(this.#poll);
    for (const jobId of [...this.#waiting.keys()]) this.#settle(jobId, { state: 'vanished' });
  }

  #settle(jobId: string, outcome: JobOutcome): void {
    const list = this.#waiting.get(jobId);
    if (list === undefined) return;
    this.#waiting.delete(jobId);
    for (const waiting of list) waiting.resolve(outcome);
  }

  #polling = false;

  async #check(): Promise<void> {
    // Commands wait for a reconnect while Redis is down: never stack polls.
    if (this.#polling) return;
    this.#polling = true;
    try {
      for (const jobId of [...this.#waiting.keys()]) await this.#checkOne(jobId);
    } finally {
      this.#polling = false;
    }
  }

  async #checkOne(jobId: string): Promise<void> {
    try {
      const state = await this.queue.getJobState(jobId);
      if (state === 'completed') this.#settle(jobId, { state: 'completed' });
      else if (state === 'unknown') this.#settle(jobId, { state: 'vanished' });
      else if (state === 'failed') {
        // Read after the state: a job read before it failed has no reason yet.
        const job = await this.queue.getJob(jobId);
        this.#settle(jobId, { state: 'failed', reason: job?.failedReason ?? 'removed after it failed' });
      }
    } catch {
      // Redis unreachable: the next poll tries again.
    }
  }
}
