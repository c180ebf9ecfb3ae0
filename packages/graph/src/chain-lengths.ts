import { describeValue } from '@sdp/internal';
import type { GraphCore } from './graph-core.js';

/**
 * A node's weight, e.g. its expected duration: a non-negative finite number. The default weight is
 * 1 per node, which measures paths in nodes.
 */
export type Weight = (id: string) => number;

/**
 * Asks `weight` once per node, in insertion order, and checks every answer. `label` names the
 * option in messages, e.g. `criticalPath: weight`.
 */
export function readWeights(core: GraphCore, weight: unknown, label: string): Float64Array {
  const weights = new Float64Array(core.size);
  if (weight === undefined) return weights.fill(1);
  if (typeof weight !== 'function') {
    throw new TypeError(`${label} must be a function (id) => number, got ${describeValue(weight)}`);
  }
  askWeights(core.ids, weight as (id: string) => unknown, label, weights);
  return weights;
}

/*
 * The loops are functions of arrays and typed arrays only: optimised on their own, their code
 * depends on no object shape (see analyse-nodes).
 */

function askWeights(ids: readonly string[], weight: (id: string) => unknown, label: string, weights: Float64Array): void {
  for (let i = 0; i < weights.length; i++) {
    const id = ids[i] ?? '';
    const value = weight(id);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`${label}(${JSON.stringify(id)}) returned ${describeValue(value)}; expected a non-negative finite number`);
    }
    weights[i] = value;
  }
}

/**
 * Per node, the weight of the heaviest path that starts at it and follows dependents, the node
 * itself included. One pass in reverse topological order: O(V + E).
 */
export function chainLengthsOf(core: GraphCore, weights: Float64Array): Float64Array {
  const chains = new Float64Array(core.size);
  longestChains(core.order, core.dependents.offsets, core.dependents.targets, weights, chains);
  return chains;
}

function longestChains(order: Int32Array, offsets: Int32Array, targets: Int32Array, weights: Float64Array, chains: Float64Array): void {
  for (let p = order.length - 1; p >= 0; p--) {
    const node = order[p] ?? 0;
    let longest = 0;
    const end = offsets[node + 1] ?? 0;
    for (let e = offsets[node] ?? 0; e < end; e++) longest = Math.max(longest, chains[targets[e] ?? 0] ?? 0);
    chains[node] = (weights[node] ?? 0) + longest;
  }
}

/** The heaviest path, in dependency order; ties go to the earliest inserted node at each step. */
export function criticalPathOf(core: GraphCore, weights: Float64Array): { path: number[]; length: number } {
  if (core.size === 0) return { path: [], length: 0 };
  const chains = chainLengthsOf(core, weights);
  let node = 0;
  for (let i = 1; i < core.size; i++) if ((chains[i] ?? 0) > (chains[node] ?? 0)) node = i;
  const length = chains[node] ?? 0;
  const path = [node];
  const { offsets, targets } = core.dependents;
  for (;;) {
    let next = -1;
    const end = offsets[node + 1] ?? 0;
    for (let e = offsets[node] ?? 0; e < end; e++) {
      const dependent = targets[e] ?? 0;
      if (next === -1 || (chains[dependent] ?? 0) > (chains[next] ?? 0)) next = dependent;
    }
    if (next === -1) return { path, length };
    path.push(next);
    node = next;
  }
}
