import type { CircuitBreaker } from '@sdp/circuit-breaker';
import type { Checkpoint, CheckpointStore, CheckpointUpdate } from '@sdp/checkpoint';
import type { DependencyGraph } from '@sdp/graph';
import type { Clock } from '@sdp/internal';
import type { RunChanges } from './run-changes.js';
import type { RunLedger } from './run-ledger.js';
import { resultsOf } from './run-report.js';
import { recorded } from './workstream-table.js';

export interface RunCheckpointerOptions {
  store: CheckpointStore;
  graph: DependencyGraph;
  breaker: CircuitBreaker;
  featureId: string;
  clock: Clock;
  /** The checkpoint this run resumed from: attempts add up over runs, durations carry over. */
  previous: Checkpoint | null;
}

/**
 * Writes one run's progress to its store: the whole checkpoint first, then updates that carry only what
 * changed (the store journals them), so that a save costs the size of the change rather than of the
 * feature. After a write fails, the next one is whole again: the changes it carried are not lost.
 */
export class RunCheckpointer {
  readonly #options: RunCheckpointerOptions;
  #wholeNeeded = true;
  #completed = 0;
  #fingerprint: string | undefined;

  constructor(options: RunCheckpointerOptions) {
    this.#options = options;
  }

  /** Writes what `run` changed since the last write; resolves to how many workstreams are recorded completed. */
  async write(run: RunLedger): Promise<number> {
    const { store } = this.#options;
    if (this.#wholeNeeded) {
      // Everything changed so far is in the whole checkpoint.
      run.takeChanges();
      const checkpoint = this.#checkpointOf(run);
      await store.save(checkpoint);
      this.#wholeNeeded = false;
      this.#completed = checkpoint.completed.length;
      return this.#completed;
    }
    const changes = run.takeChanges();
    try {
      await store.update(this.#updateOf(run, changes));
    } catch (error) {
      this.#wholeNeeded = true;
      throw error;
    }
    this.#completed += changes.completed.length;
    return this.#completed;
  }

  /**
   * For a run that stops unfinished: leaves one JSON file with its last state, folding the journal in,
   * or writing the whole checkpoint when the last write failed (its changes are in no file yet).
   */
  async finish(run: RunLedger): Promise<void> {
    if (this.#wholeNeeded) await this.write(run);
    else await this.#options.store.compact();
  }

  #checkpointOf(run: RunLedger): Checkpoint {
    const { graph, breaker, featureId, clock, previous } = this.#options;
    const completed: string[] = [];
    const failed: string[] = [];
    for (const result of resultsOf(run.reportInputs())) {
      if (result.status === 'completed') completed.push(result.id);
      else if (result.status === 'failed') failed.push(result.id);
    }
    // A failure recorded earlier (by Go's implementation too) stays recorded until this run retries it.
    const settled = new Set([...completed, ...failed]);
    const { table } = run;
    for (const id of previous?.failed ?? []) {
      const node = graph.indexOf(id);
      if (node !== -1 && table.taken[node] !== 1 && !settled.has(id)) failed.push(id);
    }
    const attempts: Record<string, number> = { ...previous?.attempts };
    const durations: Record<string, number> = { ...previous?.durations_ms };
    const ids = graph.ids();
    for (let node = 0; node < table.size; node++) {
      const id = ids[node] ?? '';
      const made = table.attempts[node] ?? 0;
      if (made > 0) attempts[id] = (previous?.attempts?.[id] ?? 0) + made;
      const durationMs = recorded(table.durationMs, node);
      if (durationMs !== undefined) durations[id] = durationMs;
    }
    this.#fingerprint ??= graph.fingerprint();
    const handles = run.runningHandles();
    const checkpoint: Checkpoint = {
      version: '1.0',
      feature_id: featureId,
      timestamp: new Date(clock.now()).toISOString(),
      completed,
      failed,
      graph: graph.snapshot(completed),
      circuit_breaker: { ...breaker.snapshot() },
      graph_fingerprint: this.#fingerprint,
      running: run.running(),
      skipped: Object.fromEntries(run.blockedBy),
      attempts,
      durations_ms: durations,
    };
    if (handles.size > 0) checkpoint.attempt_handles = Object.fromEntries(handles);
    return checkpoint;
  }

  #updateOf(run: RunLedger, changes: RunChanges): CheckpointUpdate {
    const { breaker, clock, previous } = this.#options;
    const update: CheckpointUpdate = {
      timestamp: new Date(clock.now()).toISOString(),
      running: run.running(),
      circuit_breaker: { ...breaker.snapshot() },
    };
    if (changes.completed.length > 0) update.completed = changes.completed;
    if (changes.failed.length > 0) update.failed = changes.failed;
    if (changes.skipped.size > 0) update.skipped = Object.fromEntries(changes.skipped);
    if (changes.executed.size > 0) {
      const attempts: Record<string, number> = {};
      const durations: Record<string, number> = {};
      const { table } = run;
      for (const id of changes.executed) {
        const node = this.#options.graph.indexOf(id);
        attempts[id] = (previous?.attempts?.[id] ?? 0) + (table.attempts[node] ?? 0);
        const durationMs = recorded(table.durationMs, node);
        if (durationMs !== undefined) durations[id] = durationMs;
      }
      update.attempts = attempts;
      update.durations_ms = durations;
    }
    if (changes.handles.size > 0) update.attempt_handles = Object.fromEntries(changes.handles);
    return update;
  }
}
