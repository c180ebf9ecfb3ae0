import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { randomDag as sharedRandomDag } from '@sdp/internal/testing';
import type { GraphNode } from '../src/index.js';
import { DependencyGraph } from '../src/index.js';

const NODES = 100_000;
const DEPENDENCIES_PER_NODE = 3;
/** Dependencies come from the previous WINDOW nodes: long chains, but not one single line. */
const WINDOW = 1_000;
const RUNS = 7;

/**
 * The shared seeded DAG, node `i` depending on up to 3 of the previous WINDOW nodes. Shuffled (the
 * default): fromNodes meets dependents before their dependencies, and every mention of an id is a
 * string of its own. In order: each node comes after its dependencies, whose ids are the very
 * strings of those nodes, as in a graph built in memory.
 */
function randomDag(size: number, seed: number, order: 'shuffled' | 'in order' = 'shuffled'): GraphNode[] {
  const idOf = (i: number) => `ws-${i.toString().padStart(6, '0')}`;
  const nodes = sharedRandomDag(size, seed, {
    maxDependencies: DEPENDENCIES_PER_NODE,
    window: WINDOW,
    idOf,
    shuffle: order === 'shuffled',
  });
  if (order === 'in order') return nodes;
  // Each mention built anew, as when every id is read from a file.
  const mention = (dependency: string) => idOf(Number(dependency.slice('ws-'.length)));
  return nodes.map(({ id, dependsOn }) => ({ id, dependsOn: dependsOn.map(mention) }));
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function time(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Memory retained by what `build` returns, in bytes: JS heap plus typed-array buffers, after full collections. */
function retainedBytes(build: () => unknown): number {
  const used = () => {
    // Typed-array memory is released while sweeping finishes, which the next collection waits for.
    gc();
    gc();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  const before = used();
  const kept = build();
  const after = used();
  if (kept === undefined) throw new Error('nothing retained');
  return after - before;
}

const nodes = randomDag(NODES, 42);
const edges = nodes.reduce((sum, node) => sum + (node.dependsOn?.length ?? 0), 0);
const samples = new Map<string, number[]>();
const record = (name: string, ms: number) => samples.set(name, [...(samples.get(name) ?? []), ms]);

for (let run = 0; run < RUNS; run++) {
  let graph = new DependencyGraph();
  record(
    'fromNodes + topologicalOrder (target < 300 ms)',
    time(() => DependencyGraph.fromNodes(nodes).topologicalOrder()),
  );
  record(
    'fromNodes (build + validate)',
    time(() => (graph = DependencyGraph.fromNodes(nodes))),
  );
  record(
    'topologicalOrder',
    time(() => graph.topologicalOrder()),
  );
  record(
    'levels',
    time(() => graph.levels()),
  );
  record(
    'criticalPath',
    time(() => graph.criticalPath()),
  );
  record(
    'chainLengths',
    time(() => graph.chainLengths()),
  );
  const unhashed = DependencyGraph.fromNodes(nodes); // fingerprint() caches, so hash a fresh graph
  record(
    'fingerprint',
    time(() => unhashed.fingerprint()),
  );
  record(
    'ReadySet drain (create, take + complete all)',
    time(() => {
      const ready = graph.readySet();
      for (let id = ready.take(); id !== undefined; id = ready.take()) ready.complete(id);
    }),
  );
  let snapshot = graph.snapshot();
  record(
    'snapshot',
    time(() => (snapshot = graph.snapshot())),
  );
  record(
    'fromSnapshot',
    time(() => DependencyGraph.fromSnapshot(snapshot)),
  );
  const order = graph.topologicalOrder();
  record(
    'addNode x 100k (dependency order)',
    time(() => {
      const built = new DependencyGraph();
      for (const id of order) built.addNode(id, graph.dependenciesOf(id));
    }),
  );
}

console.log(`Random DAG: ${NODES} nodes, ${edges} edges; median of ${RUNS} runs; Node ${process.version}`);
console.table([...samples].map(([operation, ms]) => ({ operation, 'median ms': Number(median(ms).toFixed(1)) })));

const scaling = [25_000, 50_000, 100_000].map((size) => {
  const input = randomDag(size, 7);
  const builds = Array.from({ length: RUNS }, () => time(() => DependencyGraph.fromNodes(input).topologicalOrder()));
  const bytes = retainedBytes(() => {
    const graph = DependencyGraph.fromNodes(input);
    graph.topologicalOrder();
    return graph;
  });
  return {
    nodes: size,
    'fromNodes + order, median ms': Number(median(builds).toFixed(1)),
    'retained, MB': Number((bytes / 2 ** 20).toFixed(1)),
    'bytes per node': Math.round(bytes / size),
  };
});
console.log('Scaling (same generator). Retained: the graph with its derived data (id strings are shared with the input).');
console.table(scaling);

/**
 * A scheduler's overhead per node, as a dispatcher pays it: build the graph, rank by chain length,
 * open a ready set, then take and complete every node. A full collection before each run, so no run
 * inherits another's garbage.
 */
const perNode = [20_000, 100_000].flatMap((size) =>
  (['in order', 'shuffled'] as const).map((order) => {
    const input = randomDag(size, 11, order);
    const phases = { fromNodes: [] as number[], chainLengths: [] as number[], readySet: [] as number[], drain: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      gc();
      let graph = new DependencyGraph();
      phases.fromNodes.push(time(() => (graph = DependencyGraph.fromNodes(input))));
      let chains = new Map<string, number>();
      phases.chainLengths.push(time(() => (chains = graph.chainLengths(() => 1))));
      let ready = graph.readySet();
      phases.readySet.push(time(() => (ready = graph.readySet({ priority: (id) => chains.get(id) ?? 0 }))));
      phases.drain.push(
        time(() => {
          for (let id = ready.take(); id !== undefined; id = ready.take()) ready.complete(id);
        }),
      );
    }
    const micros = (ms: number[]) => Number(((median(ms) * 1000) / size).toFixed(2));
    return {
      nodes: size,
      input: order,
      fromNodes: micros(phases.fromNodes),
      chainLengths: micros(phases.chainLengths),
      readySet: micros(phases.readySet),
      'take + complete': micros(phases.drain),
    };
  }),
);
console.log(`Per node, µs (median of ${RUNS} runs, each after a full collection): build, rank, open, drain.`);
console.table(perNode);
