import { CheckpointStore } from '@sdp/checkpoint';
import type { CommonArgs } from './args.js';
import { loadFeature } from './load-feature.js';
import type { Output } from './reporter.js';

/** `sdp-dispatch status`: what the feature's checkpoint says, read without taking the lock. */
export async function statusCommand(args: CommonArgs, out: Output): Promise<number> {
  const { loaded, graph, done } = await loadFeature(args);
  const store = new CheckpointStore({ featureId: loaded.featureId, dir: args.checkpointDir });
  const checkpoint = await store.load();
  if (checkpoint === null) {
    out.write(`Feature ${loaded.featureId}: no checkpoint at ${store.path} (not started, or the last run completed everything)\n`);
    return 0;
  }
  const completed = new Set([...checkpoint.completed, ...done]);
  const failed = checkpoint.failed;
  const skipped = Object.entries(checkpoint.skipped ?? {});
  const running = checkpoint.running ?? [];
  const remaining = graph
    .ids()
    .filter((id) => !completed.has(id) && !failed.includes(id) && checkpoint.skipped?.[id] === undefined && !running.includes(id));
  const lines = [
    `Feature ${loaded.featureId}: checkpoint of ${checkpoint.timestamp}`,
    `  ${store.path}`,
    `Completed ${graph.ids().filter((id) => completed.has(id)).length} of ${graph.size}`,
    ...(failed.length > 0 ? [`Failed: ${failed.join(', ')}`] : []),
    ...(skipped.length > 0 ? [`Skipped: ${skipped.map(([id, by]) => `${id} (blocked by ${by})`).join(', ')}`] : []),
    ...(running.length > 0 ? [`Running when saved (they run again on resume): ${running.join(', ')}`] : []),
    ...(remaining.length > 0 ? [`Not run yet: ${remaining.join(', ')}`] : []),
    ...(checkpoint.circuit_breaker === null ? [] : [`Breaker: ${['closed', 'open', 'half-open'][checkpoint.circuit_breaker.state] ?? '?'}`]),
  ];
  out.write(`${lines.join('\n')}\n`);
  return 0;
}
