// The targets of docs/benchmarks.md (issue 8, and the cold run of issue 14), each judged from the results.
import type { BreakerResult } from './breaker-cost.js';
import { SDP_BREAKER } from './breaker-cost.js';
import type { CheckpointResult } from './checkpoint-cost.js';
import { COLD_SIZE, type ColdResult } from './cold-run.js';
import { fmt } from './markdown.js';
import type { MakespanResult } from './makespan.js';
import type { OverheadResult } from './overhead.js';
import type { PriorityResult } from './priority.js';
import type { RunnerName } from './runners/index.js';

export interface Results {
  readonly overhead: OverheadResult;
  readonly makespan: MakespanResult;
  readonly priority: PriorityResult;
  readonly checkpoint: CheckpointResult;
  readonly breaker: BreakerResult;
  readonly cold: ColdResult;
}

export interface Target {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export function targets({ overhead, makespan, priority, checkpoint, breaker, cold }: Results): Target[] {
  const us = (lib: string, size: number) => overhead.us.get(`${lib}:${size}`) ?? Number.NaN;
  const lead = (size: number) => us('pgraph', size) / us('sdp', size);
  const scale = (us('sdp', 100_000) * 100_000) / (us('sdp', 10_000) * 10_000);
  const coldLead = (cold.us.get('pgraph') ?? Number.NaN) / (cold.us.get('sdp') ?? Number.NaN);
  const coldCpuLead = (cold.cpuUs.get('pgraph') ?? Number.NaN) / (cold.cpuUs.get('sdp') ?? Number.NaN);
  const coldFloorLead = (cold.us.get('pgraph') ?? Number.NaN) / (cold.us.get('fifo') ?? Number.NaN);
  const ratio = (key: string) => makespan.ratio.get(key) ?? Number.NaN;
  const span = (lib: RunnerName) => priority.makespans.get(lib) ?? Number.NaN;
  const breakerAdded = breaker.added.get(SDP_BREAKER) ?? Number.NaN;
  return [
    {
      target: 'Scheduling overhead ≥ 3x lower than p-graph at 20k',
      measured: `p-graph / @sdp = ${fmt(lead(20_000))}x`,
      met: lead(20_000) >= 3,
    },
    {
      target: 'Scheduling overhead ≥ 3x lower than p-graph at 100k',
      measured: `p-graph / @sdp = ${fmt(lead(100_000))}x`,
      met: lead(100_000) >= 3,
    },
    {
      target: 'Cold run (first run in a fresh process) ≥ 3x lower than p-graph at 20k',
      measured: `p-graph / @sdp = ${fmt(coldLead)}x (medians of construction + run; main-thread CPU: ${fmt(coldCpuLead)}x; warm rounds: ${fmt(lead(COLD_SIZE))}x; the featureless FIFO floor: p-graph / FIFO = ${fmt(coldFloorLead)}x)`,
      met: coldLead >= 3,
    },
    { target: '10x more nodes costs ≤ 11x the time (@sdp, 10k → 100k)', measured: `${fmt(scale)}x`, met: scale <= 11 },
    ...[4, 16].map((c): Target => {
      const s = ratio(`sdp:${c}`);
      const pg = ratio(`pgraph:${c}`);
      const overlap = ratio(`sdp:${c}:min`) <= ratio(`pgraph:${c}:max`) && ratio(`pgraph:${c}:min`) <= ratio(`sdp:${c}:max`);
      const note = overlap ? ' (run-to-run ranges overlap: within noise)' : ' (ranges do not overlap)';
      return {
        target: `Makespan ratio to lower bound ≤ p-graph's, concurrency ${c}`,
        measured: `@sdp ${fmt(s, 3)} vs p-graph ${fmt(pg, 3)} (medians)${note}`,
        met: s <= pg,
      };
    }),
    {
      target: 'Priority DAG ≥ 1.3x shorter than FIFO greedy',
      measured: `FIFO / @sdp = ${fmt(span('fifo') / span('sdp'))}x (p-graph / @sdp = ${fmt(span('pgraph') / span('sdp'))}x, informative)`,
      met: span('fifo') / span('sdp') >= 1.3,
    },
    {
      target: 'Checkpointing on costs ≤ 15% wall time (10k x 1 ms, c=16)',
      measured: `on/off = ${fmt(checkpoint.wallRatio, 3)}`,
      met: checkpoint.wallRatio <= 1.15,
    },
    {
      target: 'Total bytes written ≤ 50x the final checkpoint',
      measured: `${fmt(checkpoint.bytesRatio)}x`,
      met: checkpoint.bytesRatio <= 50,
    },
    { target: 'Breaker adds ≤ 100 ns per closed call', measured: `${fmt(breakerAdded, 0)} ns`, met: breakerAdded <= 100 },
  ];
}
