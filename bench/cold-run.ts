// 6. Cold run: each library's first run in a fresh Node process (cold-entry.ts), libraries taking turns.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ColdLibrary, ColdSample } from './cold-entry.js';
import { fmt } from './markdown.js';
import { LABEL } from './runners/index.js';
import { QUICK, SEED } from './settings.js';
import { median } from './stats.js';

export const COLD_SIZE = 20_000;
export const COLD_RUNS = QUICK ? 3 : 7;
// The bench's FIFO scheduler is the floor: what a cold process costs a scheduler with no features at all.
const LIBRARIES: readonly ColdLibrary[] = ['sdp', 'pgraph', 'fifo'];
const benchDir = fileURLToPath(new URL('.', import.meta.url));

/** One fresh process: `node --import tsx cold-entry.ts <lib> <size> <seed>`; also its whole life as the parent saw it. */
async function coldOnce(lib: ColdLibrary): Promise<ColdSample & { processMs: number }> {
  const start = performance.now();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'cold-entry.ts', lib, String(COLD_SIZE), String(SEED)],
    {
      cwd: benchDir,
    },
  );
  const processMs = performance.now() - start;
  return { ...(JSON.parse(stdout) as ColdSample), processMs };
}

export interface ColdResult {
  readonly rows: string[][];
  /** What this machine takes to touch a fresh page of memory for the first time, µs (median over the children). */
  readonly firstTouchUs: number;
  /** Median construction + run µs per task, per library. */
  readonly us: ReadonlyMap<ColdLibrary, number>;
  /** Median main-thread CPU µs per task over construction + run, per library (NaN off Linux). */
  readonly cpuUs: ReadonlyMap<ColdLibrary, number>;
}

export async function coldRun(): Promise<ColdResult> {
  const samples = new Map(LIBRARIES.map((lib) => [lib, [] as (ColdSample & { processMs: number })[]]));
  for (let round = 0; round < COLD_RUNS; round++) {
    // Rotate which library goes first, so that none always meets the machine in the same state.
    const order = [...LIBRARIES.slice(round % LIBRARIES.length), ...LIBRARIES.slice(0, round % LIBRARIES.length)];
    for (const lib of order) samples.get(lib)!.push(await coldOnce(lib));
  }
  const us = new Map<ColdLibrary, number>();
  const cpuUs = new Map<ColdLibrary, number>();
  const rows = LIBRARIES.map((lib) => {
    const s = samples.get(lib)!;
    const total = median(s.map((x) => x.constructionUs + x.runUs));
    us.set(lib, total);
    cpuUs.set(lib, median(s.map((x) => x.cpuUs)));
    return [
      LABEL[lib],
      fmt(median(s.map((x) => x.constructionUs))),
      fmt(median(s.map((x) => x.runUs))),
      fmt(total),
      fmt(cpuUs.get(lib)!),
      fmt(median(s.map((x) => x.pageFaults))),
      fmt(median(s.map((x) => x.importMs)), 0),
      fmt(median(s.map((x) => x.processMs)), 0),
      String(s.length),
    ];
  });
  console.error('  cold run done');
  const firstTouchUs = median([...samples.values()].flat().map((x) => x.firstTouchUs));
  return { rows, firstTouchUs, us, cpuUs };
}
