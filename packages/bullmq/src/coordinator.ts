import type { Execute } from '@sdp/dispatcher';
import { Listeners, type Dispose } from '@sdp/internal';
import { Queue, QueueEvents, QueueEventsProducer } from 'bullmq';
import { cancelEvent } from './cancel-event.js';
import { resolveCoordinatorOptions, type CoordinatorOptions, type ResolvedCoordinatorOptions } from './coordinator-options.js';
import { AttemptFailedError, JobVanishedError } from './errors.js';
import { jobIdOf, jobName, type JobData } from './job-id.js';
import { JobWaiter } from './job-waiter.js';
import { OutputRelay } from './output-relay.js';
import { prioritiesOf } from './priority.js';

/** An in-flight workstream found in the queue (left by an earlier coordinator) and taken over instead of enqueued again. */
export interface AdoptEvent {
  readonly id: string;
  readonly jobId: string;
  /** `completed`: it finished while no coordinator watched, recorded without running again; `running`: awaited. */
  readonly state: 'completed' | 'running';
}

/** Output a worker shipped back for one job (the command's), relayed as it comes (every `pollMs`) and when the job ended. */
export interface OutputEvent {
  readonly id: string;
  readonly jobId: string;
  readonly text: string;
}

/** Where breaker state changes come from: a `Dispatcher`. */
export interface BreakerEvents {
  onBreakerStateChange(listener: (event: { readonly to: string }) => void): Dispose;
}

interface Adoption {
  readonly jobId: string;
  readonly adopted: AdoptEvent['state'] | undefined;
}
const unfinished = new Set(['active', 'waiting', 'prioritized', 'delayed', 'waiting-children']);

/**
 * The coordinator side: an `Execute` for a `Dispatcher` that runs each ready workstream as a BullMQ
 * job and awaits its outcome. The dispatcher keeps the graph, the checkpoint and the breaker; only
 * ready workstreams are ever enqueued (no flows). Job ids are deterministic (feature, workstream,
 * attempt sequence), so a restarted coordinator adopts what it finds instead of enqueueing again.
 */
export class Coordinator {
  readonly #options: ResolvedCoordinatorOptions;
  readonly #priorities: Map<string, number>;
  readonly #queue: Queue<JobData>;
  readonly #events: QueueEvents;
  readonly #producer: QueueEventsProducer;
  readonly #waiter: JobWaiter;
  /** Latest known attempt sequence per workstream. */
  readonly #sequences = new Map<string, number>();
  readonly #on = {
    adopt: new Listeners<AdoptEvent>('Coordinator'),
    output: new Listeners<OutputEvent>('Coordinator'),
    error: new Listeners<Error>('Coordinator'),
  };
  #closed = false;
  /** The queue made this run's (see `#claimQueue`). */
  #claimed: Promise<void> | undefined;

  private constructor(options: ResolvedCoordinatorOptions) {
    this.#options = options;
    this.#priorities = prioritiesOf(options.chainLengths);
    const { queue, connection } = options;
    this.#queue = new Queue<JobData>(queue, { connection });
    this.#events = new QueueEvents(queue, { connection });
    this.#producer = new QueueEventsProducer(queue, { connection });
    this.#waiter = new JobWaiter(this.#queue, this.#events, options.pollMs);
    // Connection errors (Redis restarting) are reported, never thrown: the connections retry.
    for (const emitter of [this.#queue, this.#events, this.#producer] as NodeJS.EventEmitter[]) {
      emitter.on('error', (error: Error) => {
        this.#on.error.emit(error);
      });
    }
  }

  /**
   * Connects. The queue is set up for this run (its global concurrency, resumed if an earlier
   * coordinator left it paused) at the first `execute`, that is once the dispatcher holds the
   * checkpoint lock: a second coordinator that is refused the lock leaves the running one's queue alone.
   */
  static async connect(options: CoordinatorOptions): Promise<Coordinator> {
    const coordinator = new Coordinator(resolveCoordinatorOptions(options));
    await coordinator.#events.waitUntilReady();
    return coordinator;
  }

  /** Makes the queue this run's, once (again after a failure). */
  #claimQueue(): Promise<void> {
    this.#claimed ??= (async () => {
      await this.#queue.setGlobalConcurrency(this.#options.concurrency);
      await this.#queue.resume();
    })().catch((error: unknown) => {
      this.#claimed = undefined;
      throw error;
    });
    return this.#claimed;
  }

  onAdopt(listener: (event: AdoptEvent) => void): Dispose {
    return this.#on.adopt.add(listener, 'onAdopt');
  }

  onOutput(listener: (event: OutputEvent) => void): Dispose {
    return this.#on.output.add(listener, 'onOutput');
  }

  /** Connection problems (Redis down, say); the coordinator keeps trying. */
  onError(listener: (error: Error) => void): Dispose {
    return this.#on.error.add(listener, 'onError');
  }

  /** While the breaker is open the queue is paused (the dispatcher enqueues nothing); a trial or a close resumes it. */
  attach(dispatcher: BreakerEvents): Dispose {
    return dispatcher.onBreakerStateChange(({ to }) => {
      void (to === 'open' ? this.#queue.pause() : this.#queue.resume()).catch(() => undefined);
    });
  }

  readonly execute: Execute = async (id, { signal }) => {
    await this.#claimQueue();
    const text = await this.#options.textOf(id);
    const { jobId, adopted } = await this.#jobFor(id, text);
    if (adopted !== undefined) this.#on.adopt.emit({ id, jobId, state: adopted });
    if (adopted === 'completed') {
      if (this.#on.output.size > 0) await this.#relayOutput(id, jobId).read();
      return;
    }
    const cancel = () => void this.#cancel(jobId);
    if (signal.aborted) cancel();
    else signal.addEventListener('abort', cancel, { once: true });
    // The command's output as it comes, not only when the job ended (a local run's log file fills live too).
    const output = this.#on.output.size === 0 ? undefined : this.#relayOutput(id, jobId);
    const relaying = output && setInterval(() => void output.read(), this.#options.pollMs);
    let outcome;
    try {
      outcome = await this.#waiter.wait(jobId);
    } finally {
      signal.removeEventListener('abort', cancel);
      clearInterval(relaying);
    }
    await output?.read();
    if (outcome.state === 'completed') return;
    if (signal.aborted) throw signal.reason;
    if (outcome.state === 'failed') throw new AttemptFailedError(id, jobId, outcome.reason);
    throw new JobVanishedError(id, jobId);
  };

  /**
   * After a run: when it completed every workstream, removes all jobs of `ids` (they are kept while a
   * run is unfinished, as the record a restarted coordinator adopts from). Returns how many were removed.
   */
  async finish(outcome: string, ids: Iterable<string>): Promise<number> {
    return outcome === 'completed' ? this.discard(ids) : 0;
  }

  /** Cancels and removes every job of `ids` (a fresh start): waits for active ones to end first. */
  async discard(ids: Iterable<string>): Promise<number> {
    let removed = 0;
    for (const id of ids) {
      const last = await this.#scan(id);
      for (let sequence = 1; sequence <= last; sequence++) {
        const jobId = jobIdOf(this.#options.featureId, id, sequence);
        await this.#cancel(jobId);
        const job = await this.#queue.getJob(jobId);
        if (job !== undefined) {
          await job.remove();
          removed++;
        }
      }
      this.#sequences.delete(id);
    }
    return removed;
  }

  /** Closes the connections; awaited workstreams settle as vanished. Jobs stay in the queue. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#waiter.close();
    await Promise.all([this.#events.close(), this.#producer.close(), this.#queue.close()]);
  }

  async #jobFor(id: string, text: string): Promise<Adoption> {
    const { featureId } = this.#options;
    const latest = this.#sequences.get(id) ?? (await this.#scan(id));
    if (latest > 0) {
      const jobId = jobIdOf(featureId, id, latest);
      const job = await this.#queue.getJob(jobId);
      const state = job === undefined ? 'unknown' : await job.getState();
      // A completion counts only for the same workstream text (an edited file runs again).
      if (state === 'completed' && job?.data.text === text) return { jobId, adopted: 'completed' };
      if (unfinished.has(state)) return { jobId, adopted: 'running' };
    }
    const sequence = latest + 1;
    const jobId = jobIdOf(featureId, id, sequence);
    this.#sequences.set(id, sequence);
    const priority = this.#priorities.get(id);
    await this.#queue.add(
      jobName,
      { featureId, workstream: id, text, sequence },
      {
        jobId,
        attempts: 1,
        // Kept until the run finished: they are what a restarted coordinator adopts from.
        removeOnComplete: false,
        removeOnFail: false,
        ...(priority === undefined ? {} : { priority }),
      },
    );
    return { jobId, adopted: undefined };
  }

  /** The highest attempt sequence of `id` in the queue (0: none). */
  async #scan(id: string): Promise<number> {
    let sequence = 0;
    while ((await this.#queue.getJob(jobIdOf(this.#options.featureId, id, sequence + 1))) !== undefined) sequence++;
    this.#sequences.set(id, sequence);
    return sequence;
  }

  /** Removes a job that did not start; tells the workers to abort one that did, until it ended. */
  async #cancel(jobId: string): Promise<void> {
    for (;;) {
      if (this.#closed) return;
      try {
        const state = await this.#queue.getJobState(jobId);
        if (!unfinished.has(state)) return;
        if (state === 'active') {
          await this.#producer.publishEvent({ eventName: cancelEvent, jobId });
        } else if ((await this.#queue.remove(jobId)) === 1) {
          return;
        }
      } catch {
        // Redis unreachable or the coordinator closing: look again after the poll interval.
      }
      await new Promise((resolve) => setTimeout(resolve, this.#options.pollMs));
    }
  }

  #relayOutput(id: string, jobId: string): OutputRelay {
    return new OutputRelay(this.#queue, jobId, (text) => {
      this.#on.output.emit({ id, jobId, text });
    });
  }
}
