// Scheduling overhead of the dispatcher: no-op workstreams on seeded random DAGs (3 dependencies
// each, the shared generator of @sdp/internal), concurrency 16; checkpointing off, then on (real saves to a temp directory).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DependencyGraph } from '@sdp/graph';
import { randomDag } from '@sdp/internal/testing';
import { Dispatcher } from '../src/index.js';

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
