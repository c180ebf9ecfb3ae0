import { describeValue } from '@sdp/internal';
import { findCycles } from './find-cycles.js';
import type { Adjacency } from './graph-core.js';
import { invert } from './graph-core.js';
import type { GraphIssue } from './graph-error.js';
import {
  cycleIssue,
  duplicateNodeIssue,
  invalidDependencyIdIssue,
  invalidIdIssue,
  missingDependencyIssue,
  selfDependencyIssue,
} from './graph-error.js';
import { IntList } from './int-list.js';
import { nodeIdProblem } from './node-id.js';
import { topologicalSort } from './topological-sort.js';

/** A node as given, before validation. */
export interface NodeInput {
  readonly id: unknown;
  readonly dependsOn?: readonly unknown[] | undefined;
}

/** The graph made of the valid part of the input, and everything wrong with the rest. */
export interface AnalysedNodes {
  /** Ids of the nodes kept: each distinct string id, first occurrence, in input order. */
  readonly ids: string[];
  readonly index: Map<string, number>;
  /** Valid dependency edges, de-duplicated, as growable lists (offsets has `ids.length + 1` entries). */
  readonly dependencyOffsets: IntList;
  readonly dependencyTargets: IntList;
  readonly dependents: Adjacency;
  /** Topological order of the nodes not on or behind a cycle. */
  readonly order: Int32Array;
  /** Ids of nodes that list themselves as a dependency. */
  readonly selfDependent: ReadonlySet<string>;
  /** Problems other than cycles, in input order. */
  readonly issues: readonly GraphIssue[];
  readonly cycles: readonly GraphIssue[];
}

interface PlacedIssue {
  readonly position: number;
  readonly issue: GraphIssue;
}

/**
 * Up to this many dependencies, a node's repeats are found by scanning its own edges (contiguous,
 * cache-friendly); beyond it, by stamping targets, which stays linear for a node with thousands.
 */
const SCAN_LIMIT = 8;

/*
 * The passes over the nodes are plain functions of arrays, typed arrays and maps: their optimised
 * code depends on no object shape of ours, so it survives a garbage collection that drops the
 * shape of an object no longer alive, and a second graph is built at full speed.
 */

/**
 * Validates nodes given in any order and builds their graph in two passes (ids first, so a
 * dependency may come later than its dependent), then sorts it and looks for cycles only when the
 * sort could not place every node. Reports every problem, never stops at the first; issues are only
 * built on that path. Throws a TypeError (naming `fromNodes`) for an element that is not an object
 * or a `dependsOn` that is not an array.
 */
export function analyseNodes(nodes: readonly unknown[]): AnalysedNodes {
  const problems: PlacedIssue[] = [];
  const ids: string[] = [];
  const index = new Map<string, number>();
  const definedAt = new Int32Array(nodes.length);
  defineNodes(nodes, ids, index, definedAt, problems);
  const size = ids.length;
  const offsets = new Int32Array(size + 1);
  const selfDependent = new Set<string>();
  const targets = linkNodes(nodes as readonly NodeInput[], index, definedAt, offsets, selfDependent, problems);
  const edges = offsets[size] ?? 0;
  const dependencies = { offsets, targets: targets.subarray(0, edges) };
  const dependents = invert(size, dependencies);
  const order = topologicalSort(size, dependencies, dependents);
  const cycles =
    order.length === size ? [] : findCycles(size, dependencies, order).map((cycle) => cycleIssue(cycle.map((node) => ids[node] ?? '')));

  return {
    ids,
    index,
    dependencyOffsets: IntList.adopt(offsets, size + 1),
    dependencyTargets: IntList.adopt(targets, edges),
    dependents,
    order,
    selfDependent,
    // Stable sort: input order first, then the order each position found its problems in.
    issues: problems.sort((a, b) => a.position - b.position).map(({ issue }) => issue),
    cycles,
  };
}

/**
 * First pass: checks each node's shape and id, and indexes the first node of each string id.
 * Fills `index`, `ids` (node `i` at `ids[i]`) and `definedAt` (the node index a position defines, or
 * -1 for duplicates and ids that are not strings).
 */
function defineNodes(
  nodes: readonly unknown[],
  ids: string[],
  index: Map<string, number>,
  definedAt: Int32Array,
  problems: PlacedIssue[],
): void {
  // Until the first duplicate, `set` alone both adds an id and tells (by the size) whether it was new.
  let seenDuplicate = false;
  for (let position = 0; position < nodes.length; position++) {
    const node = nodes[position];
    if (typeof node !== 'object' || node === null) {
      throw new TypeError(`fromNodes: nodes[${position}] must be an object { id, dependsOn }, got ${describeValue(node)}`);
    }
    const { id, dependsOn } = node as { id?: unknown; dependsOn?: unknown };
    if (dependsOn !== undefined && !Array.isArray(dependsOn)) {
      throw new TypeError(`fromNodes: nodes[${position}].dependsOn must be an array of ids, got ${describeValue(dependsOn)}`);
    }
    definedAt[position] = -1;
    const problem = nodeIdProblem(id);
    if (problem !== undefined) problems.push({ position, issue: invalidIdIssue(id, problem, `nodes[${position}]`) });
    if (typeof id !== 'string') continue;
    const next = index.size;
    if (seenDuplicate) {
      if (index.has(id)) {
        problems.push({ position, issue: duplicateNodeIssue(id) });
        continue;
      }
      index.set(id, next);
    } else {
      index.set(id, next);
      if (index.size === next) {
        // A duplicate, and `set` overwrote the first node's index: put it back (once, O(n)).
        index.set(id, ids.indexOf(id));
        seenDuplicate = true;
        problems.push({ position, issue: duplicateNodeIssue(id) });
        continue;
      }
    }
    definedAt[position] = next;
    ids.push(id);
  }
}

/**
 * Second pass: resolves every dependency to an index, dropping repeats and reporting the rest.
 * Fills `offsets` (so `offsets[size]` is the number of edges) and `selfDependent`; returns the
 * targets, dependencies in first-mention order, in a buffer that may be longer.
 */
function linkNodes(
  nodes: readonly NodeInput[],
  index: ReadonlyMap<string, number>,
  definedAt: Int32Array,
  offsets: Int32Array,
  selfDependent: Set<string>,
  problems: PlacedIssue[],
): Int32Array {
  // Room for three dependencies per node to begin with, doubled when full.
  let targets: Int32Array = new Int32Array(3 * (offsets.length - 1) + 16);
  let edges = 0;
  // stamps[j] === i once node i has an edge to j; only for nodes with more than SCAN_LIMIT dependencies.
  let stamps: Int32Array | undefined;
  for (let position = 0; position < definedAt.length; position++) {
    const owner = definedAt[position] ?? -1;
    const list = nodes[position]?.dependsOn;
    const count = list === undefined ? 0 : list.length;
    if (list === undefined || count === 0) {
      if (owner !== -1) offsets[owner + 1] = edges;
      continue;
    }
    const first = edges;
    const stamped = owner !== -1 && count > SCAN_LIMIT;
    if (stamped) stamps ??= new Int32Array(offsets.length - 1).fill(-1);
    let unresolved = false;
    for (let k = 0; k < count; k++) {
      // Keys are strings, so anything else is simply not found.
      const target = index.get(list[k] as string);
      // Not found, the node itself, or a node that keeps no edges: left to the failure path below.
      if (target === undefined || target === owner || owner === -1) {
        unresolved = true;
        continue;
      }
      if (stamped && stamps !== undefined) {
        if (stamps[target] === owner) continue;
        stamps[target] = owner;
      } else if (includes(targets, first, edges, target)) continue;
      if (edges === targets.length) targets = grown(targets);
      targets[edges++] = target;
    }
    if (owner !== -1) offsets[owner + 1] = edges;
    if (unresolved) reportUnresolved(nodes[position]?.id, position, list, index, selfDependent, problems);
  }
  return targets;
}

function grown(values: Int32Array): Int32Array {
  const larger = new Int32Array(2 * values.length);
  larger.set(values);
  return larger;
}

function includes(values: Int32Array, from: number, to: number, value: number): boolean {
  for (let i = from; i < to; i++) if (values[i] === value) return true;
  return false;
}

/**
 * The issues of one node's dependencies that are not other nodes, in the order given: each invalid
 * or missing id once, a self-dependency once. A node whose id is not a string has its id reported
 * already, and nothing else; a duplicate has its dependencies checked like any node.
 */
function reportUnresolved(
  id: unknown,
  position: number,
  dependencies: readonly unknown[],
  index: ReadonlyMap<string, number>,
  selfDependent: Set<string>,
  problems: PlacedIssue[],
): void {
  if (typeof id !== 'string') return;
  const reported = new Set<unknown>();
  for (const dependency of dependencies) {
    if (typeof dependency !== 'string') {
      // Not de-duplicated: each one is a separate mistake in the input.
      const problem = nodeIdProblem(dependency) ?? 'expected a string';
      problems.push({ position, issue: invalidDependencyIdIssue(id, dependency, problem) });
      continue;
    }
    if (reported.has(dependency)) continue;
    if (dependency === id) {
      reported.add(id);
      selfDependent.add(id);
      problems.push({ position, issue: selfDependencyIssue(id) });
      continue;
    }
    if (index.has(dependency)) continue;
    reported.add(dependency);
    const problem = nodeIdProblem(dependency);
    problems.push({
      position,
      issue: problem === undefined ? missingDependencyIssue(id, dependency) : invalidDependencyIdIssue(id, dependency, problem),
    });
  }
}
