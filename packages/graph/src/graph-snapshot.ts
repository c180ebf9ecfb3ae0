import { describeValue } from '@sdp/internal';
import type { AnalysedNodes, NodeInput } from './analyse-nodes.js';
import type { GraphCore } from './graph-core.js';
import type { GraphIssue } from './graph-error.js';
import { GraphError, invalidSnapshotIssue } from './graph-error.js';

/** One node of a {@link GraphSnapshot}. */
export interface GraphSnapshotNode {
  id: string;
  /** Its dependencies, de-duplicated, in the order first given. */
  depends_on: string[];
  /** How many of its dependencies are not completed. */
  indegree: number;
  completed: boolean;
}

/** The `graph` object of the seed's checkpoint JSON. */
export interface GraphSnapshot {
  /** In insertion order. */
  nodes: GraphSnapshotNode[];
  /** Id to its dependents in insertion order; ids without dependents are absent. */
  edges: Record<string, string[]>;
}

/** `completed[i] === 1` marks node `i` completed. */
export function writeSnapshot(core: GraphCore, completed: Uint8Array): GraphSnapshot {
  const { ids, dependencies, dependents } = core;
  const nodes: GraphSnapshotNode[] = [];
  const edges: [string, string[]][] = [];
  for (let node = 0; node < core.size; node++) {
    const id = ids[node] ?? '';
    const dependsOn: string[] = [];
    let indegree = 0;
    for (let e = dependencies.offsets[node] ?? 0; e < (dependencies.offsets[node + 1] ?? 0); e++) {
      const dependency = dependencies.targets[e] ?? 0;
      dependsOn.push(ids[dependency] ?? '');
      if (completed[dependency] !== 1) indegree++;
    }
    nodes.push({ id, depends_on: dependsOn, indegree, completed: completed[node] === 1 });
    const dependentIds: string[] = [];
    for (let e = dependents.offsets[node] ?? 0; e < (dependents.offsets[node + 1] ?? 0); e++) {
      dependentIds.push(ids[dependents.targets[e] ?? 0] ?? '');
    }
    if (dependentIds.length > 0) edges.push([id, dependentIds]);
  }
  // fromEntries defines own properties, so an id such as "__proto__" stays an ordinary key.
  return { nodes, edges: Object.fromEntries(edges) };
}

/** A snapshot whose shape has been checked: its nodes ready for analysis, its edges as a map. */
export interface SnapshotParts {
  readonly nodes: readonly NodeInput[];
  readonly edges: ReadonlyMap<string, readonly string[]>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

/** Why `value`, which failed `isStringArray`, is not an array of strings. */
function stringArrayProblem(value: unknown, where: string): string {
  if (!Array.isArray(value)) return `${where} must be an array of ids, got ${describeValue(value)}`;
  const at = value.findIndex((item) => typeof item !== 'string');
  return `${where}[${at}] must be a string, got ${describeValue(value[at])}`;
}

/**
 * Checks the JSON shape of a snapshot and throws a GraphError listing every `GRAPH_INVALID_SNAPSHOT`
 * problem. `null` stands for an empty list or map (Go's encoding/json writes nil slices and maps
 * so); keys other than the documented ones are ignored.
 */
export function readSnapshotParts(snapshot: unknown): SnapshotParts {
  if (!isRecord(snapshot)) {
    throw new GraphError([invalidSnapshotIssue(`expected an object with "nodes" and "edges", got ${describeValue(snapshot)}`)]);
  }
  const issues: GraphIssue[] = [];
  const rawNodes = snapshot['nodes'] ?? null;
  const rawEdges = snapshot['edges'] ?? null;
  if (snapshot['nodes'] === undefined) issues.push(invalidSnapshotIssue('"nodes" is missing'));
  else if (rawNodes !== null && !Array.isArray(rawNodes)) {
    issues.push(invalidSnapshotIssue(`"nodes" must be an array, got ${describeValue(rawNodes)}`));
  }
  if (snapshot['edges'] === undefined) issues.push(invalidSnapshotIssue('"edges" is missing'));
  else if (rawEdges !== null && !isRecord(rawEdges)) {
    issues.push(invalidSnapshotIssue(`"edges" must be an object of id to dependents, got ${describeValue(rawEdges)}`));
  }

  const nodes: NodeInput[] = [];
  if (Array.isArray(rawNodes)) {
    rawNodes.forEach((node: unknown, position) => {
      const where = `nodes[${position}]`;
      if (!isRecord(node)) {
        issues.push(invalidSnapshotIssue(`${where} must be an object, got ${describeValue(node)}`));
        return;
      }
      const { id, depends_on: dependsOn, indegree, completed } = node;
      const indegreeValid = Number.isSafeInteger(indegree) && (indegree as number) >= 0;
      const dependsOnValid = dependsOn === null || isStringArray(dependsOn);
      if (typeof id !== 'string' || !dependsOnValid || !indegreeValid || typeof completed !== 'boolean') {
        const nodeId = typeof id === 'string' ? id : undefined;
        const problems = [
          typeof id === 'string' ? undefined : `${where}.id must be a string, got ${describeValue(id)}`,
          dependsOnValid ? undefined : stringArrayProblem(dependsOn, `${where}.depends_on`),
          indegreeValid ? undefined : `${where}.indegree must be a non-negative integer, got ${describeValue(indegree)}`,
          typeof completed === 'boolean' ? undefined : `${where}.completed must be a boolean, got ${describeValue(completed)}`,
        ];
        for (const problem of problems) if (problem !== undefined) issues.push(invalidSnapshotIssue(problem, nodeId));
      }
      nodes.push({ id, dependsOn: Array.isArray(dependsOn) ? dependsOn : [] });
    });
  }

  const edges = new Map<string, readonly string[]>();
  if (isRecord(rawEdges)) {
    // Object.keys, not Object.entries: no pair array per entry (this runs on every resume).
    for (const id of Object.keys(rawEdges)) {
      const dependents = rawEdges[id] ?? null;
      if (dependents === null) edges.set(id, []);
      else if (isStringArray(dependents)) edges.set(id, dependents);
      else issues.push(invalidSnapshotIssue(stringArrayProblem(dependents, `edges[${JSON.stringify(id)}]`), id));
    }
  }
  if (issues.length > 0) throw new GraphError(issues);
  return { nodes, edges };
}

function quoteList(ids: readonly string[]): string {
  return ids.map((id) => JSON.stringify(id)).join(', ');
}

/**
 * Where `edges` disagrees with the `depends_on` lists: an entry for an unknown node, a listed
 * dependent that is unknown or does not depend on the node, a dependent left out. One issue per
 * node and kind, naming every id concerned. O(V + E) with stamps instead of sets.
 */
export function edgeIssues(edges: ReadonlyMap<string, readonly string[]>, analysed: AnalysedNodes): GraphIssue[] {
  const { ids, index, dependents, selfDependent } = analysed;
  const issues: GraphIssue[] = [];
  const expectedBy = new Int32Array(ids.length).fill(-1);
  const listedBy = new Int32Array(ids.length).fill(-1);
  ids.forEach((id, node) => {
    const start = dependents.offsets[node] ?? 0;
    const end = dependents.offsets[node + 1] ?? 0;
    const listedDependents = edges.get(id) ?? [];
    if (listsExactly(listedDependents, ids, dependents.targets.subarray(start, end))) return;
    for (let e = start; e < end; e++) expectedBy[dependents.targets[e] ?? 0] = node;
    const unknown: string[] = [];
    const unrelated: string[] = [];
    for (const listed of listedDependents) {
      const dependent = index.get(listed);
      if (dependent === undefined) {
        if (!unknown.includes(listed)) unknown.push(listed);
        continue;
      }
      if (listedBy[dependent] === node) continue;
      listedBy[dependent] = node;
      const related = expectedBy[dependent] === node || (dependent === node && selfDependent.has(id));
      if (!related) unrelated.push(listed);
    }
    const omitted: string[] = [];
    for (let e = start; e < end; e++) {
      const dependent = dependents.targets[e] ?? 0;
      if (listedBy[dependent] !== node) omitted.push(ids[dependent] ?? '');
    }
    const entry = `edges[${JSON.stringify(id)}]`;
    if (unknown.length > 0) {
      issues.push(invalidSnapshotIssue(`${entry} lists unknown node${plural(unknown)} ${quoteList(unknown)}`, id));
    }
    if (unrelated.length > 0) {
      const verb = unrelated.length === 1 ? 'does' : 'do';
      issues.push(invalidSnapshotIssue(`${entry} lists ${quoteList(unrelated)}, which ${verb} not depend on ${JSON.stringify(id)}`, id));
    }
    if (omitted.length > 0) {
      const verb = omitted.length === 1 ? 'depends' : 'depend';
      issues.push(invalidSnapshotIssue(`${entry} omits ${quoteList(omitted)}, which ${verb} on ${JSON.stringify(id)}`, id));
    }
  });
  for (const id of edges.keys()) {
    if (!index.has(id)) issues.push(invalidSnapshotIssue(`edges has an entry for unknown node ${JSON.stringify(id)}`, id));
  }
  return issues;
}

/** The common case, checked without hashing a single id: the entry lists exactly the expected dependents in order. */
function listsExactly(listed: readonly string[], ids: readonly string[], expected: Int32Array): boolean {
  if (listed.length !== expected.length) return false;
  for (let i = 0; i < listed.length; i++) if (listed[i] !== ids[expected[i] ?? 0]) return false;
  return true;
}

function plural(items: readonly unknown[]): string {
  return items.length === 1 ? '' : 's';
}
