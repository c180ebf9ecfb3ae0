import { DependencyGraph } from '@sdp/graph';
import type { Checkpoint } from '@sdp/checkpoint';
import type { GraphChanges } from './run-report.js';

/** What a checkpoint means for a run of `graph`: which work is already done and what ran when it died. */
export interface ResumePlan {
  /** Completed workstreams whose completion still holds for this graph. */
  readonly completed: ReadonlySet<string>;
  /** Workstreams that were running when the checkpoint was written and are not completed. */
  readonly interrupted: ReadonlySet<string>;
  /** Durations measured in earlier runs, used to order ready workstreams by remaining chain. */
  readonly durations: ReadonlyMap<string, number>;
  readonly graphChanges?: GraphChanges;
}

function dependencySets(graph: DependencyGraph): Map<string, ReadonlySet<string>> {
  const sets = new Map<string, ReadonlySet<string>>();
  for (const id of graph.ids()) sets.set(id, new Set(graph.dependenciesOf(id)));
  return sets;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

/**
 * Keeps a checkpoint's completion only where it still holds: when the graph changed (fingerprint
 * differs), a workstream stays completed only if it still exists with the same dependencies and every
 * dependency stayed completed too. Walking in topological order makes that rule transitive.
 */
export function planResume(graph: DependencyGraph, checkpoint: Checkpoint): ResumePlan {
  const recorded = new Set(checkpoint.completed);
  const durations = new Map<string, number>();
  for (const [id, ms] of Object.entries(checkpoint.durations_ms ?? {})) {
    if (graph.has(id)) durations.set(id, ms);
  }

  const fingerprint = graph.fingerprint();
  const previous = checkpoint.graph === null ? undefined : DependencyGraph.fromSnapshot(checkpoint.graph);
  const previousFingerprint = checkpoint.graph_fingerprint ?? previous?.fingerprint();
  // A checkpoint with no graph at all (possible from the Go implementation) cannot show a change.
  const changed = previousFingerprint !== undefined && previousFingerprint !== fingerprint;

  const completed = new Set<string>();
  let graphChanges: GraphChanges | undefined;
  if (!changed) {
    for (const id of graph.ids()) if (recorded.has(id)) completed.add(id);
  } else {
    const before = previous === undefined ? new Map<string, ReadonlySet<string>>() : dependencySets(previous);
    const after = dependencySets(graph);
    const invalidated: string[] = [];
    for (const id of graph.topologicalOrder()) {
      if (!recorded.has(id)) continue;
      const dependsOn = after.get(id);
      const previousDependsOn = before.get(id);
      const holds =
        dependsOn !== undefined &&
        previousDependsOn !== undefined &&
        sameSet(dependsOn, previousDependsOn) &&
        [...dependsOn].every((dependency) => completed.has(dependency));
      if (holds) completed.add(id);
      else invalidated.push(id);
    }
    graphChanges = {
      added: graph.ids().filter((id) => !before.has(id)),
      removed: [...before.keys()].filter((id) => !after.has(id)),
      changed: graph.ids().filter((id) => {
        const previousDependsOn = before.get(id);
        const dependsOn = after.get(id);
        return previousDependsOn !== undefined && dependsOn !== undefined && !sameSet(previousDependsOn, dependsOn);
      }),
      invalidated,
    };
  }

  const interrupted = new Set((checkpoint.running ?? []).filter((id) => graph.has(id) && !completed.has(id)));
  return graphChanges === undefined ? { completed, interrupted, durations } : { completed, interrupted, durations, graphChanges };
}
