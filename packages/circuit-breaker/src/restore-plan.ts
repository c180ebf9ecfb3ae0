import type { ResolvedOptions } from './circuit-breaker-options.js';
import type { ValidSnapshot } from './circuit-breaker-snapshot.js';
import { CLOSED, OPEN, type CircuitStateCode } from './circuit-state.js';
import { openDurationMs } from './open-period.js';

/** The internal state a breaker restored from a snapshot starts in. */
export interface RestorePlan {
  readonly state: CircuitStateCode;
  readonly consecutiveOpens: number;
  /** Outcomes, oldest first, at most `options.window` of them. */
  readonly window: readonly boolean[];
  readonly lastFailureAt: number | undefined;
  readonly lastStateChangeAt: number | undefined;
  /** Only meaningful when `state` is open. */
  readonly openedAt: number;
  readonly openUntil: number;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/**
 * Go-written snapshots carry counts but no window. Rebuild one: successes first, failures last
 * (most recent, so they age out last). A closed breaker holds at most `threshold - 1` failures,
 * or it would have opened; counts beyond the window are dropped.
 */
function windowFromCounts(snapshot: ValidSnapshot, options: ResolvedOptions): boolean[] {
  const maxFailures = snapshot.state === CLOSED ? options.threshold - 1 : options.window;
  const failures = Math.min(snapshot.failureCount, maxFailures);
  const successes = Math.min(snapshot.successCount, options.window - failures);
  return [...new Array<boolean>(successes).fill(false), ...new Array<boolean>(failures).fill(true)];
}

/**
 * Decides how a validated snapshot restores under `options` at clock reading `now`.
 *
 * - A closed breaker has `consecutiveOpens` 0; an open or half-open one at least 1.
 * - A window longer than `options.window` keeps its most recent outcomes.
 * - Open: the remaining open time is the snapshot's `open_remaining_ms` minus the time elapsed
 *   since `taken_at` (a clock that went backwards counts as no time elapsed), clamped to
 *   [0, full open duration]. Without those keys (a Go-written snapshot) it is measured from
 *   `last_state_change`, else from `last_failure_time`, else it is the full open duration; also
 *   clamped, so a clock jump either way can neither skip nor extend it.
 */
export function planRestore(snapshot: ValidSnapshot, options: ResolvedOptions, now: number): RestorePlan {
  const consecutiveOpens = snapshot.state === CLOSED ? 0 : Math.max(1, snapshot.consecutiveOpens);
  const window = snapshot.window === undefined ? windowFromCounts(snapshot, options) : snapshot.window.slice(-options.window);
  const plan = {
    state: snapshot.state,
    consecutiveOpens,
    window,
    lastFailureAt: snapshot.lastFailureAt,
    lastStateChangeAt: snapshot.lastStateChangeAt,
    openedAt: 0,
    openUntil: 0,
  };
  if (snapshot.state !== OPEN) return plan;

  const full = openDurationMs(options, consecutiveOpens);
  const anchor = snapshot.lastStateChangeAt ?? snapshot.lastFailureAt;
  let remaining: number;
  if (snapshot.openRemainingMs !== undefined && snapshot.takenAt !== undefined) {
    remaining = snapshot.openRemainingMs - Math.max(0, now - snapshot.takenAt);
  } else {
    remaining = anchor === undefined ? full : anchor + full - now;
  }
  const openUntil = now + clamp(remaining, 0, full);
  return { ...plan, openedAt: anchor ?? openUntil - full, openUntil };
}
