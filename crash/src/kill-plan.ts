import type { SeededRandom } from '@sdp/internal/testing';

/**
 * When to SIGKILL one run of the dispatcher. The kinds aim at different phases: `startup` mostly lands
 * before the first checkpoint (loading files, taking the lock); `uniform` and `exponential` anywhere in
 * the run, with different weights; `after-save` right after the checkpoint file or its journal changed
 * (the next journal append is often under way then); `during-save` the moment the run's first save, the
 * whole checkpoint, shows its temp file (every later save of a run is a journal append: a run of the
 * harness's size never outgrows the journal's 64 KiB floor, so it never compacts); `while-running` while
 * executors run.
 */
export type KillPlan =
  | { readonly kind: 'startup'; readonly delayMs: number }
  | { readonly kind: 'uniform'; readonly delayMs: number }
  | { readonly kind: 'exponential'; readonly delayMs: number }
  | { readonly kind: 'after-save'; readonly saves: number; readonly delayMs: number }
  | { readonly kind: 'during-save' }
  | { readonly kind: 'while-running'; readonly starts: number; readonly delayMs: number };

export type KillPlanKind = KillPlan['kind'];

export const killPlanKinds: readonly KillPlanKind[] = ['startup', 'uniform', 'exponential', 'after-save', 'during-save', 'while-running'];

/** A seeded plan; `runMs` is about how long an uninterrupted run of the feature takes. */
export function drawKillPlan(random: SeededRandom, runMs: number): KillPlan {
  const kind = random.pick(killPlanKinds);
  switch (kind) {
    case 'startup':
      return { kind, delayMs: random.uniform(0, 400) };
    case 'uniform':
      return { kind, delayMs: random.uniform(0, runMs) };
    case 'exponential':
      return { kind, delayMs: random.exponential(runMs / 6) };
    case 'after-save':
      return { kind, saves: random.int(1, 12), delayMs: random.pick([0, 0, 1, 2, 5]) };
    case 'during-save':
      return { kind };
    case 'while-running':
      return { kind, starts: random.int(1, 16), delayMs: random.uniform(0, 30) };
  }
}

export function describeKillPlan(plan: KillPlan): string {
  switch (plan.kind) {
    case 'startup':
    case 'uniform':
    case 'exponential':
      return `${plan.kind} ${Math.round(plan.delayMs)} ms`;
    case 'after-save':
      return `${Math.round(plan.delayMs)} ms after checkpoint change #${plan.saves}`;
    case 'during-save':
      return "at the first save's temp file";
    case 'while-running':
      return `${Math.round(plan.delayMs)} ms after start #${plan.starts}`;
  }
}
