import type { DependencyGraph } from '@sdp/graph';
import type { StoredRunRecord } from './run-record.js';
import type { RunStore } from './run-store.js';

/** What earlier runs of a feature mean for the next one. */
export type HistoryPlan =
  /** The latest run completed every workstream of this very graph: nothing to do. */
  | { readonly kind: 'done'; readonly record: StoredRunRecord }
  | {
      readonly kind: 'run';
      /** Completed in the latest run and unchanged since (nor any of their dependencies): not run again. */
      readonly completed: readonly string[];
      /** The latest measured duration of each workstream, in ms, for critical-path priority. */
      readonly knownDurationsMs: ReadonlyMap<string, number>;
      /** The completed run whose graph changed, when `completed` comes from it. */
      readonly changedSince?: StoredRunRecord;
    };

export interface HistoryOptions {
  /** `--fresh`: run everything again, whatever the records say. */
  readonly fresh: boolean;
  /** A checkpoint exists: the run resumes from it, which is newer than any completed record. */
  readonly checkpointExists: boolean;
}

/**
 * Decides from the feature's records whether and what to run. A checkpoint always wins:
 * it exists only when the last run did not complete, or a run since (say with --fresh) was killed.
 */
export function planFromHistory(history: History, graph: DependencyGraph, options: HistoryOptions): HistoryPlan {
  const { records, unreadable } = history;
  const knownDurationsMs = knownDurationsOf(records);
  // A newest record that cannot be read says nothing: never conclude from the one before it.
  const latest = unreadable.some(({ runId }) => runId > (records.at(-1)?.runId ?? '')) ? undefined : records.at(-1);
  if (options.fresh || options.checkpointExists || latest === undefined || !completedAll(latest)) {
    return { kind: 'run', completed: [], knownDurationsMs };
  }
  if (latest.graphFingerprint === graph.fingerprint()) return { kind: 'done', record: latest };
  return { kind: 'run', completed: unchangedIn(latest, graph), knownDurationsMs, changedSince: latest };
}

/** Every workstream of the run's graph completed (in it or before it). */
export function completedAll(record: StoredRunRecord): boolean {
  return record.outcome === 'completed' && record.results.every((result) => result.status === 'completed');
}

/** Per workstream, the duration of its latest completed attempt over all records. */
export function knownDurationsOf(records: readonly StoredRunRecord[]): Map<string, number> {
  const durations = new Map<string, number>();
  for (const record of records) {
    for (const result of record.results) {
      const last = result.attemptRecords.findLast((attempt) => attempt.outcome === 'completed');
      if (last !== undefined) durations.set(result.id, Math.max(0, last.endedAt - last.startedAt));
    }
  }
  return durations;
}

/**
 * Workstreams of `graph` completed in `record` whose dependencies are the same set as then and were
 * themselves kept: what a resume keeps when the graph changed (see the dispatcher's resume plan).
 */
export function unchangedIn(record: StoredRunRecord, graph: DependencyGraph): string[] {
  const completed = new Set(record.results.filter((result) => result.status === 'completed').map((result) => result.id));
  const kept = new Set<string>();
  for (const id of graph.topologicalOrder()) {
    const before = record.dependsOn[id];
    if (before === undefined || !completed.has(id)) continue;
    const now = graph.dependenciesOf(id);
    const same = new Set(before).size === now.length && now.every((dependency) => before.includes(dependency) && kept.has(dependency));
    if (same) kept.add(id);
  }
  return graph.ids().filter((id) => kept.has(id));
}

/** The feature's readable records, oldest first, and the ones that could not be read (passed over). */
export interface History {
  readonly records: readonly StoredRunRecord[];
  readonly unreadable: readonly { readonly runId: string; readonly error: unknown }[];
}

export async function readHistory(store: RunStore): Promise<History> {
  const records: StoredRunRecord[] = [];
  const unreadable: { runId: string; error: unknown }[] = [];
  for (const runId of await store.list()) {
    try {
      records.push(await store.read(runId));
    } catch (error) {
      unreadable.push({ runId, error });
    }
  }
  return { records, unreadable };
}
