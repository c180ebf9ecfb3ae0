// 2. Makespan against the lower bound computed from each run's measured task durations.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Dag, benchDag, durations } from './dag.js';
import { fmt } from './markdown.js';
import { type Exec, LABEL, runners, type RunnerName } from './runners/index.js';
import { QUICK, SEED, gc } from './settings.js';
import { median } from './stats.js';

export interface MakespanSample {
  readonly makespan: number;
  readonly bound: number;
}

/** max(critical path, total work / concurrency), from the durations the tasks actually took. */
function lowerBound(dag: Dag, measured: Float64Array, concurrency: number): number {
  const finish = new Float64Array(dag.ids.length);
  let critical = 0;
  let total = 0;
  for (let i = 0; i < dag.ids.length; i++) {
    let ready = 0;
    for (const d of dag.deps[i]!) ready = Math.max(ready, finish[d]!);
    finish[i] = ready + measured[i]!;
    critical = Math.max(critical, finish[i]!);
    total += measured[i]!;
  }
  return Math.max(critical, total / concurrency);
}

/** One run of tasks that sleep `ms[i]`: its makespan and the lower bound of that very run. */
export async function makespanRun(lib: RunnerName, dag: Dag, ms: readonly number[], concurrency: number): Promise<MakespanSample> {
  const measured = new Float64Array(dag.ids.length);
  const exec: Exec = async (i) => {
    const start = performance.now();
    await sleep(ms[i]);
    measured[i] = performance.now() - start;
  };
  gc();
  const start = performance.now();
  await runners[lib](dag, concurrency, exec)();
  const makespan = performance.now() - start;
  return { makespan, bound: lowerBound(dag, measured, concurrency) };
}

export const MAKESPAN_SIZE = QUICK ? 400 : 2_000;

export interface MakespanResult {
  readonly rows: string[][];
  /** Median ratio makespan / bound of `<runner>:<concurrency>`, and its range as `…:min` and `…:max`. */
  readonly ratio: ReadonlyMap<string, number>;
}

export async function makespan(): Promise<MakespanResult> {
  const runs = QUICK ? 1 : 5;
  const dag = benchDag(MAKESPAN_SIZE, SEED + 2);
  const ms = durations(MAKESPAN_SIZE, SEED + 3, 1, 9);
  const libs: RunnerName[] = ['sdp', 'pgraph', 'async', 'fifo'];
  const rows: string[][] = [];
  const ratio = new Map<string, number>();
  for (const concurrency of [4, 16]) {
    const samples = new Map(libs.map((lib) => [lib, [] as MakespanSample[]]));
    for (let round = 0; round < runs; round++) {
      for (const lib of libs) samples.get(lib)!.push(await makespanRun(lib, dag, ms, concurrency));
    }
    for (const lib of libs) {
      const s = samples.get(lib)!;
      const ratios = s.map((x) => x.makespan / x.bound);
      const r = median(ratios);
      ratio.set(`${lib}:${concurrency}`, r);
      ratio.set(`${lib}:${concurrency}:min`, Math.min(...ratios));
      ratio.set(`${lib}:${concurrency}:max`, Math.max(...ratios));
      rows.push([
        String(concurrency),
        LABEL[lib],
        fmt(median(s.map((x) => x.makespan)), 0),
        fmt(median(s.map((x) => x.bound)), 0),
        fmt(r, 3),
        `${fmt(Math.min(...ratios), 3)}–${fmt(Math.max(...ratios), 3)}`,
      ]);
    }
    console.error(`  makespan c=${concurrency} done`);
  }
  return { rows, ratio };
}
