// 1. Scheduling overhead: construction + run of no-op tasks, µs per task, warm (one process, interleaved rounds).
import { benchDag } from './dag.js';
import { fmt } from './markdown.js';
import { LABEL, noop, runners, type RunnerName } from './runners/index.js';
import { QUICK, SEED, gc } from './settings.js';
import { median } from './stats.js';

/** async.auto is quadratic (about 30-40 s per 20k run on 2 cores): one run at 20k. */
export const ASYNC_RUNS_20K = 1;

export interface OverheadResult {
  readonly rows: string[][];
  /** Median µs per task of `<runner>:<size>`. */
  readonly us: ReadonlyMap<string, number>;
}

export async function overhead(): Promise<OverheadResult> {
  const plan: { size: number; runs: number; libs: RunnerName[] }[] = QUICK
    ? [
        { size: 2_000, runs: 3, libs: ['sdp', 'pgraph', 'async'] },
        { size: 20_000, runs: 1, libs: ['sdp', 'pgraph'] },
      ]
    : [
        { size: 2_000, runs: 5, libs: ['sdp', 'pgraph', 'async'] },
        { size: 10_000, runs: 5, libs: ['sdp', 'pgraph'] },
        { size: 20_000, runs: 5, libs: ['sdp', 'pgraph', 'async'] }, // async: ASYNC_RUNS_20K only
        { size: 100_000, runs: 3, libs: ['sdp', 'pgraph'] },
      ];
  const us = new Map<string, number>();
  const rows: string[][] = [];
  for (const { size, runs, libs } of plan) {
    const dag = benchDag(size, SEED);
    for (const lib of libs) await runners[lib](benchDag(500, SEED + 1), 16, noop)(); // warm-up
    const samples = new Map(libs.map((lib) => [lib, [] as number[]]));
    for (let round = 0; round < runs; round++) {
      for (const lib of libs) {
        if (lib === 'async' && size >= 20_000 && round >= ASYNC_RUNS_20K) continue;
        gc();
        const start = performance.now();
        await runners[lib](dag, 16, noop)();
        samples.get(lib)!.push(((performance.now() - start) * 1000) / size);
      }
    }
    for (const lib of libs) {
      const value = median(samples.get(lib)!);
      us.set(`${lib}:${size}`, value);
      rows.push([size.toLocaleString('en-US'), LABEL[lib], fmt(value), String(samples.get(lib)!.length)]);
    }
    console.error(`  overhead ${size} done`);
  }
  return { rows, us };
}
