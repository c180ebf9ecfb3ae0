import type { DependencyGraph } from '@sdp/graph';
import type { AttemptHandle } from './attempt-handle.js';
import { InDoubtError } from './errors.js';
import type { InDoubtResult } from './events.js';
import type { DispatcherOptions } from './options.js';

/** Workstreams that may still have a survivor after `endInDoubt`: never started in this run. */
export type Unresolved = Map<string, { readonly handle: AttemptHandle; readonly error: Error }>;

/**
 * Ends what attempts of an earlier process may have left running, before anything starts: one
 * `endInDoubt` per recorded handle, all at once. A workstream whose call throws (or that has no
 * `endInDoubt` to call) is unresolved: it stays recorded as running, with its handle, and is not started;
 * so is one whose attempt, abandoned by an earlier run in this process, still runs.
 */
export async function endInDoubtAttempts(
  graph: DependencyGraph,
  handles: ReadonlyMap<string, AttemptHandle>,
  endInDoubt: DispatcherOptions['endInDoubt'],
  signal: AbortSignal,
  emit: (result: InDoubtResult) => void,
  stillRunning: ReadonlyMap<string, AttemptHandle | undefined>,
): Promise<{ results: InDoubtResult[]; unresolved: Unresolved }> {
  const unresolved: Unresolved = new Map();
  const results = await Promise.all(
    [...handles].map(async ([id, handle]): Promise<InDoubtResult> => {
      let result: InDoubtResult;
      try {
        if (endInDoubt === undefined) throw new Error('no endInDoubt option was given to end it');
        const outcome: unknown = await endInDoubt(id, handle, signal);
        if (outcome !== 'ended' && outcome !== 'gone') throw new TypeError(`endInDoubt returned ${String(outcome)}, not 'ended' or 'gone'`);
        result = { id, handle, outcome };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        // An id the graph no longer has cannot be started anyway, nor recorded in its checkpoint.
        if (graph.has(id)) unresolved.set(id, { handle, error: new InDoubtError(id, reason, { cause: error }) });
        result = { id, handle, outcome: 'error', error: reason };
      }
      emit(result);
      return result;
    }),
  );
  // Attempts this very process abandoned in an earlier run and that still run: known alive, never doubled.
  for (const [id, recorded] of stillRunning) {
    if (!graph.has(id)) continue;
    const handle = recorded ?? {};
    const reason = 'an attempt of it abandoned by an earlier run of this dispatcher is still running';
    unresolved.set(id, { handle, error: new InDoubtError(id, reason) });
    const result: InDoubtResult = { id, handle, outcome: 'error', error: reason };
    emit(result);
    results.push(result);
  }
  return { results, unresolved };
}
