import { isCircuitOpenError, type CircuitBreaker } from '@sdp/circuit-breaker';
import type { DependencyGraph, ReadySet } from '@sdp/graph';
import { withDeadline } from './deadline.js';
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
  readonly #attemptCounts = new Map<string, number>();
  readonly #startedAt = new Map<string, number>();
  readonly #durations = new Map<string, number>();
  /** Time spent executing each workstream in this run, over all its attempts. */
  readonly #work = new Map<string, number>();
  readonly #errors = new Map<string, unknown>();
  readonly #blockedBy = new Map<string, string>();
  /** Workstreams holding a slot: executing, or waiting for their next attempt. */
  readonly #inFlight = new Set<string>();
  /** Workstreams whose executor is running right now (what a crash at this instant interrupts). */
  readonly #executing = new Set<string>();
  /**
   * What a cancellation reaches: each executing attempt's controller, and each retry backoff.
   * Kept here rather than as listeners on one shared signal, which would pile up with concurrency.
   */
  readonly #attempts = new Map<string, AbortController>();
  readonly #backoffs = new Map<string, AbortController>();
  /** Ends the grace-period wait when the run finishes first, so no timer outlives the run. */
  readonly #graceTimer = new AbortController();
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
      this.#graceTimer.abort();
      this.#finished = true;
    }
    return this.#outcome ?? (this.ready.isFinished && this.#allCompleted() ? 'completed' : 'failed');
  }

  /** Ends the run early: nothing new starts; with a reason, running executors are aborted and get the grace period. */
  stop(outcome: RunOutcome, reason?: unknown): void {
    this.#stop(outcome, reason);
  }

  /** Workstreams executing right now (what a crash at this instant would interrupt). */
  executing(): string[] {
    return [...this.#executing];
  }

  /** Something outside the run changed (e.g. the breaker's state): look again at what may start. */
  wake(): void {
    this.#wakeup.wake();
  }

  attempts(): ReadonlyMap<string, number> {
    return this.#attemptCounts;
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
        attempts: this.#attemptCounts.get(id) ?? 0,
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
    // Nothing waits for a retry once the run stops.
    for (const backoff of this.#backoffs.values()) backoff.abort(reason);
    if (reason !== undefined || outcome === 'cancelled') {
      this.#cancel.abort(reason);
      for (const controller of this.#attempts.values()) controller.abort(this.#cancel.signal.reason);
      // Running executors get the grace period to settle; after it, they are abandoned as cancelled.
      this.options.clock.sleep(this.options.gracePeriod, this.#graceTimer.signal).then(
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
    // 'stop' ends the run as soon as the breaker opens, even with nothing ready to start.
    if (this.#outcome === undefined && this.options.onBreakerOpen === 'stop' && this.breaker.state === 'open') {
      this.#stop('breaker-open');
    }
    while (this.#outcome === undefined && this.#inFlight.size < this.options.concurrency && this.ready.readyCount > 0) {
      const state = this.breaker.state;
      if (state === 'open') {
        if (this.options.onBreakerOpen === 'stop') {
          this.#stop('breaker-open');
          return undefined;
        }
        return Math.max(this.breaker.retryAfterMs(), 1);
      }
      // Half-open admits one trial; wait for its outcome before starting anything else. When the
      // trial is not ours (a shared breaker), its outcome reaches us as a state change (see wake);
      // a trial that ends without one (cancelled) is caught by looking again now and then.
      if (state === 'half-open' && this.breaker.metrics().trialInFlight) {
        return this.#executing.size === 0 ? foreignTrialPollMs : undefined;
      }
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
    } catch (error) {
      // A bug outside the executor (a throwing retryDelay, a listener of ours): the workstream fails
      // instead of staying 'running' forever or surfacing as an unhandled rejection.
      if (!this.#finished && this.ready.status(id) === 'running') {
        this.#errors.set(id, error);
        this.#failed(id);
      }
    } finally {
      this.#executing.delete(id);
      this.#attempts.delete(id);
      this.#backoffs.delete(id);
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
    const number = (this.#attemptCounts.get(id) ?? 0) + 1;
    const controller = this.#cancellable(this.#attempts, id);
    // Only an attempt with a deadline needs to stop its timers (an abort costs a DOMException).
    const stopTimer = timeout === undefined ? undefined : new AbortController();
    let startedAt = 0;

    try {
      await this.breaker.execute(() => {
        startedAt = clock.now();
        this.#attemptCounts.set(id, number);
        this.#firstStart ??= startedAt;
        if (!this.#startedAt.has(id)) this.#startedAt.set(id, startedAt);
        this.#executing.add(id);
        this.hooks.onStart({ id, attempt: number, startedAt: new Date(startedAt), rerunAfterCrash: this.interrupted.has(id) });
        this.hooks.onProgress();
        const execution = invoke(() => this.execute(id, { signal: controller.signal, attempt: number }));
        if (timeout === undefined || stopTimer === undefined) return execution;
        return withDeadline(execution, {
          clock,
          timeout,
          gracePeriod: this.options.gracePeriod,
          controller,
          stop: stopTimer.signal,
          error: new WorkstreamTimeoutError(id, timeout),
        });
      }, this.#cancel.signal);
    } catch (error) {
      if (this.#finished) return 'done';
      if (isCircuitOpenError(error)) {
        // Not an attempt and not a failure: back to the ready set until the breaker lets work through.
        this.ready.release(id);
        return 'done';
      }
      this.#errors.set(id, error);
      // Cancelled: it stays 'running' in the ready set and is reported as cancelled. Its partial
      // duration is not a measurement of the work.
      if (this.#cancel.signal.aborted) return 'done';
      const durationMs = this.#measure(id, startedAt);
      const willRetry = number <= retries && this.#outcome === undefined;
      if (!willRetry) {
        this.hooks.onFail({ id, attempt: number, error, durationMs, willRetry });
        return this.#failed(id);
      }
      const retryInMs = this.#retryDelay(number);
      this.hooks.onFail({ id, attempt: number, error, durationMs, willRetry, retryInMs });
      return await this.#backoff(id, retryInMs);
    } finally {
      stopTimer?.abort();
      this.#executing.delete(id);
    }

    if (this.#finished) return 'done';
    const durationMs = this.#measure(id, startedAt);
    this.ready.complete(id);
    this.hooks.onComplete({ id, attempt: number, durationMs });
    this.hooks.onProgress();
    return 'done';
  }

  /** Waits before the next attempt; if the run stops meanwhile, the failure stands (the next run retries it). */
  async #backoff(id: string, ms: number): Promise<'done' | 'retry'> {
    try {
      if (this.#outcome === undefined) await this.options.clock.sleep(ms, this.#cancellable(this.#backoffs, id).signal);
    } catch {
      // Stopped or cancelled during the wait.
    } finally {
      this.#backoffs.delete(id);
    }
    if (this.#finished || this.#cancel.signal.aborted) return 'done';
    if (this.#outcome === undefined) return 'retry';
    return this.#failed(id);
  }

  #retryDelay(retry: number): number {
    const ms = this.options.retryDelay(retry);
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`retryDelay(${retry}) must return a finite number of milliseconds >= 0, got ${String(ms)}`);
    }
    return ms;
  }

  /** A controller that the run's cancellation (or stop, for backoffs) aborts, registered in `registry`. */
  #cancellable(registry: Map<string, AbortController>, id: string): AbortController {
    const controller = new AbortController();
    if (this.#cancel.signal.aborted) controller.abort(this.#cancel.signal.reason);
    registry.set(id, controller);
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

/** How often to look at a shared breaker whose half-open trial is someone else's. */
const foreignTrialPollMs = 1000;

/** Calls `fn`, turning a synchronous throw into a rejection. */
async function invoke(fn: () => Promise<unknown>): Promise<unknown> {
  return fn();
}
