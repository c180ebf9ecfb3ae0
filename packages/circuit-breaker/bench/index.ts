// Per-call cost of guarding a function, closed and open, beside opossum and cockatiel.
// Plain performance.now() loops (tinybench's own per-task overhead is larger than what we measure);
// variants interleaved over several rounds, median reported.
import { CountBreaker, circuitBreaker, handleAll } from 'cockatiel';
import Opossum from 'opossum';
import { CircuitBreaker } from '../src/index.js';

const CALLS = 300_000;
const ROUNDS = 7;

const fn = (): Promise<number> => Promise.resolve(1);
const swallow = (): void => undefined;

/**
 * As in a long-running process that created and dropped breakers before (a dispatcher makes one
 * per run): V8 ends its in-object slack tracking for the class while no instance is alive, which
 * changes how later instances are laid out. Needs `--expose-gc`; skipped without it.
 */
function dropEarlyBreakers(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return false;
  for (let i = 0; i < 8; i++) {
    new CircuitBreaker();
    gc();
  }
  return true;
}

type Variant = readonly [name: string, run: () => Promise<unknown>];

function closedVariants(): { variants: Variant[]; dispose: () => void } {
  const sdp = new CircuitBreaker();
  const sdpListened = new CircuitBreaker();
  sdpListened.onSuccess(swallow);
  sdpListened.onFailure(swallow);
  const cockatiel = circuitBreaker(handleAll, {
    halfOpenAfter: 60_000,
    breaker: new CountBreaker({ threshold: 0.6, size: 5 }),
  });
  const opossum = new Opossum(fn, { timeout: false, resetTimeout: 60_000 });
  const opossumDefault = new Opossum(fn, { resetTimeout: 60_000 });
  opossum.on('failure', swallow);
  opossumDefault.on('failure', swallow);
  return {
    variants: [
      ['bare call (baseline)', () => fn()],
      ['@sdp/circuit-breaker', () => sdp.execute(fn)],
      ['@sdp/circuit-breaker + onSuccess/onFailure', () => sdpListened.execute(fn)],
      ['cockatiel 3.2.1 (CountBreaker)', () => cockatiel.execute(fn)],
      ['opossum 9.0.0 (timeout: false)', () => opossum.fire()],
      ['opossum 9.0.0 (default 10 s timeout)', () => opossumDefault.fire()],
    ],
    dispose: () => {
      opossum.shutdown();
      opossumDefault.shutdown();
    },
  };
}

function openVariants(): { variants: Variant[]; dispose: () => void } {
  const sdp = new CircuitBreaker({ threshold: 1, window: 1 });
  void sdp.execute(() => Promise.reject(new Error('trip'))).catch(swallow);
  const cockatiel = circuitBreaker(handleAll, {
    halfOpenAfter: 60_000,
    breaker: new CountBreaker({ threshold: 0.6, size: 5 }),
  });
  const isolation = cockatiel.isolate();
  const opossum = new Opossum(fn, { timeout: false, resetTimeout: 60_000 });
  opossum.open();
  return {
    variants: [
      ['@sdp/circuit-breaker (rejects)', () => sdp.execute(fn).catch(swallow)],
      ['cockatiel 3.2.1 (isolated, rejects)', () => cockatiel.execute(fn).catch(swallow)],
      ['opossum 9.0.0 (open, rejects)', () => opossum.fire().catch(swallow)],
    ],
    dispose: () => {
      isolation.dispose();
      opossum.shutdown();
    },
  };
}

async function timeLoop(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) await run();
  return ((performance.now() - start) * 1e6) / CALLS;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function measure(variants: readonly Variant[]): Promise<Map<string, number>> {
  const samples = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  for (const [, run] of variants) await timeLoop(run); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of variants) samples.get(name)?.push(await timeLoop(run));
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

const dropped = dropEarlyBreakers();
const closedSetup = closedVariants();
const closed = await measure(closedSetup.variants);
closedSetup.dispose();
const baseline = closed.get('bare call (baseline)') ?? Number.NaN;
console.log(
  `\nClosed: ns per awaited call (median of ${ROUNDS} rounds x ${CALLS} calls), Node ${process.version}` +
    (dropped ? ', after 8 short-lived breakers were collected' : ' (run with --expose-gc to first drop 8 short-lived breakers)'),
);
console.table(
  [...closed].map(([name, ns]) => ({
    variant: name,
    'ns/call': Math.round(ns),
    'added vs bare': name === 'bare call (baseline)' ? '-' : Math.round(ns - baseline),
  })),
);

const open = openVariants();
const rejected = await measure(open.variants);
open.dispose();
console.log('\nOpen: ns per rejected call (fn not run)');
console.table([...rejected].map(([name, ns]) => ({ variant: name, 'ns/call': Math.round(ns) })));
