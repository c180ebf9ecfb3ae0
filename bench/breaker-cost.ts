// 5. Breaker: ns added per awaited closed call over a bare awaited call.
import { CircuitBreaker } from '@sdp/circuit-breaker';
import { CountBreaker, circuitBreaker, handleAll } from 'cockatiel';
import Opossum from 'opossum';
import { fmt } from './markdown.js';
import { QUICK } from './settings.js';
import { median } from './stats.js';

export const BASELINE = 'bare call (baseline)';
export const SDP_BREAKER = '@sdp/circuit-breaker';

export interface BreakerResult {
  readonly rows: string[][];
  /** Median ns added over the bare call, per variant name. */
  readonly added: ReadonlyMap<string, number>;
}

export async function breakerCost(): Promise<BreakerResult> {
  const calls = QUICK ? 50_000 : 200_000;
  const rounds = QUICK ? 3 : 7;
  const fn = (): Promise<number> => Promise.resolve(1);
  const sdp = new CircuitBreaker();
  const cockatiel = circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new CountBreaker({ threshold: 0.6, size: 5 }) });
  const opossum = new Opossum(fn, { timeout: false, resetTimeout: 60_000 });
  const opossumDefault = new Opossum(fn, { resetTimeout: 60_000 });
  const variants: [string, () => Promise<unknown>][] = [
    [BASELINE, () => fn()],
    [SDP_BREAKER, () => sdp.execute(fn)],
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
  const base = median(samples.get(BASELINE)!);
  const added = new Map<string, number>();
  const rows = variants.map(([name]) => {
    const ns = median(samples.get(name)!);
    added.set(name, ns - base);
    return [name, fmt(ns, 0), name === BASELINE ? '-' : fmt(ns - base, 0)];
  });
  console.error('  breaker done');
  return { rows, added };
}
