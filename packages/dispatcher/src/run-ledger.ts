import type { Clock } from '@sdp/internal';
import type { AttemptHandle } from './attempt-handle.js';
import type { RunInputs } from './dispatch-run.js';
import type { AbandonEvent } from './events.js';
import { RunChanges } from './run-changes.js';
import type { AttemptOutcome, ReportInputs } from './run-report.js';
import { WorkstreamTable } from './workstream-table.js';
import { newTrack, type Track } from './workstream-track.js';

/** What the ledger reads from its run. */
export type LedgerInputs = Pick<RunInputs, 'graph' | 'ready' | 'hooks' | 'interrupted' | 'alreadyCompleted' | 'inDoubt'> & {
  readonly clock: Clock;
  readonly concurrency: number;
};

/**
 * What one run records: each workstream's attempts, what holds a slot, what may still be running, what
 * changed since the last checkpoint write, and the span of the work. The run decides; the ledger keeps
 * the books and announces what is worth saving.
 */
export class RunLedger {
  readonly #in: LedgerInputs;
  /** Every workstream, by node index: what outlasts its slot. */
  readonly table: WorkstreamTable;
  readonly blockedBy = new Map<string, string>();
  /** Workstreams holding a slot: executing, or waiting for their next attempt. */
  readonly inFlight = new Map<string, Track>();
  /** Abandoned attempts whose executor has not settled: no slot, but maybe still running. */
  readonly #abandonedLive = new Map<string, Track>();
  readonly abandoned: AbandonEvent[] = [];
  /** Workstreams failed for good in this run. */
  failures = 0;
  /** The run returned: nothing is worth saving any more. */
  closed = false;
  /** Recorded from the first `takeChanges()` on: a run nobody saves records nothing. */
  #changes: RunChanges | undefined;
  /** First start and last settlement, for the makespan. */
  readonly #span: { first: number | undefined; last: number | undefined } = { first: undefined, last: undefined };

  constructor(inputs: LedgerInputs) {
    this.#in = inputs;
    this.table = new WorkstreamTable(inputs.graph.size);
  }

  /** A workstream just taken from the ready set; it goes on from the attempts it made earlier in this run. */
  take(id: string): Track {
    const node = this.#in.graph.indexOf(id);
    const { table } = this;
    table.taken[node] = 1;
    return newTrack(node, table.attempts[node] ?? 0);
  }

  /** The executor of attempt `track.attempts` is about to be called. */
  attemptStarted(id: string, track: Track): void {
    const now = this.#in.clock.now();
    const { table } = this;
    const { node } = track;
    table.attempts[node] = track.attempts;
    table.attemptStartedAt[node] = now;
    if (Number.isNaN(table.startedAt[node])) table.startedAt[node] = now;
    track.live = true;
    track.ended = false;
    track.handle = undefined;
    this.#changes?.executed.add(id);
    this.#span.first ??= now;
    this.#in.hooks.onStart(id, track.attempts, now, this.#in.interrupted.has(id));
    this.#in.hooks.onProgress();
  }

  handleSet(id: string, track: Track, handle: AttemptHandle): void {
    track.handle = handle;
    this.#changes?.handles.set(id, handle);
    this.#in.hooks.onProgress();
  }

  /** The executor's promise settled: nothing of the attempt runs any more. */
  attemptSettled(id: string, track: Track): void {
    track.live = false;
    if (track.handle !== undefined) this.#changes?.handles.set(id, null);
    // An abandoned attempt that settles after its slot was given up is no longer running: worth saving.
    if (this.#abandonedLive.delete(id) && !this.closed) this.#in.hooks.onProgress();
  }

  /**
   * Records the attempt that just ended, once (an abandoned one is recorded when given up), and returns its
   * duration. `measured`: its duration measures the work (not for a cancelled attempt).
   */
  endAttempt(id: string, track: Track, outcome: AttemptOutcome, measured: boolean): number {
    const now = this.#in.clock.now();
    const { table } = this;
    const { node } = track;
    const durationMs = Math.max(0, now - (table.attemptStartedAt[node] ?? now));
    if (track.ended) return durationMs;
    track.ended = true;
    table.recordEnd(node, outcome, now, track.handle, track.error);
    if (outcome !== 'completed') table.errors.set(node, track.error);
    if (measured) {
      table.durationMs[node] = durationMs;
      table.workMs[node] = (table.workMs[node] ?? 0) + durationMs;
      this.#changes?.executed.add(id);
    }
    this.#span.last = now;
    return durationMs;
  }

  /** Gives up an aborted attempt whose executor did not settle within the grace period; it may still run. */
  abandon(id: string, track: Track, error: unknown, measured: boolean): void {
    if (track.ended) return;
    track.error = error;
    this.endAttempt(id, track, 'abandoned', measured);
    this.#abandonedLive.set(id, track);
    const { attempts: attempt, handle } = track;
    const abandonedAt = this.#in.clock.now();
    const event: AbandonEvent = handle === undefined ? { id, attempt, abandonedAt } : { id, attempt, abandonedAt, handle };
    this.abandoned.push(event);
    this.#in.hooks.onAbandon(event);
  }

  completed(id: string, track: Track, durationMs: number): void {
    this.#in.ready.complete(id);
    this.#changes?.completed.push(id);
    this.#in.hooks.onComplete(id, track.attempts, durationMs);
  }

  /** The workstream failed for good; `track.error` says why. */
  failed(id: string, track: Track): void {
    if (track.error !== undefined) this.table.errors.set(track.node, track.error);
    this.failures += 1;
    this.#changes?.failed.push(id);
    for (const skipped of this.#in.ready.fail(id)) {
      this.blockedBy.set(skipped, id);
      this.#changes?.skipped.set(skipped, id);
      this.#in.hooks.onSkip({ id: skipped, blockedBy: id });
    }
    this.#in.hooks.onProgress();
  }

  /** The workstream gave its slot up. */
  released(id: string): void {
    this.inFlight.delete(id);
    this.#span.last = this.#in.clock.now();
    // No longer in flight: worth saving (a cancelled one must not be recorded as running).
    this.#in.hooks.onProgress();
  }

  /** What a crash at this instant would leave running: live attempts (abandoned ones too) and unresolved in-doubt ones. */
  running(): string[] {
    const ids: string[] = [];
    for (const [id, track] of this.inFlight) if (track.live && !track.ended) ids.push(id);
    for (const id of this.#abandonedLive.keys()) ids.push(id);
    for (const id of this.#in.inDoubt.keys()) ids.push(id);
    return ids;
  }

  /** The handle of everything `running()` lists that has one. */
  runningHandles(): Map<string, AttemptHandle> {
    const handles = new Map<string, AttemptHandle>();
    for (const tracks of [this.inFlight, this.#abandonedLive]) {
      for (const [id, track] of tracks) if (track.live && track.handle !== undefined) handles.set(id, track.handle);
    }
    for (const [id, { handle }] of this.#in.inDoubt) handles.set(id, handle);
    return handles;
  }

  /** Abandoned attempts whose executor has still not settled (after the run too), with their handles. */
  stillRunning(): Map<string, AttemptHandle | undefined> {
    const running = new Map<string, AttemptHandle | undefined>();
    for (const [id, track] of this.#abandonedLive) running.set(id, track.handle);
    return running;
  }

  /** What changed since the previous call; recording starts with the first call. */
  takeChanges(): RunChanges {
    const changes = this.#changes ?? new RunChanges();
    this.#changes = new RunChanges();
    return changes;
  }

  makespanMs(): number {
    const { first, last } = this.#span;
    return first === undefined || last === undefined ? 0 : last - first;
  }

  reportInputs(): ReportInputs {
    const { graph, ready, alreadyCompleted, interrupted, concurrency } = this.#in;
    return { graph, ready, table: this.table, blockedBy: this.blockedBy, alreadyCompleted, interrupted, concurrency };
  }
}
