import type { ResolvedOptions } from './circuit-breaker-options.js';
import type { CircuitMetrics } from './circuit-metrics.js';
import { CircuitOpenError } from './circuit-open-error.js';
import { CLOSED, HALF_OPEN, OPEN, stateName, type CircuitStateCode } from './circuit-state.js';
import { OpenPeriod, openDurationMs } from './open-period.js';
import { OutcomeWindow } from './outcome-window.js';
import type { ValidSnapshot } from './circuit-breaker-snapshot.js';
import { planRestore } from './restore-plan.js';

/** How a call was let in: as an ordinary closed call, or as the one half-open trial. */
export type Admission = 'closed' | 'trial';

/** How a settled call counts: `success` (also an error `isFailure` rejects), `failure`, or `cancelled` (never counts). */
export type CountedOutcome = 'success' | 'failure' | 'cancelled';

/**
 * The breaker's state machine: closed -> open after `threshold` failures in the window, open ->
 * half-open when the open period is over (lazily, at the next clock reading), half-open -> closed
 * on a successful trial or back to open on a failed one. It admits calls and counts their
 * outcomes; it knows nothing of functions, promises or listeners.
 */
export class CircuitMachine {
  readonly #options: ResolvedOptions;
  readonly #window: OutcomeWindow;
  readonly #open = new OpenPeriod();
  readonly #onMove: (from: CircuitStateCode, to: CircuitStateCode, at: number) => void;
  #state: CircuitStateCode = CLOSED;
  /** Bumped on every state change; a call counts only if it settles in the generation that admitted it. */
  #generation = 0;
  #consecutiveOpens = 0;
  #trialInFlight = false;
  #lastFailureAt: number | undefined;
  #lastStateChangeAt: number | undefined;

  constructor(options: ResolvedOptions, onMove: (from: CircuitStateCode, to: CircuitStateCode, at: number) => void) {
    this.#options = options;
    this.#window = new OutcomeWindow(options.window);
    this.#onMove = onMove;
  }

  get generation(): number {
    return this.#generation;
  }

  /** The state as of clock reading `now` (an open period that is over turns into half-open here). */
  stateAt(now: number): CircuitStateCode {
    if (this.#state === OPEN && this.#open.isOverAt(now)) {
      this.#trialInFlight = false;
      this.#moveTo(HALF_OPEN, now);
    }
    return this.#state;
  }

  /** Ms until a trial may be admitted, as of `now`: > 0 only while open. */
  retryAfterMs(now: number): number {
    return this.stateAt(now) === OPEN ? this.#open.until - now : 0;
  }

  /** Lets a call in (closed, or the half-open trial) or returns the one refusal. */
  admit(now: number): Admission | CircuitOpenError {
    if (this.#state === CLOSED) return 'closed';
    const state = this.stateAt(now);
    if (state === HALF_OPEN && !this.#trialInFlight) {
      this.#trialInFlight = true;
      return 'trial';
    }
    return state === OPEN ? new CircuitOpenError(this.#open.until - now, 'open') : new CircuitOpenError(0, 'half-open');
  }

  /**
   * Counts the outcome of a call admitted in `generation`; returns whether it counted. A call from
   * an earlier generation (the state changed since) or a cancelled one moves nothing, but a
   * cancelled trial frees the trial slot.
   */
  count(generation: number, trial: boolean, outcome: CountedOutcome): boolean {
    if (generation !== this.#generation) return false;
    if (outcome === 'cancelled') {
      if (trial) this.#trialInFlight = false;
      return false;
    }
    if (outcome === 'success') this.#countSuccess(trial);
    else this.#countFailure(trial);
    return true;
  }

  metrics(now: number): CircuitMetrics {
    const state = this.stateAt(now);
    const metrics: { -readonly [K in keyof CircuitMetrics]: CircuitMetrics[K] } = {
      state: stateName(state),
      failureCount: this.#window.failures,
      successCount: this.#window.successes,
      consecutiveOpens: this.#consecutiveOpens,
      window: this.#window.toArray(),
      trialInFlight: this.#trialInFlight,
      retryAfterMs: state === OPEN ? this.#open.until - now : 0,
    };
    if (state === OPEN) {
      metrics.openedAt = this.#open.openedAt;
      metrics.openUntil = this.#open.until;
    }
    if (this.#lastFailureAt !== undefined) metrics.lastFailureAt = this.#lastFailureAt;
    if (this.#lastStateChangeAt !== undefined) metrics.lastStateChangeAt = this.#lastStateChangeAt;
    return metrics;
  }

  /** Continues from a validated snapshot, restored under this machine's options (see `planRestore`). */
  restore(snapshot: ValidSnapshot, now: number): void {
    const plan = planRestore(snapshot, this.#options, now);
    this.#state = plan.state;
    this.#consecutiveOpens = plan.consecutiveOpens;
    for (const failed of plan.window) this.#window.push(failed);
    this.#lastFailureAt = plan.lastFailureAt;
    this.#lastStateChangeAt = plan.lastStateChangeAt;
    this.#open.start(plan.openedAt, plan.openUntil, now);
  }

  #countSuccess(trial: boolean): void {
    if (!trial) {
      this.#window.push(false);
      return;
    }
    this.#window.clear();
    this.#consecutiveOpens = 0;
    this.#trialInFlight = false;
    this.#moveTo(CLOSED, this.#options.now());
  }

  #countFailure(trial: boolean): void {
    const now = this.#options.now();
    this.#lastFailureAt = now;
    if (trial) {
      this.#trialInFlight = false;
    } else {
      this.#window.push(true);
      if (this.#window.failures < this.#options.threshold) return;
    }
    this.#consecutiveOpens++;
    this.#open.start(now, now + openDurationMs(this.#options, this.#consecutiveOpens), now);
    this.#moveTo(OPEN, now);
  }

  #moveTo(to: CircuitStateCode, now: number): void {
    const from = this.#state;
    this.#state = to;
    this.#generation++;
    this.#lastStateChangeAt = now;
    this.#onMove(from, to, now);
  }
}
