import { setMaxListeners } from 'node:events';
import { isCircuitOpenError, type CircuitBreaker } from '@sdp/circuit-breaker';
import type { DependencyGraph, ReadySet } from '@sdp/graph';
import { withDeadline } from './deadline.js';
import { WorkstreamTimeoutError } from './errors.js';
import type { FailEvent, SkipEvent } from './events.js';
import type { ResolvedOptions } from './options.js';
import type { RunOutcome, WorkstreamResult, WorkstreamStatus } from './run-report.js';
import { RunChanges } from './run-changes.js';
import { Wakeup } from './wakeup.js';

export interface ExecuteContext {
  /**
   * Aborted when the run is cancelled or this attempt times out. Without a `timeout`, every attempt
   * of a run gets the run's own signal: an abort listener should be removed when the attempt ends.
   */
  readonly signal: AbortSignal;
  /** 1 for the first attempt in this run, then 2, 3 … on retries. */
  readonly attempt: number;
}

/** Runs one workstream; resolve for success, reject (or throw) for failure. */
export type Execute = (id: string, context: ExecuteContext) => Promise<unknown>;

export interface RunHooks {
  /** Positional, so that no event (and no `Date`) is made when nobody listens. */
  onStart(id: string, attempt: number, startedAt: number, rerunAfterCrash: boolean): void;
  onComplete(id: string, attempt: number, durationMs: number): void;
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
  // Few fields, grouped: a class instance with many of them can end up in V8's slow dictionary mode
  // once a few runs have come and gone (measured: 15% slower scheduling in a long-lived process).
  readonly #in: RunInputs;
  /** What this run knows of each workstream it took from the ready set. */
  readonly #tracks = new Map<string, Track>();
  readonly #blockedBy = new Map<string, string>();
  /** Workstreams holding a slot: executing, or waiting for their next attempt. */
  readonly #inFlight = new Map<string, Track>();
  readonly #wakeup = new Wakeup();
  /**
   * Aborted when the run stops starting work and running executors must be told. It is the signal
   * of every attempt without a deadline, so a listener per running executor is expected, not a leak.
   */
  readonly #cancel = withUnlimitedListeners(new AbortController());
  /** Recorded from the first `takeChanges()` on: a run nobody saves records nothing. */
  #changes: RunChanges | undefined;
  readonly #state: { outcome: RunOutcome | undefined; finished: boolean; failures: number } = {
    outcome: undefined,
    /** run() returned: late settlements change nothing. */
    finished: false,
    /** Workstreams failed for good in this run. */
    failures: 0,
  };
  /** The grace period after a stop; its timer ends when the run finishes first, so none outlives the run. */
  readonly #grace = { timer: new AbortController(), expired: false };
  /** First start and last settlement, for the makespan. */
  readonly #span: { first: number | undefined; last: number | undefined } = { first: undefined, last: undefined };

  constructor(inputs: RunInputs) {
    this.#in = inputs;
  }

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
      this.#grace.timer.abort();
      this.#state.finished = true;
    }
    // Finished with no failure means every workstream completed (skips only follow failures).
    return this.#state.outcome ?? (this.#in.ready.isFinished && this.#state.failures === 0 ? 'completed' : 'failed');
  }

  /** Ends the run early: nothing new starts; with a reason, running executors are aborted and get the grace period. */
  stop(outcome: RunOutcome, reason?: unknown): void {
    this.#stop(outcome, reason);
  }

  /** Workstreams executing right now (what a crash at this instant would interrupt). */
  executing(): string[] {
    const ids: string[] = [];
    for (const [id, track] of this.#inFlight) if (track.executing) ids.push(id);
    return ids;
  }

  /** Something outside the run changed (e.g. the breaker's state): look again at what may start. */
  wake(): void {
    this.#wakeup.wake();
  }

  /** What changed since the previous call; recording starts with the first call. */
  takeChanges(): RunChanges {
    const changes = this.#changes ?? new RunChanges();
    this.#changes = new RunChanges();
    return changes;
  }

  /** Executions of `id` in this run. */
  attemptsOf(id: string): number {
    return this.#tracks.get(id)?.attempts ?? 0;
  }

  /** Duration of `id`'s last finished attempt in this run. */
  durationOf(id: string): number | undefined {
    return this.#tracks.get(id)?.durationMs;
  }

  /** Executions of each workstream in this run (those with at least one). */
  attempts(): Map<string, number> {
    const attempts = new Map<string, number>();
    for (const [id, track] of this.#tracks) if (track.attempts > 0) attempts.set(id, track.attempts);
    return attempts;
  }

  /** Duration of each workstream's last finished attempt in this run. */
  durations(): Map<string, number> {
    const durations = new Map<string, number>();
    for (const [id, track] of this.#tracks) if (track.durationMs !== undefined) durations.set(id, track.durationMs);
    return durations;
  }

  blockedBy(): ReadonlyMap<string, string> {
    return this.#blockedBy;
  }

  makespanMs(): number {
    return this.#span.first === undefined || this.#span.last === undefined ? 0 : this.#span.last - this.#span.first;
  }

  /** `max(critical path, total work / concurrency)` over the work measured in this run. */
  lowerBoundMs(): number {
    let total = 0;
    for (const track of this.#tracks.values()) total += track.workMs;
    const { length } = this.#in.graph.criticalPath((id) => this.#tracks.get(id)?.workMs ?? 0);
    return Math.max(length, total / this.#in.options.concurrency);
  }

  results(): WorkstreamResult[] {
    const { graph, alreadyCompleted, interrupted } = this.#in;
    // Lookups in sets and maps that are empty in most runs are skipped: this runs once per workstream.
    const anyAlreadyCompleted = alreadyCompleted.size > 0;
    const anyInterrupted = interrupted.size > 0;
    const anyBlocked = this.#blockedBy.size > 0;
    return graph.ids().map((id) => {
      const status = this.#statusOf(id);
      const track = this.#tracks.get(id);
      const startedAt = track?.startedAt;
      const durationMs = track?.durationMs;
      const attempts = track?.attempts ?? 0;
      const isAlreadyCompleted = anyAlreadyCompleted && alreadyCompleted.has(id);
      const rerunAfterCrash = anyInterrupted && startedAt !== undefined && interrupted.has(id);
      // Whole literals for the common shapes: a property added later costs the object a second allocation.
      const result: Mutable<WorkstreamResult> =
        startedAt === undefined
          ? { id, status, attempts, alreadyCompleted: isAlreadyCompleted, rerunAfterCrash }
          : durationMs === undefined
            ? { id, status, attempts, alreadyCompleted: isAlreadyCompleted, rerunAfterCrash, startedAt: new Date(startedAt) }
            : { id, status, attempts, alreadyCompleted: isAlreadyCompleted, rerunAfterCrash, startedAt: new Date(startedAt), durationMs };
      const blockedBy = anyBlocked ? this.#blockedBy.get(id) : undefined;
      if (blockedBy !== undefined) result.blockedBy = blockedBy;
      if ((status === 'failed' || status === 'cancelled') && track?.error !== undefined) result.error = track.error;
      return result;
    });
  }

  #statusOf(id: string): WorkstreamStatus {
    switch (this.#in.ready.status(id)) {
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

  #stop(outcome: RunOutcome, reason?: unknown): void {
    if (this.#state.outcome !== undefined) return;
    this.#state.outcome = outcome;
    // Nothing waits for a retry once the run stops.
    for (const track of this.#inFlight.values()) track.backoff?.abort(reason);
    if (reason !== undefined || outcome === 'cancelled') {
      this.#cancel.abort(reason);
      for (const track of this.#inFlight.values()) track.abort?.abort(this.#cancel.signal.reason);
      // Running executors get the grace period to settle; after it, they are abandoned as cancelled.
      this.#in.options.clock.sleep(this.#in.options.gracePeriod, this.#grace.timer.signal).then(
        () => {
          this.#grace.expired = true;
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
      if (running === 0 && (this.#state.outcome !== undefined || (this.#in.ready.readyCount === 0 && breakerWaitMs === undefined))) {
        return;
      }
      if (this.#state.outcome !== undefined && this.#grace.expired) return;
      await this.#waitForProgress(breakerWaitMs);
    }
  }

  /** Starts what may start; returns how long to wait for the breaker when it holds work back. */
  #startReady(): number | undefined {
    // 'stop' ends the run as soon as the breaker opens, even with nothing ready to start.
    if (this.#state.outcome === undefined && this.#in.options.onBreakerOpen === 'stop' && this.#in.breaker.state === 'open') {
      this.#stop('breaker-open');
    }
    while (this.#state.outcome === undefined && this.#inFlight.size < this.#in.options.concurrency && this.#in.ready.readyCount > 0) {
      const state = this.#in.breaker.state;
      if (state === 'open') {
        if (this.#in.options.onBreakerOpen === 'stop') {
          this.#stop('breaker-open');
          return undefined;
        }
        return Math.max(this.#in.breaker.retryAfterMs(), 1);
      }
      // Half-open admits one trial; wait for its outcome before starting anything else. When the
      // trial is not ours (a shared breaker), its outcome reaches us as a state change (see wake);
      // a trial that ends without one (cancelled) is caught by looking again now and then.
      if (state === 'half-open' && this.#in.breaker.metrics().trialInFlight) {
        return this.#executingCount() === 0 ? foreignTrialPollMs : undefined;
      }
      const id = this.#in.ready.take();
      if (id === undefined) return undefined;
      this.#runWorkstream(id);
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
    const sleep = this.#in.options.clock.sleep(breakerWaitMs, stopSleeping.signal).catch(() => undefined);
    try {
      await Promise.race([progress, sleep]);
    } finally {
      stopSleeping.abort();
    }
  }

  // The path of a workstream through its attempts is written with callbacks rather than async
  // functions: each async frame cost a promise and a tick per workstream, which dominated the
  // scheduling of short work. Every path ends in exactly one #release (or in the next #attempt).

  #runWorkstream(id: string): void {
    let track = this.#tracks.get(id);
    if (track === undefined) {
      track = { attempts: 0, startedAt: undefined, durationMs: undefined, workMs: 0, error: undefined, executing: false, abort: undefined, backoff: undefined };
      this.#tracks.set(id, track);
    }
    this.#inFlight.set(id, track);
    try {
      this.#attempt(id, track);
    } catch (bug) {
      this.#bug(id, track, bug);
    }
  }

  /** One attempt through the breaker. */
  #attempt(id: string, track: Track): void {
    const { clock, timeout } = this.#in.options;
    const number = track.attempts + 1;
    // Only an attempt with a deadline has a signal of its own (and timers to stop): an
    // AbortController per attempt was the largest cost of scheduling short work.
    const deadline = timeout === undefined ? undefined : { timeout, abort: new AbortController(), stopTimer: new AbortController() };
    if (deadline !== undefined) {
      if (this.#cancel.signal.aborted) deadline.abort.abort(this.#cancel.signal.reason);
      track.abort = deadline.abort;
    }
    let startedAt = 0;
    this.#in.breaker
      .execute(() => {
        startedAt = clock.now();
        track.attempts = number;
        track.startedAt ??= startedAt;
        track.executing = true;
        this.#changes?.executed.add(id);
        this.#span.first ??= startedAt;
        this.#in.hooks.onStart(id, number, startedAt, this.#in.interrupted.has(id));
        this.#in.hooks.onProgress();
        // A plain data object: spreading it keeps the signal.
        const context: ExecuteContext = { attempt: number, signal: deadline?.abort.signal ?? this.#cancel.signal };
        if (deadline === undefined) return this.#in.execute(id, context);
        return withDeadline(invoke(() => this.#in.execute(id, context)), {
          clock,
          timeout: deadline.timeout,
          gracePeriod: this.#in.options.gracePeriod,
          abort: (reason) => {
            deadline.abort.abort(reason);
          },
          stop: deadline.stopTimer.signal,
          error: new WorkstreamTimeoutError(id, deadline.timeout),
        });
      }, this.#cancel.signal)
      .then(
        () => {
          deadline?.stopTimer.abort();
          track.executing = false;
          try {
            this.#succeeded(id, track, number, startedAt);
          } catch (bug) {
            this.#bug(id, track, bug);
          }
        },
        (error: unknown) => {
          deadline?.stopTimer.abort();
          track.executing = false;
          try {
            this.#attemptFailed(id, track, number, startedAt, error);
          } catch (bug) {
            this.#bug(id, track, bug);
          }
        },
      );
  }

  /**
   * A bug outside the executor (a throwing retryDelay, a listener of ours) fails the workstream instead
   * of leaving it 'running' forever or surfacing as an unhandled rejection.
   */
  #bug(id: string, track: Track, error: unknown): void {
    if (!this.#state.finished && this.#in.ready.status(id) === 'running') {
      track.error = error;
      this.#failed(id);
    }
    this.#release(id, track);
  }

  #succeeded(id: string, track: Track, number: number, startedAt: number): void {
    if (this.#state.finished) return;
    const durationMs = this.#measure(id, track, startedAt);
    this.#in.ready.complete(id);
    this.#changes?.completed.push(id);
    this.#in.hooks.onComplete(id, number, durationMs);
    this.#in.hooks.onProgress();
    this.#release(id, track, startedAt + durationMs);
  }

  #attemptFailed(id: string, track: Track, number: number, startedAt: number, error: unknown): void {
    if (this.#state.finished) {
      this.#release(id, track);
      return;
    }
    if (isCircuitOpenError(error)) {
      // Not an attempt and not a failure: back to the ready set until the breaker lets work through.
      this.#in.ready.release(id);
      this.#release(id, track);
      return;
    }
    track.error = error;
    // Cancelled: it stays 'running' in the ready set and is reported as cancelled. Its partial
    // duration is not a measurement of the work.
    if (this.#cancel.signal.aborted) {
      this.#release(id, track);
      return;
    }
    const durationMs = this.#measure(id, track, startedAt);
    const willRetry = number <= this.#in.options.retries && this.#state.outcome === undefined;
    if (!willRetry) {
      this.#in.hooks.onFail({ id, attempt: number, error, durationMs, willRetry });
      this.#failed(id);
      this.#release(id, track);
      return;
    }
    const retryInMs = this.#retryDelay(number);
    this.#in.hooks.onFail({ id, attempt: number, error, durationMs, willRetry, retryInMs });
    void this.#backoff(track, retryInMs).then((retry) => {
      try {
        if (retry) {
          this.#attempt(id, track);
          return;
        }
        // The run stopped during the wait: the failure stands (the next run retries it).
        if (!this.#state.finished && !this.#cancel.signal.aborted) this.#failed(id);
        this.#release(id, track);
      } catch (bug) {
        this.#bug(id, track, bug);
      }
    });
  }

  /** Waits before the next attempt; says whether it follows (not when the run stopped meanwhile). */
  async #backoff(track: Track, ms: number): Promise<boolean> {
    try {
      if (this.#state.outcome === undefined) {
        const backoff = new AbortController();
        track.backoff = backoff;
        await this.#in.options.clock.sleep(ms, backoff.signal);
      }
    } catch {
      // Stopped or cancelled during the wait.
    } finally {
      track.backoff = undefined;
    }
    return !this.#state.finished && !this.#cancel.signal.aborted && this.#state.outcome === undefined;
  }

  /** The workstream gives its slot up (at `now`, when the caller just read the clock). */
  #release(id: string, track: Track, now = this.#in.options.clock.now()): void {
    track.executing = false;
    track.abort = undefined;
    track.backoff = undefined;
    if (this.#state.finished) return;
    this.#inFlight.delete(id);
    this.#span.last = now;
    // No longer in flight: worth saving (a cancelled one must not be recorded as running).
    this.#in.hooks.onProgress();
    this.#refill();
  }

  /**
   * A slot came free: start what may start right away instead of in the loop, which saves a wake-up
   * round trip per workstream. The loop is woken only for what it alone does: waiting for the breaker,
   * and ending the run.
   */
  #refill(): void {
    const breakerWaitMs = this.#startReady();
    if (breakerWaitMs !== undefined || this.#inFlight.size === 0 || this.#state.outcome !== undefined) this.#wakeup.wake();
  }

  #executingCount(): number {
    let count = 0;
    for (const track of this.#inFlight.values()) if (track.executing) count += 1;
    return count;
  }

  #retryDelay(retry: number): number {
    const ms = this.#in.options.retryDelay(retry);
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`retryDelay(${retry}) must return a finite number of milliseconds >= 0, got ${String(ms)}`);
    }
    return ms;
  }

  #measure(id: string, track: Track, startedAt: number): number {
    const durationMs = Math.max(0, this.#in.options.clock.now() - startedAt);
    track.durationMs = durationMs;
    this.#changes?.executed.add(id);
    track.workMs += durationMs;
    return durationMs;
  }

  #failed(id: string): void {
    this.#state.failures += 1;
    this.#changes?.failed.push(id);
    for (const skipped of this.#in.ready.fail(id)) {
      this.#blockedBy.set(skipped, id);
      this.#changes?.skipped.set(skipped, id);
      this.#in.hooks.onSkip({ id: skipped, blockedBy: id });
    }
    this.#in.hooks.onProgress();
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What a run works with. */
export interface RunInputs {
  readonly graph: DependencyGraph;
  readonly ready: ReadySet;
  readonly breaker: CircuitBreaker;
  readonly options: ResolvedOptions;
  readonly execute: Execute;
  readonly hooks: RunHooks;
  /** Running when an earlier process died. */
  readonly interrupted: ReadonlySet<string>;
  /** Completed before this run: never executed. */
  readonly alreadyCompleted: ReadonlySet<string>;
}

/** What a run knows of one workstream it took from the ready set. */
interface Track {
  /** Executions in this run. */
  attempts: number;
  /** Start of its first execution in this run. */
  startedAt: number | undefined;
  /** Of its last finished attempt. */
  durationMs: number | undefined;
  /** Time spent executing, over all its attempts. */
  workMs: number;
  /** Of its last failed attempt. */
  error: unknown;
  /** Its executor is running right now (what a crash at this instant interrupts). */
  executing: boolean;
  /** What a cancellation reaches besides the run's signal: the current attempt's own (with a deadline), or the backoff before the next one. */
  abort: AbortController | undefined;
  backoff: AbortController | undefined;
}

/** How often to look at a shared breaker whose half-open trial is someone else's. */
const foreignTrialPollMs = 1000;

function withUnlimitedListeners(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal);
  return controller;
}

/** Calls `fn`, turning a synchronous throw into a rejection. */
async function invoke(fn: () => Promise<unknown>): Promise<unknown> {
  return fn();
}
