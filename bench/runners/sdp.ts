import { Dispatcher } from '@sdp/dispatcher';
import { DependencyGraph } from '@sdp/graph';
import type { Runner } from './runner.js';

/** @sdp/dispatcher without checkpointing, so that only scheduling is measured. */
export const sdp: Runner = (dag, concurrency, exec) => {
  const index = new Map(dag.ids.map((id, i) => [id, i]));
  const graph = DependencyGraph.fromNodes(dag.ids.map((id, i) => ({ id, dependsOn: dag.deps[i]!.map((d) => dag.ids[d]!) })));
  const dispatcher = new Dispatcher(graph, { featureId: 'BENCH', concurrency, checkpoint: false });
  return async () => {
    const report = await dispatcher.run((id) => exec(index.get(id)!));
    if (report.totals.completed !== dag.ids.length) throw new Error(`sdp: ${report.outcome}, ${report.totals.completed} completed`);
  };
};
