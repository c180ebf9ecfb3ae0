import type { DependencyGraph } from '@sdp/graph';

/**
 * Priority of a ready workstream: the heaviest chain of work still hanging on it. Durations measured
 * earlier weigh where known (the checkpoint's first, then `known`, e.g. from earlier runs' records);
 * others weigh the mean of the known ones. With none known that is the ready set's own default, the
 * chain length in workstreams, which it computes without a call per workstream (so: undefined).
 */
export function priorityByRemainingChain(
  graph: DependencyGraph,
  measured: ReadonlyMap<string, number>,
  known: ReadonlyMap<string, number>,
): ((id: string) => number) | undefined {
  const durations = new Map<string, number>();
  for (const [id, ms] of known) if (graph.has(id)) durations.set(id, ms);
  for (const [id, ms] of measured) durations.set(id, ms);
  if (durations.size === 0) return undefined;
  let total = 0;
  for (const ms of durations.values()) total += ms;
  const fallback = total / durations.size;
  const chains = graph.chainLengths((id) => durations.get(id) ?? fallback);
  return (id) => chains.get(id) ?? 0;
}
