// Side-by-side benchmarks of @sdp against its peers (issue 8), in one process run.
// Prints a table and writes docs/benchmarks.md. Needs the @sdp packages built (`pnpm build`).
//
//   tsx run.ts            full run (about 3-4 minutes on 2 cores)
//   tsx run.ts --quick    fewer runs and smaller sizes, for trying the harness; prints only, writes nothing
//
// Every variant of a measurement is interleaved round by round and the median is reported.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import asyncLib from 'async';
import { CountBreaker, circuitBreaker, handleAll } from 'cockatiel';
import Opossum from 'opossum';
import { PGraph } from 'p-graph';
import { CheckpointStore } from '../packages/checkpoint/dist/index.js';
import { CircuitBreaker } from '../packages/circuit-breaker/dist/index.js';
import { Dispatcher } from '../packages/dispatcher/dist/index.js';
import { DependencyGraph } from '../packages/graph/dist/index.js';

const QUICK = process.argv.includes('--quick');
const SEED = 42;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

// ---------------------------------------------------------------------------------------------
// Seeded DAGs. Node i depends on up to 3 distinct random earlier nodes, so index order is topological.

interface Dag {
  ids: string[];
  deps: number[][];
}

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomDag(size: number, seed: number): Dag {
  const random = rng(seed);
  const ids = Array.from({ length: size }, (_, i) => `n${i}`);
  const deps = ids.map((_, i) => {
    const set = new Set<number>();
    for (let k = 0; k < 3 && i > 0; k++) set.add(Math.floor(random() * i));
    return [...set];
  });
  return { ids, deps };
}

/** Durations in whole ms, uniform in [min, max]. */
function durations(size: number, seed: number, min: number, max: number): number[] {
  const random = rng(seed);
  return Array.from({ length: size }, () => min + Math.floor(random() * (max - min + 1)));
}

type Exec = (index: number) => Promise<unknown>;
/** A runner: builds its own structures from the DAG and runs it; resolves when all tasks are done. */
type Runner = (dag: Dag, concurrency: number, exec: Exec) => Promise<void>;

const runners: Record<'sdp' | 'pgraph' | 'async' | 'fifo', Runner> = {
  async sdp(dag, concurrency, exec) {
    const index = new Map(dag.ids.map((id, i) => [id, i]));
    const graph = DependencyGraph.fromNodes(dag.ids.map((id, i) => ({ id, dependsOn: dag.deps[i]!.map((d) => dag.ids[d]!) })));
    const dispatcher = new Dispatcher(graph, { featureId: 'BENCH', concurrency, checkpoint: false });
    const report = await dispatcher.run((id) => exec(index.get(id)!));
    if (report.totals.completed !== dag.ids.length) throw new Error(`sdp: ${report.outcome}, ${report.totals.completed} completed`);
  },
  async pgraph(dag, concurrency, exec) {
    const nodes = new Map(dag.ids.map((id, i) => [id, { run: () => exec(i) }]));
    const edges: [string, string][] = [];
    dag.deps.forEach((ds, i) => {
      for (const d of ds) edges.push([dag.ids[d]!, dag.ids[i]!]);
    });
    await new PGraph(nodes, edges).run({ concurrency });
  },
  async async(dag, concurrency, exec) {
    const tasks: Record<string, unknown> = {};
    dag.ids.forEach((id, i) => {
      tasks[id] = [...dag.deps[i]!.map((d) => dag.ids[d]!), async () => exec(i)];
    });
    await asyncLib.auto(tasks as never, concurrency);
  },
  /** Tiny FIFO greedy baseline: a task joins the back of the queue when its last dependency finishes. */
  fifo(dag, concurrency, exec) {
    return new Promise<void>((resolve, reject) => {
      const n = dag.ids.length;
      const waiting = dag.deps.map((ds) => ds.length);
      const dependents: number[][] = dag.ids.map(() => []);
      dag.deps.forEach((ds, i) => {
        for (const d of ds) dependents[d]!.push(i);
      });
      const queue: number[] = [];
      for (let i = 0; i < n; i++) if (waiting[i] === 0) queue.push(i);
      let head = 0;
      let running = 0;
      let done = 0;
      const pump = (): void => {
        while (running < concurrency && head < queue.length) {
          const i = queue[head++]!;
          running++;
          exec(i).then(() => {
            running--;
            done++;
            for (const j of dependents[i]!) {
              const left = waiting[j]! - 1;
              waiting[j] = left;
              if (left === 0) queue.push(j);
            }
            if (done === n) resolve();
            else pump();
          }, reject);
        }
      };
      if (n === 0) resolve();
      else pump();
    });
  },
};

const LABEL: Record<keyof typeof runners, string> = {
  sdp: '@sdp/dispatcher',
  pgraph: 'p-graph 2.0.0',
  async: 'async 3.2.6 auto',
  fifo: 'FIFO greedy (bench)',
};

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fmt = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const noop: Exec = () => Promise.resolve();
/** async.auto is quadratic (about 30-40 s per 20k run on 2 cores): one run at 20k. */
const ASYNC_RUNS_20K = 1;

// ---------------------------------------------------------------------------------------------
// 1. Scheduling overhead: construction + run of no-op tasks, µs per task.

async function overhead(): Promise<{ rows: string[][]; us: Map<string, number> }> {
  const plan: { size: number; runs: number; libs: (keyof typeof runners)[] }[] = QUICK
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
    const dag = randomDag(size, SEED);
    for (const lib of libs) await runners[lib](randomDag(500, SEED + 1), 16, noop); // warm-up
    const samples = new Map(libs.map((lib) => [lib, [] as number[]]));
    for (let round = 0; round < runs; round++) {
      for (const lib of libs) {
        if (lib === 'async' && size >= 20_000 && round >= ASYNC_RUNS_20K) continue;
        gc();
        const start = performance.now();
        await runners[lib](dag, 16, noop);
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

// ---------------------------------------------------------------------------------------------
// 2 and 3. Makespan against the lower bound from measured durations.

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

async function makespanRun(lib: keyof typeof runners, dag: Dag, ms: number[], concurrency: number): Promise<{ makespan: number; bound: number }> {
  const measured = new Float64Array(dag.ids.length);
  const exec: Exec = async (i) => {
    const start = performance.now();
    await sleep(ms[i]);
    measured[i] = performance.now() - start;
  };
  gc();
  const start = performance.now();
  await runners[lib](dag, concurrency, exec);
  const makespan = performance.now() - start;
  return { makespan, bound: lowerBound(dag, measured, concurrency) };
}

async function makespan(): Promise<{ rows: string[][]; ratio: Map<string, number> }> {
  const size = QUICK ? 400 : 2_000;
  const runs = QUICK ? 1 : 5;
  const dag = randomDag(size, SEED + 2);
  const ms = durations(size, SEED + 3, 1, 9);
  const libs: (keyof typeof runners)[] = ['sdp', 'pgraph', 'async', 'fifo'];
  const rows: string[][] = [];
  const ratio = new Map<string, number>();
  for (const concurrency of [4, 16]) {
    const samples = new Map(libs.map((lib) => [lib, [] as { makespan: number; bound: number }[]]));
    for (let round = 0; round < runs; round++) {
      for (const lib of libs) samples.get(lib)!.push(await makespanRun(lib, dag, ms, concurrency));
    }
    for (const lib of libs) {
      const s = samples.get(lib)!;
      const r = median(s.map((x) => x.makespan / x.bound));
      ratio.set(`${lib}:${concurrency}`, r);
      ratio.set(`${lib}:${concurrency}:min`, Math.min(...s.map((x) => x.makespan / x.bound)));
      ratio.set(`${lib}:${concurrency}:max`, Math.max(...s.map((x) => x.makespan / x.bound)));
      const ratios = s.map((x) => x.makespan / x.bound);
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

async function priority(): Promise<{ rows: string[][]; makespans: Map<string, number> }> {
  const { dag, ms } = priorityDag();
  const libs: (keyof typeof runners)[] = ['sdp', 'pgraph', 'fifo'];
  const runs = QUICK ? 1 : 5;
  const samples = new Map(libs.map((lib) => [lib, [] as { makespan: number; bound: number }[]]));
  for (let round = 0; round < runs; round++) {
    for (const lib of libs) samples.get(lib)!.push(await makespanRun(lib, dag, ms, 4));
  }
  const makespans = new Map<string, number>();
  const rows = libs.map((lib) => {
    const s = samples.get(lib)!;
    const m = median(s.map((x) => x.makespan));
    makespans.set(lib, m);
    return [LABEL[lib], fmt(m, 0), fmt(median(s.map((x) => x.bound)), 0), fmt(median(s.map((x) => x.makespan / x.bound)), 3)];
  });
  console.error('  priority done');
  return { rows, makespans };
}

// ---------------------------------------------------------------------------------------------
// 4. Checkpoint cost: 10k tasks of ~1 ms, concurrency 16, checkpointing off vs on (real files).

interface CheckpointSample {
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

  override async delete(): Promise<void> {
    this.bytesAtEnd = bytesWritten();
    await this.compact();
    this.finalBytes = statSync(this.path).size;
    await super.delete();
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

async function checkpoint(): Promise<{ rows: string[][]; wallRatio: number; bytesRatio: number; on: CheckpointSample; off: number; byteRun: CheckpointSample }> {
  const size = QUICK ? 1_000 : 10_000;
  const runs = QUICK ? 1 : 3;
  const dag = randomDag(size, SEED + 4);
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
  return { rows, wallRatio, bytesRatio, on: on[0]!, off: offMedian, byteRun };
}

// ---------------------------------------------------------------------------------------------
// 5. Breaker: ns added per awaited closed call over a bare awaited call.

async function breaker(): Promise<{ rows: string[][]; added: Map<string, number> }> {
  const calls = QUICK ? 50_000 : 200_000;
  const rounds = QUICK ? 3 : 7;
  const fn = (): Promise<number> => Promise.resolve(1);
  const sdp = new CircuitBreaker();
  const cockatiel = circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new CountBreaker({ threshold: 0.6, size: 5 }) });
  const opossum = new Opossum(fn, { timeout: false, resetTimeout: 60_000 });
  const opossumDefault = new Opossum(fn, { resetTimeout: 60_000 });
  const variants: [string, () => Promise<unknown>][] = [
    ['bare call (baseline)', () => fn()],
    ['@sdp/circuit-breaker', () => sdp.execute(fn)],
    ['cockatiel 3.2.1 (CountBreaker)', () => cockatiel.execute(fn)],
    ['opossum 9.0.0 (timeout: false)', () => opossum.fire()],
    ['opossum 9.0.0 (default 10 s timeout)', () => opossumDefault.fire()],
  ];
  const loop = async (run: () => Promise<unknown>): Promise<number> => {
    const start = performance.now();
    for (let i = 0; i < calls; i++) await run();
    return ((performance.now() - start) * 1e6) / calls;
  };
  for (const [, run] of variants) await loop(run);
  const samples = new Map(variants.map(([name]) => [name, [] as number[]]));
  for (let round = 0; round < rounds; round++) for (const [name, run] of variants) samples.get(name)!.push(await loop(run));
  opossum.shutdown();
  opossumDefault.shutdown();
  const base = median(samples.get('bare call (baseline)')!);
  const added = new Map<string, number>();
  const rows = variants.map(([name]) => {
    const ns = median(samples.get(name)!);
    added.set(name, ns - base);
    return [name, fmt(ns, 0), name.startsWith('bare') ? '-' : fmt(ns - base, 0)];
  });
  console.error('  breaker done');
  return { rows, added };
}

// ---------------------------------------------------------------------------------------------

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const verdict = (ok: boolean): string => (ok ? 'MET' : '**NOT MET**');

const startedAt = new Date();
const t0 = performance.now();
console.error(`bench: ${QUICK ? 'quick' : 'full'} run, seed ${SEED}`);
const o = await overhead();
const m = await makespan();
const p = await priority();
const c = await checkpoint();
const b = await breaker();
const elapsed = (performance.now() - t0) / 1000;

const us = (lib: string, size: number) => o.us.get(`${lib}:${size}`) ?? Number.NaN;
const scale = (us('sdp', 100_000) * 100_000) / (us('sdp', 10_000) * 10_000);
const targets: [string, string, boolean][] = [
  [
    'Scheduling overhead ≥ 3x lower than p-graph at 20k',
    `p-graph / @sdp = ${fmt(us('pgraph', 20_000) / us('sdp', 20_000))}x`,
    us('pgraph', 20_000) / us('sdp', 20_000) >= 3,
  ],
  [
    'Scheduling overhead ≥ 3x lower than p-graph at 100k',
    `p-graph / @sdp = ${fmt(us('pgraph', 100_000) / us('sdp', 100_000))}x`,
    us('pgraph', 100_000) / us('sdp', 100_000) >= 3,
  ],
  ['10x more nodes costs ≤ 11x the time (@sdp, 10k → 100k)', `${fmt(scale)}x`, scale <= 11],
  ...[4, 16].map((cc): [string, string, boolean] => {
    const s = m.ratio.get(`sdp:${cc}`)!;
    const pg = m.ratio.get(`pgraph:${cc}`)!;
    const overlap = m.ratio.get(`sdp:${cc}:min`)! <= m.ratio.get(`pgraph:${cc}:max`)! && m.ratio.get(`pgraph:${cc}:min`)! <= m.ratio.get(`sdp:${cc}:max`)!;
    const note = overlap ? ' (run-to-run ranges overlap: within noise)' : ' (ranges do not overlap)';
    return [`Makespan ratio to lower bound ≤ p-graph's, concurrency ${cc}`, `@sdp ${fmt(s, 3)} vs p-graph ${fmt(pg, 3)} (medians)${note}`, s <= pg];
  }),
  [
    'Priority DAG ≥ 1.3x shorter than FIFO greedy',
    `FIFO / @sdp = ${fmt(p.makespans.get('fifo')! / p.makespans.get('sdp')!)}x (p-graph / @sdp = ${fmt(p.makespans.get('pgraph')! / p.makespans.get('sdp')!)}x, informative)`,
    p.makespans.get('fifo')! / p.makespans.get('sdp')! >= 1.3,
  ],
  ['Checkpointing on costs ≤ 15% wall time (10k x 1 ms, c=16)', `on/off = ${fmt(c.wallRatio, 3)}`, c.wallRatio <= 1.15],
  ['Total bytes written ≤ 50x the final checkpoint', `${fmt(c.bytesRatio)}x`, c.bytesRatio <= 50],
  [
    'Breaker adds ≤ 100 ns per closed call',
    `${fmt(b.added.get('@sdp/circuit-breaker')!, 0)} ns`,
    b.added.get('@sdp/circuit-breaker')! <= 100,
  ],
];

const cpus = os.cpus();
const command = `pnpm bench:compare  (builds the packages, then runs \`tsx --expose-gc run.ts\` in bench/)`;
const sections = [
  `# Benchmarks`,
  ``,
  `Generated by \`bench/run.ts\`${QUICK ? ' **(--quick: smaller sizes, fewer runs; not representative)**' : ''}. Regenerate with:`,
  ``,
  '```sh',
  'pnpm bench:compare',
  '```',
  ``,
  `- Machine: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`,
  `- Node ${process.version}; date ${startedAt.toISOString()}; command: ${command}; GC between runs: ${(globalThis as { gc?: unknown }).gc ? 'yes' : 'no'}`,
  `- Peers: p-graph 2.0.0, async 3.2.6 (\`auto\`), opossum 9.0.0, cockatiel 3.2.1. Seeded DAGs (mulberry32, seed ${SEED}): node i depends on up to 3 random earlier nodes.`,
  `- Every variant is interleaved round by round in one process; medians reported. Whole run: ${fmt(elapsed, 0)} s.`,
  ``,
  `## Targets (issue 8)`,
  ``,
  table(['Target', 'Measured', 'Verdict'], targets.map(([t, v, ok]) => [t, v, verdict(ok)])),
  ``,
  `## Scheduling overhead`,
  ``,
  `No-op tasks (\`() => Promise.resolve()\`), concurrency 16, @sdp with \`checkpoint: false\`. Time covers building each library's own graph from the same node list and running it, divided by the node count. async.auto is quadratic, so it runs at 2k and, once (${ASYNC_RUNS_20K} run), at 20k; never at 100k.`,
  ``,
  table(['Nodes', 'Runner', 'µs / task (median)', 'Runs'], o.rows),
  ``,
  `## Makespan`,
  ``,
  `${QUICK ? 400 : 2000} tasks sleeping 1–9 ms (seeded; \`setTimeout\`), same random DAG for all. Lower bound = max(critical path, total work / concurrency) from each run's measured task durations (so timer lateness counts as work, not as scheduler loss).`,
  ``,
  table(['Concurrency', 'Runner', 'Makespan ms', 'Lower bound ms', 'Ratio (median)', 'Ratio range'], m.rows),
  ``,
  `## Priority (critical path first vs FIFO)`,
  ``,
  `320 independent 5 ms tasks listed first, then a chain of 40 x 10 ms tasks; concurrency 4. Ideal ≈ 533 ms (chain on one slot, the rest on three); FIFO runs the short tasks first and the chain after, ≈ 800 ms. p-graph is shown with its default priorities (all 0) for information: its binary heap does not keep insertion order among equal priorities (removeMax moves the last-inserted entry to the root), so in practice it behaves LIFO-ish here and picks the chain early; it is not the FIFO baseline, which is the bench's own 30-line scheduler.`,
  ``,
  table(['Runner', 'Makespan ms', 'Lower bound ms', 'Ratio'], p.rows),
  ``,
  `## Checkpoint cost`,
  ``,
  `${QUICK ? '1,000' : '10,000'} tasks of \`sleep(1)\`, concurrency 16, random DAG; real \`CheckpointStore\` in a temp dir under \`${os.tmpdir()}\`. Wall time median of the timed runs. Bytes from one extra instrumented run: everything the process passed to \`write(2)\` during the run (\`wchar\` of \`/proc/self/io\`: checkpoint files, journal, lock heartbeats alike), up to the moment the dispatcher deletes the finished checkpoint; the final checkpoint is the JSON file a stopped run leaves (the journal folded in by \`compact()\`), measured at that moment.`,
  ``,
  table(['Checkpoint', 'Wall ms', 'Saves', 'Final checkpoint bytes', 'Total bytes written', 'Total / final'], c.rows),
  ``,
  `Failed saves in the instrumented run: ${c.byteRun.failedSaves}.`,
  ``,
  `## Circuit breaker (closed)`,
  ``,
  `ns per awaited call of \`() => Promise.resolve(1)\` through each breaker, minus the bare awaited call.`,
  ``,
  table(['Variant', 'ns / call', 'Added ns'], b.rows),
  ``,
];
const markdown = sections.join('\n');
console.log(markdown);
if (QUICK) {
  console.error(`bench: quick run, ${fmt(elapsed, 0)} s; docs/benchmarks.md left as it was`);
} else {
  const outPath = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
  writeFileSync(outPath, markdown);
  console.error(`bench: wrote ${outPath} in ${fmt(elapsed, 0)} s`);
}
