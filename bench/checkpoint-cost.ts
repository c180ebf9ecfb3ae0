// 4. Checkpoint cost: 10k tasks of ~1 ms, concurrency 16, checkpointing off vs on (real files).
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckpointStore } from '@sdp/checkpoint';
import { Dispatcher } from '@sdp/dispatcher';
import { DependencyGraph } from '@sdp/graph';
import { type Dag, benchDag } from './dag.js';
import { fmt } from './markdown.js';
import { QUICK, SEED, gc } from './settings.js';
import { median } from './stats.js';

export const CHECKPOINT_SIZE = QUICK ? 1_000 : 10_000;

export interface CheckpointSample {
  wall: number;
  saves: number;
  failedSaves: number;
  finalBytes: number;
  totalBytes: number;
}

/** Bytes this process has passed to write(2) so far (Linux), whatever file they went to. */
function bytesWritten(): number {
  return Number(/^wchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? Number.NaN);
}

/**
 * A store that, when the dispatcher deletes the finished checkpoint, first notes the bytes written so far
 * and folds the journal into the JSON file, so that the final checkpoint can be measured.
 */
class MeasuringStore extends CheckpointStore {
  bytesAtEnd = Number.NaN;
  finalBytes = Number.NaN;

  override async delete(): Promise<string[]> {
    this.bytesAtEnd = bytesWritten();
    await this.compact();
    this.finalBytes = statSync(this.path).size;
    return super.delete();
  }
}

async function checkpointRun(dag: Dag, on: boolean, countBytes: boolean): Promise<CheckpointSample> {
  const dir = await mkdtemp(join(os.tmpdir(), 'sdp-bench-'));
  try {
    const graph = DependencyGraph.fromNodes(dag.ids.map((id, i) => ({ id, dependsOn: dag.deps[i]!.map((d) => dag.ids[d]!) })));
    const store = countBytes ? new MeasuringStore({ featureId: 'BENCH', dir }) : { dir };
    const dispatcher = new Dispatcher(graph, { featureId: 'BENCH', concurrency: 16, checkpoint: on ? store : false });
    const sample: CheckpointSample = { wall: 0, saves: 0, failedSaves: 0, finalBytes: 0, totalBytes: 0 };
    dispatcher.onCheckpoint((event) => {
      if (event.ok) sample.saves++;
      else sample.failedSaves++;
    });
    gc();
    const bytesBefore = bytesWritten();
    const start = performance.now();
    const report = await dispatcher.run(() => sleep(1));
    sample.wall = performance.now() - start;
    if (store instanceof MeasuringStore) {
      sample.totalBytes = store.bytesAtEnd - bytesBefore;
      sample.finalBytes = store.finalBytes;
    }
    if (report.totals.completed !== dag.ids.length) throw new Error(`checkpoint run: ${report.outcome}`);
    return sample;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface CheckpointResult {
  readonly rows: string[][];
  /** Median wall time on / off. */
  readonly wallRatio: number;
  /** Total bytes written / final checkpoint bytes, from the instrumented run. */
  readonly bytesRatio: number;
  readonly byteRun: CheckpointSample;
}

export async function checkpointCost(): Promise<CheckpointResult> {
  const runs = QUICK ? 1 : 3;
  const dag = benchDag(CHECKPOINT_SIZE, SEED + 4);
  const off: number[] = [];
  const on: CheckpointSample[] = [];
  for (let round = 0; round < runs; round++) {
    off.push((await checkpointRun(dag, false, false)).wall);
    on.push(await checkpointRun(dag, true, false));
  }
  // A separate run counts bytes (a stat per save), so the timed runs above carry no instrumentation.
  const byteRun = await checkpointRun(dag, true, true);
  const offMedian = median(off);
  const onMedian = median(on.map((s) => s.wall));
  const wallRatio = onMedian / offMedian;
  const bytesRatio = byteRun.totalBytes / byteRun.finalBytes;
  const saves = median(on.map((s) => s.saves));
  const rows = [
    ['off', fmt(offMedian, 0), '-', '-', '-', '-'],
    ['on', fmt(onMedian, 0), String(saves), String(byteRun.finalBytes), String(byteRun.totalBytes), fmt(bytesRatio)],
  ];
  console.error('  checkpoint done');
  return { rows, wallRatio, bytesRatio, byteRun };
}
