// One cold run, in a fresh Node process, as the CLI always runs: load one library, build the seeded
// no-op DAG, then construct the library's graph and run it once. Prints one JSON line (a ColdSample).
// Spawned by cold-run.ts; by hand, e.g. to profile:
//
//   node --cpu-prof --import tsx cold-entry.ts sdp 20000 42
import { existsSync, readFileSync } from 'node:fs';
import { benchDag } from './dag.js';
import type { Runner } from './runners/runner.js';
import { noop } from './runners/runner.js';

/** The two libraries compared, and the bench's own FIFO scheduler as the floor (no breaker, retries, events or report). */
export type ColdLibrary = 'sdp' | 'pgraph' | 'fifo';

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
  /**
   * Pages of memory the process touched for the first time over construction + run (minor page faults),
   * per task. Each costs a trip into the kernel, which on some virtual machines is most of a cold run.
   */
  readonly pageFaults: number;
  /** µs to touch a fresh 4 KiB page for the first time, measured after the run (see firstTouchUs). */
  readonly firstTouchUs: number;
}

const SCHEDSTAT = '/proc/thread-self/schedstat';

/** CPU time of this thread so far in ms (its first schedstat field, ns), or NaN where there is none. */
function threadCpuMs(): number {
  return existsSync(SCHEDSTAT) ? Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6 : Number.NaN;
}

/** µs per 4 KiB page to write a fresh 4 MiB buffer once: the kernel maps each page at its first touch. */
function firstTouchUs(): number {
  const page = 4096;
  const fresh = Buffer.allocUnsafeSlow(4 << 20);
  const start = performance.now();
  for (let offset = 0; offset < fresh.length; offset += page) fresh[offset] = 1;
  return ((performance.now() - start) * 1000 * page) / fresh.length;
}

/** Each library's runner, imported only in the process that measures it. */
const load: Record<ColdLibrary, () => Promise<Runner>> = {
  sdp: async () => (await import('./runners/sdp.js')).sdp,
  pgraph: async () => (await import('./runners/p-graph.js')).pgraph,
  fifo: async () => (await import('./runners/fifo.js')).fifo,
};

const isColdLibrary = (value: string | undefined): value is ColdLibrary => value !== undefined && Object.hasOwn(load, value);

async function main(): Promise<void> {
  const [lib, sizeArg = '20000', seedArg = '42'] = process.argv.slice(2);
  if (!isColdLibrary(lib)) throw new Error(`cold-entry: library must be one of ${Object.keys(load).join(', ')}, got ${String(lib)}`);
  const size = Number(sizeArg);
  const importStart = performance.now();
  const runner = await load[lib]();
  const importMs = performance.now() - importStart;
  const dag = benchDag(size, Number(seedArg));
  const faultsStart = process.resourceUsage().minorPageFault;
  const cpuStart = threadCpuMs();
  const start = performance.now();
  const run = runner(dag, 16, noop);
  const built = performance.now();
  await run();
  const end = performance.now();
  const cpuEnd = threadCpuMs();
  const faultsEnd = process.resourceUsage().minorPageFault;
  const sample: ColdSample = {
    lib,
    size,
    importMs,
    constructionUs: ((built - start) * 1000) / size,
    runUs: ((end - built) * 1000) / size,
    cpuUs: ((cpuEnd - cpuStart) * 1000) / size,
    pageFaults: (faultsEnd - faultsStart) / size,
    firstTouchUs: firstTouchUs(),
  };
  console.log(JSON.stringify(sample));
}

await main();
