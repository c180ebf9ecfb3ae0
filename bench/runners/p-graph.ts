import { PGraph } from 'p-graph';
import type { Runner } from './runner.js';

export const pgraph: Runner = (dag, concurrency, exec) => {
  const nodes = new Map(dag.ids.map((id, i) => [id, { run: () => exec(i) }]));
  const edges: [string, string][] = [];
  dag.deps.forEach((ds, i) => {
    for (const d of ds) edges.push([dag.ids[d]!, dag.ids[i]!]);
  });
  const graph = new PGraph(nodes, edges);
  return async () => {
    await graph.run({ concurrency });
  };
};
