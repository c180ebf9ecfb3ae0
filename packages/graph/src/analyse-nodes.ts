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

/** A node as given, before validation (the caller has checked that `dependsOn` is an array). */
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
 * Validates nodes given in any order and builds their graph in two passes (ids first, so a
 * dependency may come later than its dependent), then sorts it and looks for cycles only when the
 * sort could not place every node. Reports every problem, never stops at the first.
 */
export function analyseNodes(nodes: readonly NodeInput[]): AnalysedNodes {
  const problems: PlacedIssue[] = [];
  const ids: string[] = [];
  const index = new Map<string, number>();
  // The node index a position defines, or -1 for duplicates and ids that are not strings.
  const definedAt = new Int32Array(nodes.length).fill(-1);

  nodes.forEach(({ id }, position) => {
    const problem = nodeIdProblem(id);
    if (problem !== undefined) problems.push({ position, issue: invalidIdIssue(id, problem, `nodes[${position}]`) });
    if (typeof id !== 'string') return;
    if (index.has(id)) {
      problems.push({ position, issue: duplicateNodeIssue(id) });
      return;
    }
    definedAt[position] = ids.length;
    index.set(id, ids.length);
    ids.push(id);
  });

  const size = ids.length;
  const dependencyOffsets = new IntList(size + 1);
  const dependencyTargets = new IntList(size * 2);
  dependencyOffsets.push(0);
  const selfDependent = new Set<string>();
  // lastOwner[j] === i once node i has an edge to j: de-duplicates in O(1) without a Set per node.
  const lastOwner = new Int32Array(size).fill(-1);

  nodes.forEach(({ id, dependsOn }, position) => {
    if (typeof id !== 'string') return;
    const owner = definedAt[position] ?? -1;
    let reported: Set<string> | undefined;
    let selfReported = false;
    for (const dependency of dependsOn ?? []) {
      if (typeof dependency !== 'string') {
        const problem = nodeIdProblem(dependency) ?? 'expected a string';
        problems.push({ position, issue: invalidDependencyIdIssue(id, dependency, problem) });
        continue;
      }
      if (dependency === id) {
        if (!selfReported) problems.push({ position, issue: selfDependencyIssue(id) });
        selfReported = true;
        selfDependent.add(id);
        continue;
      }
      const target = index.get(dependency);
      if (target === undefined) {
        reported ??= new Set();
        if (reported.has(dependency)) continue;
        reported.add(dependency);
        const problem = nodeIdProblem(dependency);
        problems.push({
          position,
          issue:
            problem === undefined
              ? missingDependencyIssue(id, dependency)
              : invalidDependencyIdIssue(id, dependency, problem),
        });
        continue;
      }
      if (owner !== -1 && lastOwner[target] !== owner) {
        lastOwner[target] = owner;
        dependencyTargets.push(target);
      }
    }
    if (owner !== -1) dependencyOffsets.push(dependencyTargets.length);
  });

  const dependencies = { offsets: dependencyOffsets.view(), targets: dependencyTargets.view() };
  const dependents = invert(size, dependencies);
  const order = topologicalSort(size, dependencies, dependents);
  const cycles =
    order.length === size
      ? []
      : findCycles(size, dependencies, order).map((cycle) => cycleIssue(cycle.map((node) => ids[node] ?? '')));

  return {
    ids,
    index,
    dependencyOffsets,
    dependencyTargets,
    dependents,
    order,
    selfDependent,
    // Stable sort: input order first, then the order each position found its problems in.
    issues: problems.sort((a, b) => a.position - b.position).map(({ issue }) => issue),
    cycles,
  };
}
