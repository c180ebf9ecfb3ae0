// One cold run, in a fresh Node process, as the CLI always runs: load one library, build the seeded
// no-op DAG, then construct the library's graph and run it once. Prints one JSON line (a ColdSample).
// Spawned by cold-run.ts; by hand, e.g. to profile:
//
//   node --cpu-prof --import tsx cold-entry.ts sdp 20000 42
import { existsSync, readFileSync } from 'node:fs';
import { benchDag } from './dag.js';
import type { Runner } from './runners/runner.js';
import { noop } from './runners/runner.js';

export type ColdLibrary = 'sdp' | 'pgraph';

/** What one cold run prints. Times per task are in µs. */
export interface ColdSample {
  readonly lib: ColdLibrary;
  readonly size: number;
  /** Time to import the runner and the library it loads (ms); informative, tsx resolves the imports. */
  readonly importMs: number;
  readonly constructionUs: number;
  readonly runUs: number;
  /**
   * CPU time of the main thread over construction + run, µs per task (Linux; NaN elsewhere). Wall time
   * minus this is time spent waiting for a CPU, which a busy machine inflates.
   */
  readonly cpuUs: number;
}

const SCHEDSTAT = '/proc/thread-self/schedstat';

/** CPU time of this thread so far in ms (its first schedstat field, ns), or NaN where there is none. */
function threadCpuMs(): number {
  return existsSync(SCHEDSTAT) ? Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6 : Number.NaN;
}

/** Each library's runner, imported only in the process that measures it. */
const load: Record<ColdLibrary, () => Promise<Runner>> = {
  sdp: async () => (await import('./runners/sdp.js')).sdp,
  pgraph: async () => (await import('./runners/p-graph.js')).pgraph,
};

const isColdLibrary = (value: string | undefined): value is ColdLibrary => value === 'sdp' || value === 'pgraph';

async function main(): Promise<void> {
  const [lib, sizeArg = '20000', seedArg = '42'] = process.argv.slice(2);
  if (!isColdLibrary(lib)) throw new Error(`cold-entry: library must be sdp or pgraph, got ${String(lib)}`);
  const size = Number(sizeArg);
  const importStart = performance.now();
  const runner = await load[lib]();
  const importMs = performance.now() - importStart;
  const dag = benchDag(size, Number(seedArg));
  const cpuStart = threadCpuMs();
  const start = performance.now();
  const run = runner(dag, 16, noop);
  const built = performance.now();
  await run();
  const end = performance.now();
  const cpuEnd = threadCpuMs();
  const sample: ColdSample = {
    lib,
    size,
    importMs,
    constructionUs: ((built - start) * 1000) / size,
    runUs: ((end - built) * 1000) / size,
    cpuUs: ((cpuEnd - cpuStart) * 1000) / size,
  };
  console.log(JSON.stringify(sample));
}

await main();
