// 3. Priority: a long chain listed last behind many short independent tasks; critical path first vs FIFO.
import type { Dag } from './dag.js';
import { makespanRun, type MakespanSample } from './makespan.js';
import { fmt } from './markdown.js';
import { LABEL, type RunnerName } from './runners/index.js';
import { QUICK } from './settings.js';
import { median } from './stats.js';

/** One chain of 40 x 10 ms inserted last, after 320 independent 5 ms tasks; concurrency 4. */
function priorityDag(): { dag: Dag; ms: number[] } {
  const shorts = 320;
  const chain = 40;
  const ids: string[] = [];
  const deps: number[][] = [];
  const ms: number[] = [];
  for (let i = 0; i < shorts; i++) {
    ids.push(`short${i}`);
    deps.push([]);
    ms.push(5);
  }
  for (let k = 0; k < chain; k++) {
    ids.push(`chain${k}`);
    deps.push(k === 0 ? [] : [shorts + k - 1]);
    ms.push(10);
  }
  return { dag: { ids, deps }, ms };
}

export interface PriorityResult {
  readonly rows: string[][];
  /** Median makespan in ms per runner. */
  readonly makespans: ReadonlyMap<RunnerName, number>;
}

export async function priority(): Promise<PriorityResult> {
  const { dag, ms } = priorityDag();
  const libs: RunnerName[] = ['sdp', 'pgraph', 'fifo'];
  const runs = QUICK ? 1 : 5;
  const samples = new Map(libs.map((lib) => [lib, [] as MakespanSample[]]));
  for (let round = 0; round < runs; round++) {
    for (const lib of libs) samples.get(lib)!.push(await makespanRun(lib, dag, ms, 4));
  }
  const makespans = new Map<RunnerName, number>();
  const rows = libs.map((lib) => {
    const s = samples.get(lib)!;
    const m = median(s.map((x) => x.makespan));
    makespans.set(lib, m);
    return [LABEL[lib], fmt(m, 0), fmt(median(s.map((x) => x.bound)), 0), fmt(median(s.map((x) => x.makespan / x.bound)), 3)];
  });
  console.error('  priority done');
  return { rows, makespans };
}
