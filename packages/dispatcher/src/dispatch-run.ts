import { isCircuitOpenError, type CircuitBreaker } from '@sdp/circuit-breaker';
import type { DependencyGraph, ReadySet } from '@sdp/graph';
import { WorkstreamTimeoutError } from './errors.js';
import type { CompleteEvent, FailEvent, SkipEvent, StartEvent } from './events.js';
import type { ResolvedOptions } from './options.js';
import type { RunOutcome, WorkstreamResult, WorkstreamStatus } from './run-report.js';
import { Wakeup } from './wakeup.js';

export interface ExecuteContext {
  /** Aborted when the run is cancelled or this attempt times out. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt in this run, then 2, 3 … on retries. */
  readonly attempt: number;
}

/** Runs one workstream; resolve for success, reject (or throw) for failure. */
export type Execute = (id: string, context: ExecuteContext) => Promise<unknown>;

export interface RunHooks {
  onStart(event: StartEvent): void;
  onComplete(event: CompleteEvent): void;
  onFail(event: FailEvent): void;
  onSkip(event: SkipEvent): void;
  /** Progress worth saving happened (a start, a completion, a failure). */
  onProgress(): void;
}

/**
 * One greedy, streaming run over a ready set: a workstream starts the moment it is ready and a slot is
 * free, highest remaining chain first. Every execution goes through the breaker; while it is open
 * nothing new starts. Knows nothing of files: the dispatcher persists what `onProgress` announces.
 */
export class DispatchRun {
  readonly #attempts = new Map<string, number>();
  readonly #startedAt = new Map<string, number>();
  readonly #durations = new Map<string, number>();
  /** Time spent executing each workstream in this run, over all its attempts. */
  readonly #work = new Map<string, number>();
  readonly #errors = new Map<string, unknown>();
  readonly #blockedBy = new Map<string, string>();
  /** Workstreams whose executor has not settled yet. */
  readonly #inFlight = new Set<string>();
  /**
   * What cancelling reaches for each workstream in flight: its current attempt, or its retry backoff.
   * Kept here rather than as listeners on one shared signal, which would pile up with concurrency.
   */
  readonly #active = new Map<string, AbortController>();
  readonly #wakeup = new Wakeup();
  /** Aborted when the run stops starting work and running executors must be told. */
  readonly #cancel = new AbortController();
  #outcome: RunOutcome | undefined;
  #graceExpired = false;
  #finished = false;
  #firstStart: number | undefined;
  #lastSettle: number | undefined;

  constructor(
    private readonly graph: DependencyGraph,
    private readonly ready: ReadySet,
    private readonly breaker: CircuitBreaker,
    private readonly options: ResolvedOptions,
    private readonly execute: Execute,
    private readonly hooks: RunHooks,
    private readonly interrupted: ReadonlySet<string>,
    private readonly alreadyCompleted: ReadonlySet<string>,
  ) {}

  /** Runs until everything that can run has run, or the run is stopped. */
  async run(signal: AbortSignal | undefined): Promise<RunOutcome> {
    const onAbort = () => {
      this.#stop('cancelled', signal?.reason);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.#loop();
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.#finished = true;
    }
    return this.#outcome ?? (this.ready.isFinished && this.#allCompleted() ? 'completed' : 'failed');
  }

  /** Ends the run early: nothing new starts; with a reason, running executors are aborted and get the grace period. */
  stop(outcome: RunOutcome, reason?: unknown): void {
    this.#stop(outcome, reason);
  }

  /** Workstreams executing right now (what a crash at this instant would interrupt). */
  inFlight(): string[] {
    return [...this.#inFlight];
  }

  attempts(): ReadonlyMap<string, number> {
    return this.#attempts;
  }

  durations(): ReadonlyMap<string, number> {
    return this.#durations;
  }

  blockedBy(): ReadonlyMap<string, string> {
    return this.#blockedBy;
  }

  makespanMs(): number {
    return this.#firstStart === undefined || this.#lastSettle === undefined ? 0 : this.#lastSettle - this.#firstStart;
  }

  /** `max(critical path, total work / concurrency)` over the work measured in this run. */
  lowerBoundMs(): number {
    let total = 0;
    for (const ms of this.#work.values()) total += ms;
    const { length } = this.graph.criticalPath((id) => this.#work.get(id) ?? 0);
    return Math.max(length, total / this.options.concurrency);
  }

  results(): WorkstreamResult[] {
    return this.graph.ids().map((id) => {
      const status = this.#statusOf(id);
      const startedAt = this.#startedAt.get(id);
      const durationMs = this.#durations.get(id);
      const blockedBy = this.#blockedBy.get(id);
      const error = this.#errors.get(id);
      return {
        id,
        status,
        attempts: this.#attempts.get(id) ?? 0,
        alreadyCompleted: this.alreadyCompleted.has(id),
        rerunAfterCrash: this.interrupted.has(id) && startedAt !== undefined,
        ...(startedAt === undefined ? {} : { startedAt: new Date(startedAt) }),
        ...(durationMs === undefined ? {} : { durationMs }),
        ...(blockedBy === undefined ? {} : { blockedBy }),
        ...((status === 'failed' || status === 'cancelled') && error !== undefined ? { error } : {}),
      };
    });
  }

  #statusOf(id: string): WorkstreamStatus {
    switch (this.ready.status(id)) {
      case 'completed':
        return 'completed';
      case 'failed':
        return 'failed';
      case 'skipped':
        return 'skipped';
      case 'running':
        return 'cancelled';
      case 'ready':
      case 'pending':
        return 'not-run';
    }
  }

  #allCompleted(): boolean {
    return this.graph.ids().every((id) => this.ready.status(id) === 'completed');
  }

  #stop(outcome: RunOutcome, reason?: unknown): void {
    if (this.#outcome !== undefined) return;
    this.#outcome = outcome;
    if (reason !== undefined || outcome === 'cancelled') {
      this.#cancel.abort(reason);
      for (const controller of this.#active.values()) controller.abort(this.#cancel.signal.reason);
      // Running executors get the grace period to settle; after it, they are abandoned as cancelled.
      this.options.clock.sleep(this.options.gracePeriod).then(
        () => {
          this.#graceExpired = true;
          this.#wakeup.wake();
        },
        () => undefined,
      );
    }
    this.#wakeup.wake();
  }

  async #loop(): Promise<void> {
    for (;;) {
      const breakerWaitMs = this.#startReady();
      const running = this.#inFlight.size;
      if (running === 0 && (this.#outcome !== undefined || (this.ready.readyCount === 0 && breakerWaitMs === undefined))) {
        return;
      }
      if (this.#outcome !== undefined && this.#graceExpired) return;
      await this.#waitForProgress(breakerWaitMs);
    }
  }

  /** Starts what may start; returns how long to wait for the breaker when it holds work back. */
  #startReady(): number | undefined {
    while (this.#outcome === undefined && this.#inFlight.size < this.options.concurrency && this.ready.readyCount > 0) {
      const state = this.breaker.state;
      if (state === 'open') {
        if (this.options.onBreakerOpen === 'stop') {
          this.#stop('breaker-open');
          return undefined;
        }
        return Math.max(this.breaker.retryAfterMs(), 1);
      }
      // Half-open admits one trial; wait for its outcome before starting anything else.
      if (state === 'half-open' && this.breaker.metrics().trialInFlight) return undefined;
      const id = this.ready.take();
      if (id === undefined) return undefined;
      void this.#runWorkstream(id);
      if (state === 'half-open') return undefined;
    }
    return undefined;
  }

  async #waitForProgress(breakerWaitMs: number | undefined): Promise<void> {
    const progress = this.#wakeup.next();
    if (breakerWaitMs === undefined) {
      await progress;
      return;
    }
    const stopSleeping = new AbortController();
    const sleep = this.options.clock.sleep(breakerWaitMs, stopSleeping.signal).catch(() => undefined);
    try {
      await Promise.race([progress, sleep]);
    } finally {
      stopSleeping.abort();
    }
  }

  async #runWorkstream(id: string): Promise<void> {
    this.#inFlight.add(id);
    try {
      while ((await this.#attempt(id)) === 'retry') {
        // next attempt
      }
    } finally {
      this.#active.delete(id);
      if (!this.#finished) {
        this.#inFlight.delete(id);
        this.#lastSettle = this.options.clock.now();
        // No longer in flight: worth saving (a cancelled one must not be recorded as running).
        this.hooks.onProgress();
        this.#wakeup.wake();
      }
    }
  }

  /** One attempt through the breaker; says whether another attempt follows. */
  async #attempt(id: string): Promise<'done' | 'retry'> {
    const { clock, timeout, retries } = this.options;
    const number = (this.#attempts.get(id) ?? 0) + 1;
    const controller = this.#cancellable(id);
    const stopTimer = new AbortController();
    let startedAt = 0;

    try {
      await this.breaker.execute(() => {
        startedAt = clock.now();
        this.#attempts.set(id, number);
        this.#firstStart ??= startedAt;
        if (!this.#startedAt.has(id)) this.#startedAt.set(id, startedAt);
        this.hooks.onStart({ id, attempt: number, startedAt: new Date(startedAt), rerunAfterCrash: this.interrupted.has(id) });
        this.hooks.onProgress();
        const execution = invoke(() => this.execute(id, { signal: controller.signal, attempt: number }));
        if (timeout === undefined) return execution;
        // The attempt fails at its deadline even if the executor ignores the abort.
        return new Promise<unknown>((resolve, reject) => {
          execution.then(resolve, reject);
          clock.sleep(timeout, stopTimer.signal).then(
            () => {
              const error = new WorkstreamTimeoutError(id, timeout);
              controller.abort(error);
              reject(error);
            },
            () => undefined,
          );
        });
      }, this.#cancel.signal);
    } catch (error) {
      if (this.#finished) return 'done';
      if (isCircuitOpenError(error)) {
        // Not an attempt and not a failure: back to the ready set until the breaker lets work through.
        this.ready.release(id);
        return 'done';
      }
      const durationMs = this.#measure(id, startedAt);
      this.#errors.set(id, error);
      // Cancelled: it stays 'running' in the ready set and is reported as cancelled.
      if (this.#cancel.signal.aborted) return 'done';
      const willRetry = number <= retries && this.#outcome === undefined;
      if (willRetry) {
        const retryInMs = this.options.retryDelay(number);
        this.hooks.onFail({ id, attempt: number, error, durationMs, willRetry, retryInMs });
        try {
          await clock.sleep(retryInMs, this.#cancellable(id).signal);
        } catch {
          return 'done';
        }
        if (this.#outcome === undefined) return 'retry';
        // The run stopped during the backoff (breaker 'stop'): the retry is left for the next run.
        this.ready.release(id);
        return 'done';
      }
      this.hooks.onFail({ id, attempt: number, error, durationMs, willRetry });
      return this.#failed(id);
    } finally {
      stopTimer.abort();
    }

    if (this.#finished) return 'done';
    const durationMs = this.#measure(id, startedAt);
    this.ready.complete(id);
    this.hooks.onComplete({ id, attempt: number, durationMs });
    this.hooks.onProgress();
    return 'done';
  }

  /** A controller that the run's cancellation aborts, registered as what cancels `id` now. */
  #cancellable(id: string): AbortController {
    const controller = new AbortController();
    if (this.#cancel.signal.aborted) controller.abort(this.#cancel.signal.reason);
    this.#active.set(id, controller);
    return controller;
  }

  #measure(id: string, startedAt: number): number {
    const durationMs = Math.max(0, this.options.clock.now() - startedAt);
    this.#durations.set(id, durationMs);
    this.#work.set(id, (this.#work.get(id) ?? 0) + durationMs);
    return durationMs;
  }

  #failed(id: string): 'done' {
    for (const skipped of this.ready.fail(id)) {
      this.#blockedBy.set(skipped, id);
      this.hooks.onSkip({ id: skipped, blockedBy: id });
    }
    this.hooks.onProgress();
    return 'done';
  }
}

/** Calls `fn`, turning a synchronous throw into a rejection. */
async function invoke(fn: () => Promise<unknown>): Promise<unknown> {
  return fn();
}
