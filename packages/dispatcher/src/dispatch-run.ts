import type { CircuitBreaker } from '@sdp/circuit-breaker';
import type { DependencyGraph, ReadySet } from '@sdp/graph';
import type { AttemptHandle } from './attempt-handle.js';
import { runAttempt, type AttemptInputs, type Execute } from './attempt.js';
import type { AbandonEvent, FailureEvent, SkipEvent } from './events.js';
import type { ResolvedOptions } from './options.js';
import { RunLedger } from './run-ledger.js';
import type { RunOutcome } from './run-report.js';
import { sharedAbortController } from './shared-abort-signal.js';
import { Wakeup } from './wakeup.js';
import type { Track } from './workstream-track.js';

export interface RunHooks {
  /** Positional, so that no event (and no `Date`) is made when nobody listens. */
  onStart(id: string, attempt: number, startedAt: number, rerunAfterCrash: boolean): void;
  onComplete(id: string, attempt: number, durationMs: number): void;
  onFailure(event: FailureEvent): void;
  onSkip(event: SkipEvent): void;
  onAbandon(event: AbandonEvent): void;
  /** Progress worth saving happened (a start, a completion, a failure, a handle). */
  onProgress(): void;
}

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
  /** Recorded running by an earlier process and not confirmed ended: never started, kept as running. */
  readonly inDoubt: ReadonlyMap<string, { readonly handle: AttemptHandle; readonly error: Error }>;
}

/**
 * One greedy, streaming run over a ready set: a workstream starts the moment it is ready and a slot is
 * free, highest remaining chain first. Every execution goes through the breaker; while it is open
 * nothing new starts. Knows nothing of files: the dispatcher persists what `onProgress` announces,
 * from the books the run keeps in its `ledger`.
 */
export class DispatchRun {
  readonly ledger: RunLedger;
  readonly #in: RunInputs;
  readonly #wakeup = new Wakeup();
  /** Aborted when the run stops starting work and running executors must be told. */
  readonly #cancel = sharedAbortController();
  readonly #attempt: AttemptInputs;
  #outcome: RunOutcome | undefined;
  /** The grace period after a stop; its timer ends when the run finishes first, so none outlives the run. */
  readonly #grace = { timer: new AbortController(), expired: false };

  constructor(inputs: RunInputs) {
    this.#in = inputs;
    const { options } = inputs;
    const ledger = new RunLedger({ ...inputs, clock: options.clock, concurrency: options.concurrency });
    this.ledger = ledger;
    this.#attempt = {
      breaker: inputs.breaker,
      execute: inputs.execute,
      clock: options.clock,
      attemptTimeoutMs: options.attemptTimeoutMs,
      graceMs: options.graceMs,
      cancel: this.#cancel.signal,
      started: (id, track) => {
        ledger.attemptStarted(id, track);
      },
      handleSet: (id, track, handle) => {
        ledger.handleSet(id, track, handle);
      },
      settled: (id, track) => {
        ledger.attemptSettled(id, track);
      },
      abandoned: (id, track, error) => {
        ledger.abandon(id, track, error, true);
      },
    };
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
      for (const track of this.ledger.inFlight.values()) track.deadline?.stopTimers.abort();
      this.ledger.closed = true;
    }
    // Finished with no failure means every workstream completed (skips only follow failures).
    return this.#outcome ?? (this.#in.ready.isFinished && this.ledger.failures === 0 ? 'completed' : 'failed');
  }

  /** Ends the run early: nothing new starts; with a reason, running executors are aborted and get the grace period. */
  stop(outcome: RunOutcome, reason?: unknown): void {
    this.#stop(outcome, reason);
  }

  /** Something outside the run changed (e.g. the breaker's state): look again at what may start. */
  wake(): void {
    this.#wakeup.wake();
  }

  #stop(outcome: RunOutcome, reason?: unknown): void {
    if (this.#outcome !== undefined) return;
    this.#outcome = outcome;
    const { inFlight } = this.ledger;
    // Nothing waits for a retry once the run stops.
    for (const track of inFlight.values()) track.backoff?.abort(reason);
    if (reason !== undefined || outcome === 'cancelled') {
      this.#cancel.abort(reason);
      for (const track of inFlight.values()) track.deadline?.abort.abort(this.#cancel.signal.reason);
      // Running executors get the grace period to settle; after it, those still running are abandoned.
      this.#in.options.clock.sleep(this.#in.options.graceMs, this.#grace.timer.signal).then(
        () => {
          this.#grace.expired = true;
          for (const [id, track] of inFlight) {
            if (track.live && !track.ended) this.ledger.abandon(id, track, this.#cancel.signal.reason, false);
          }
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
      const running = this.ledger.inFlight.size;
      if (running === 0 && (this.#outcome !== undefined || (this.#in.ready.readyCount === 0 && breakerWaitMs === undefined))) {
        return;
      }
      if (this.#outcome !== undefined && this.#grace.expired) return;
      await this.#waitForProgress(breakerWaitMs);
    }
  }

  /** Starts what may start; returns how long to wait for the breaker when it holds work back. */
  #startReady(): number | undefined {
    const { breaker, ready, options, inDoubt } = this.#in;
    const { inFlight } = this.ledger;
    // 'stop' ends the run as soon as the breaker opens, even with nothing ready to start.
    if (this.#outcome === undefined && options.onBreakerOpen === 'stop' && breaker.state === 'open') this.#stop('breaker-open');
    while (this.#outcome === undefined && inFlight.size < options.concurrency && ready.readyCount > 0) {
      const state = breaker.state;
      if (state === 'open') {
        if (options.onBreakerOpen === 'stop') {
          this.#stop('breaker-open');
          return undefined;
        }
        return Math.max(breaker.retryAfterMs(), 1);
      }
      // Half-open admits one trial; wait for its outcome before starting anything else. When the
      // trial is not ours (a shared breaker), its outcome reaches us as a state change (see wake);
      // a trial that ends without one (cancelled) is caught by looking again now and then.
      if (state === 'half-open' && breaker.metrics().trialInFlight) {
        return this.#executingCount() === 0 ? foreignTrialPollMs : undefined;
      }
      const id = ready.take();
      if (id === undefined) return undefined;
      const survivor = inDoubt.size > 0 ? inDoubt.get(id) : undefined;
      if (survivor !== undefined) {
        // An earlier run's attempt may still live: never start a second copy.
        const track = this.ledger.take(id);
        track.error = survivor.error;
        this.ledger.failed(id, track);
        continue;
      }
      const track = this.ledger.take(id);
      inFlight.set(id, track);
      void this.#live(id, track);
      if (state === 'half-open') return undefined;
    }
    return undefined;
  }

  /**
   * One workstream's life in this run, top to bottom: an attempt; then its completion, or a retry after
   * the backoff, or its failure. The slot is held throughout and given up once, at the end. An attempt is
   * over only when its executor settled, or when it was abandoned, which ends the workstream's attempts
   * in this run: a workstream never has two live attempts.
   */
  async #live(id: string, track: Track): Promise<void> {
    const { ready, options, hooks } = this.#in;
    const { ledger } = this;
    try {
      for (;;) {
        const end = await runAttempt(this.#attempt, id, track);
        if (end === 'not-admitted') {
          // Not an attempt and not a failure: back to the ready set until the breaker lets work through.
          ready.release(id);
          return;
        }
        if (ledger.closed) return;
        const durationMs = ledger.endAttempt(id, track, end, end !== 'cancelled');
        if (end === 'completed') {
          ledger.completed(id, track, durationMs);
          return;
        }
        // A cancelled workstream stays 'running' in the ready set and is reported as cancelled.
        if (this.#cancel.signal.aborted) return;
        const { error, attempts: attempt } = track;
        // An abandoned attempt may still run: no retry may start beside it.
        if (end === 'abandoned' || attempt > options.retries || this.#outcome !== undefined) {
          hooks.onFailure({ id, attempt, error, durationMs, willRetry: false });
          ledger.failed(id, track);
          return;
        }
        const retryInMs = options.retryDelayMs(attempt);
        hooks.onFailure({ id, attempt, error, durationMs, willRetry: true, retryInMs });
        const next = await this.#backoff(track, retryInMs);
        if (next === 'stopped') {
          // The run stopped during the wait: the failure stands (the next run retries it).
          ledger.failed(id, track);
          return;
        }
        if (next === 'cancelled') return;
      }
    } catch (bug) {
      // A bug outside the executor (a throwing retryDelayMs, say) fails the workstream instead of
      // leaving it 'running' forever or surfacing as an unhandled rejection.
      if (!ledger.closed && ready.status(id) === 'running') {
        track.error = bug;
        ledger.failed(id, track);
      }
    } finally {
      this.#release(id, track);
    }
  }

  /**
   * Waits before the next attempt; says whether it follows: not when the run stopped meanwhile, or was
   * cancelled (then the workstream stays 'running', reported cancelled) or finished.
   */
  async #backoff(track: Track, ms: number): Promise<'retry' | 'stopped' | 'cancelled'> {
    try {
      if (this.#outcome === undefined) {
        const backoff = new AbortController();
        track.backoff = backoff;
        await this.#in.options.clock.sleep(ms, backoff.signal);
      }
    } catch {
      // Stopped or cancelled during the wait.
    } finally {
      track.backoff = undefined;
    }
    if (this.ledger.closed || this.#cancel.signal.aborted) return 'cancelled';
    return this.#outcome === undefined ? 'retry' : 'stopped';
  }

  /** The workstream gives its slot up. */
  #release(id: string, track: Track): void {
    track.deadline = undefined;
    track.backoff = undefined;
    if (this.ledger.closed) return;
    this.ledger.released(id);
    // A slot came free: start what may start right away instead of in the loop, which saves a wake-up
    // round trip per workstream. The loop is woken only for what it alone does: waiting for the
    // breaker, and ending the run.
    const breakerWaitMs = this.#startReady();
    if (breakerWaitMs !== undefined || this.ledger.inFlight.size === 0 || this.#outcome !== undefined) this.#wakeup.wake();
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

  #executingCount(): number {
    let count = 0;
    for (const track of this.ledger.inFlight.values()) if (track.live && !track.ended) count += 1;
    return count;
  }
}

/** How often to look at a shared breaker whose half-open trial is someone else's. */
const foreignTrialPollMs = 1000;
