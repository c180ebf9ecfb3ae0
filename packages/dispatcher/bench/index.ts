// Scheduling overhead of the dispatcher: no-op workstreams on seeded random DAGs (~3 dependencies
// each), concurrency 16; checkpointing off, then on (real saves to a temp directory).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DependencyGraph, type GraphNode } from '@sdp/graph';
import { Dispatcher } from '../src/index.js';

function randomDag(size: number, seed: number): GraphNode[] {
  let state = seed >>> 0;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: size }, (_, i) => {
    const dependsOn = new Set<string>();
    for (let k = 0; k < 3 && i > 0; k++) dependsOn.add(`n${Math.floor(random() * i)}`);
    return { id: `n${i}`, dependsOn: [...dependsOn] };
  });
}

async function measure(size: number, checkpoint: boolean): Promise<{ usPerTask: number; saves: number }> {
  const graph = DependencyGraph.fromNodes(randomDag(size, 42));
  const dir = await mkdtemp(join(tmpdir(), 'sdp-bench-'));
  try {
    const dispatcher = new Dispatcher(graph, {
      featureId: 'BENCH',
      concurrency: 16,
      checkpoint: checkpoint ? { dir } : false,
      breaker: { threshold: 5, window: 5 },
    });
    let saves = 0;
    dispatcher.onCheckpoint(() => (saves += 1));
    const started = performance.now();
    const report = await dispatcher.run(() => Promise.resolve());
    const elapsed = performance.now() - started;
    if (report.totals.completed !== size) throw new Error(`only ${report.totals.completed} of ${size} completed`);
    return { usPerTask: (elapsed * 1000) / size, saves };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const rows: string[][] = [];
for (const [size, checkpoint, runs] of [
  [20_000, false, 5],
  [100_000, false, 3],
  [2_000, true, 3],
  [20_000, true, 1],
] as const) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measure(size, checkpoint));
  rows.push([
    size.toLocaleString('en-US'),
    checkpoint ? 'on' : 'off',
    median(results.map((result) => result.usPerTask)).toFixed(1),
    checkpoint ? String(median(results.map((result) => result.saves))) : '-',
  ]);
}
console.log(`Node ${process.version}, concurrency 16, no-op workstreams, median of runs`);
console.table(rows.map(([tasks, checkpoint, us, saves]) => ({ tasks, checkpoint, 'µs/task': us, saves })));
