import {
  CHECKPOINT_VERSION,
  type Checkpoint,
  type CheckpointUpdate,
  type CircuitBreakerSnapshotJson,
  type GraphNodeJson,
  type GraphSnapshotJson,
} from './checkpoint.js';
import { describeValue, isRfc3339 } from '@sdp/internal';
import { CheckpointValidationError } from './errors.js';

/** Keys the file format adds itself (see `checkpoint-codec.ts`); a checkpoint to save must not carry them. */
export const FORMAT_KEYS: readonly string[] = ['checksum', 'writer'];

/** `load`: JSON from a file, possibly Go-written (nil slices as `null`). `save`: exactly the TypeScript type. */
type Mode = 'load' | 'save';
type JsonRecord = Record<string, unknown>;

const KNOWN_KEYS = new Set([
  'version',
  'feature_id',
  'timestamp',
  'completed',
  'failed',
  'graph',
  'circuit_breaker',
  'graph_fingerprint',
  'running',
  'skipped',
  'attempts',
  'durations_ms',
  'attempt_handles',
]);
const NODE_KEYS = new Set(['id', 'depends_on', 'indegree', 'completed']);
const GRAPH_KEYS = new Set(['nodes', 'edges']);
const BREAKER_KEYS = new Set([
  'state',
  'failure_count',
  'success_count',
  'consecutive_opens',
  'last_failure_time',
  'last_state_change',
]);

// Paths are built only when a check fails: a checkpoint of 100k workstreams has a million values.

function fail(path: string, expected: string, value: unknown): never {
  throw new CheckpointValidationError(`${path} must be ${expected}, got ${describeValue(value)}`, path);
}

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function member(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isMilliseconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

const NON_EMPTY_STRING = 'a non-empty string';
const COUNT = 'a non-negative integer';
const MILLISECONDS = 'a non-negative finite number';

function nonEmptyString(value: unknown, path: string): string {
  if (!isNonEmptyString(value)) fail(path, NON_EMPTY_STRING, value);
  return value;
}

function count(value: unknown, path: string): number {
  if (!isCount(value)) fail(path, COUNT, value);
  return value;
}

function time(value: unknown, path: string): string {
  if (typeof value !== 'string' || !isRfc3339(value)) {
    fail(path, 'an RFC 3339 date-time such as "2026-02-07T12:34:56.123Z"', value);
  }
  return value;
}

/** The index of the first element of `value` that is not a non-empty string, or -1. */
function badIdIndex(value: readonly unknown[]): number {
  for (let index = 0; index < value.length; index += 1) {
    if (!isNonEmptyString(value[index])) return index;
  }
  return -1;
}

/** An array of ids; `path` is called only to report a bad one. */
function ids(value: unknown, path: () => string, mode: Mode): string[] {
  // Go marshals a nil slice as null.
  if (value === null && mode === 'load') return [];
  if (!Array.isArray(value)) fail(path(), 'an array of non-empty strings', value);
  const bad = badIdIndex(value);
  if (bad >= 0) fail(`${path()}[${bad}]`, NON_EMPTY_STRING, value[bad]);
  return value as string[];
}

function recordOf(value: unknown, path: string, isValid: (item: unknown) => boolean, expected: string): void {
  if (!isRecord(value)) fail(path, 'an object', value);
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    const item = value[name];
    if (!isValid(item)) fail(member(path, name), expected, item);
  }
}

/** Extra keys may hold anything JSON can carry, so that they read back exactly as they were saved. */
function assertJson(value: unknown, path: () => string, ancestors: Set<object>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path(), 'a finite number', value);
    return;
  }
  if (typeof value !== 'object') fail(path(), 'a JSON value', value);
  if (ancestors.has(value)) fail(path(), 'a JSON value without cycles', value);
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      const itemPath = (): string => `${path()}[${index}]`;
      if (item === undefined) fail(itemPath(), 'a JSON value', item);
      assertJson(item, itemPath, ancestors);
    }
  } else {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) fail(path(), 'a plain object', value);
    for (const [name, item] of Object.entries(value)) {
      if (item !== undefined) assertJson(item, () => member(path(), name), ancestors);
    }
  }
  ancestors.delete(value);
}

function assertExtras(record: JsonRecord, known: ReadonlySet<string>, path: () => string): void {
  for (const name in record) {
    if (known.has(name) || !Object.hasOwn(record, name)) continue;
    const item = record[name];
    if (item !== undefined) assertJson(item, () => member(path(), name), new Set());
  }
}

function nodePath(index: number): string {
  return `$.graph.nodes[${index}]`;
}

function graphNode(value: unknown, index: number, mode: Mode): GraphNodeJson {
  if (!isRecord(value)) fail(nodePath(index), 'a graph node object', value);
  const { id, depends_on: dependsOnValue, indegree, completed } = value;
  if (!isNonEmptyString(id)) fail(`${nodePath(index)}.id`, NON_EMPTY_STRING, id);
  // The common case inline, without a closure for the path: this runs once per workstream.
  const dependsOn =
    Array.isArray(dependsOnValue) && badIdIndex(dependsOnValue) < 0
      ? (dependsOnValue as string[])
      : ids(dependsOnValue, () => `${nodePath(index)}.depends_on`, mode);
  if (!isCount(indegree)) fail(`${nodePath(index)}.indegree`, COUNT, indegree);
  if (typeof completed !== 'boolean') fail(`${nodePath(index)}.completed`, 'a boolean', completed);
  for (const name in value) {
    if (!NODE_KEYS.has(name)) {
      assertExtras(value, NODE_KEYS, () => nodePath(index));
      break;
    }
  }
  const node = value as unknown as GraphNodeJson;
  return dependsOn === dependsOnValue ? node : { ...node, depends_on: dependsOn };
}

function graphSnapshot(value: unknown, mode: Mode): GraphSnapshotJson {
  const path = '$.graph';
  if (!isRecord(value)) fail(path, 'a graph snapshot object or null', value);
  let { nodes: nodesValue, edges: edgesValue } = value;
  if (nodesValue === null && mode === 'load') nodesValue = [];
  if (!Array.isArray(nodesValue)) fail(`${path}.nodes`, 'an array of graph nodes', nodesValue);
  const nodes: GraphNodeJson[] = new Array<GraphNodeJson>(nodesValue.length);
  for (let index = 0; index < nodesValue.length; index += 1) nodes[index] = graphNode(nodesValue[index], index, mode);
  if (edgesValue === null && mode === 'load') edgesValue = {};
  if (!isRecord(edgesValue)) fail(`${path}.edges`, 'an object of id arrays', edgesValue);
  let edges = edgesValue as Record<string, string[]>;
  for (const id in edgesValue) {
    if (!Object.hasOwn(edgesValue, id)) continue;
    const dependents: unknown = edgesValue[id];
    if (Array.isArray(dependents) && badIdIndex(dependents) < 0) continue;
    const valid = ids(dependents, () => member(`${path}.edges`, id), mode);
    // Only a Go-written null needs a copy of the edges.
    if (valid !== dependents) edges = { ...edges, [id]: valid };
  }
  assertExtras(value, GRAPH_KEYS, () => path);
  return { ...value, nodes, edges };
}

function breakerSnapshot(value: unknown): CircuitBreakerSnapshotJson {
  const path = '$.circuit_breaker';
  if (!isRecord(value)) fail(path, 'a circuit breaker snapshot object or null', value);
  const { state, failure_count, success_count, consecutive_opens, last_failure_time, last_state_change } = value;
  if (state !== 0 && state !== 1 && state !== 2) fail(`${path}.state`, '0 (closed), 1 (open) or 2 (half-open)', state);
  count(failure_count, `${path}.failure_count`);
  count(success_count, `${path}.success_count`);
  count(consecutive_opens, `${path}.consecutive_opens`);
  time(last_failure_time, `${path}.last_failure_time`);
  if (last_state_change !== undefined) time(last_state_change, `${path}.last_state_change`);
  assertExtras(value, BREAKER_KEYS, () => path);
  return value as CircuitBreakerSnapshotJson;
}

type Check = (item: unknown, path: string) => unknown;

function idList(item: unknown, path: string): void {
  ids(item, () => path, 'save');
}

/** The dispatcher's per-workstream records, in a checkpoint and in an update alike. */
const PROGRESS_RECORDS: [string, Check][] = [
  ['skipped', (item, path) => { recordOf(item, path, isNonEmptyString, NON_EMPTY_STRING); }],
  ['attempts', (item, path) => { recordOf(item, path, isCount, COUNT); }],
  ['durations_ms', (item, path) => { recordOf(item, path, isMilliseconds, MILLISECONDS); }],
];

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

const HANDLE = 'a flat object of strings, finite numbers and booleans';

function attemptHandle(value: unknown, path: string): void {
  if (!isRecord(value)) fail(path, HANDLE, value);
  for (const name in value) {
    if (Object.hasOwn(value, name) && !isScalar(value[name])) fail(member(path, name), 'a string, a finite number or a boolean', value[name]);
  }
}

/** `attempt_handles`: id -> handle; in an update a handle may be `null` (removes it). */
function attemptHandles(value: unknown, path: string, allowNull: boolean, nodeIds?: ReadonlySet<string>): void {
  if (!isRecord(value)) fail(path, 'an object of attempt handles', value);
  for (const id in value) {
    if (!Object.hasOwn(value, id)) continue;
    if (id === '') fail(member(path, id), 'keyed by a non-empty workstream id', value[id]);
    if (nodeIds !== undefined && !nodeIds.has(id)) fail(member(path, id), 'keyed by a workstream of the checkpoint\'s graph', id);
    const handle = value[id];
    if (!(allowNull && handle === null)) attemptHandle(handle, member(path, id));
  }
}

function nullable<T>(value: unknown, mode: Mode, parse: () => T): T | null {
  // Older writers may leave out the nullable keys altogether.
  if (value === null || (value === undefined && mode === 'load')) return null;
  return parse();
}

/** Go's empty `GraphSnapshot` (`{"nodes":null,"edges":null}`) records no graph, like `"graph": null`. */
function isGoEmptyGraph(value: unknown): boolean {
  if (!isRecord(value) || value['nodes'] !== null) return false;
  const edges = value['edges'];
  return edges === null || edges === undefined || (isRecord(edges) && Object.keys(edges).length === 0);
}

function validate(value: unknown, mode: Mode): Checkpoint {
  if (!isRecord(value)) fail('$', 'a checkpoint object', value);
  const { version, feature_id, timestamp, completed, failed, circuit_breaker } = value;
  let { graph } = value;
  // Go writes "" (or nothing) for a checkpoint not built by its CreateCheckpoint: the seed's "1.0".
  const goVersion = mode === 'load' && (version === '' || version === undefined);
  if (version !== CHECKPOINT_VERSION && !goVersion) fail('$.version', `"${CHECKPOINT_VERSION}"`, version);
  if (mode === 'load' && isGoEmptyGraph(graph)) graph = null;
  const graphSnapshotValue = nullable(graph, mode, () => graphSnapshot(graph, mode));
  const entries: [string, unknown][] = [
    ['version', CHECKPOINT_VERSION],
    ['feature_id', nonEmptyString(feature_id, '$.feature_id')],
    ['timestamp', time(timestamp, '$.timestamp')],
    ['completed', ids(completed, () => '$.completed', mode)],
    ['failed', ids(failed, () => '$.failed', mode)],
    ['graph', graphSnapshotValue],
    ['circuit_breaker', nullable(circuit_breaker, mode, () => breakerSnapshot(circuit_breaker))],
  ];
  const nodes = graphSnapshotValue?.nodes;
  const optional: [string, Check][] = [
    ['graph_fingerprint', nonEmptyString],
    ['running', idList],
    ...PROGRESS_RECORDS,
    ['attempt_handles', (item, path) => { attemptHandles(item, path, false, nodes && new Set(nodes.map((node) => node.id))); }],
  ];
  for (const [name, check] of optional) {
    const item = value[name];
    if (item === undefined) continue;
    check(item, `$.${name}`);
    entries.push([name, item]);
  }
  for (const [name, item] of Object.entries(value)) {
    if (KNOWN_KEYS.has(name) || item === undefined) continue;
    if (mode === 'save' && FORMAT_KEYS.includes(name)) {
      fail(member('$', name), 'absent (the file format writes this key itself)', item);
    }
    assertJson(item, () => member('$', name), new Set());
    entries.push([name, item]);
  }
  return Object.fromEntries(entries) as Checkpoint;
}

/**
 * Checks that `value` is a version "1.0" checkpoint as read from JSON and returns it normalized: Go's
 * `null` for an empty list becomes `[]`, Go's empty version (`""` or none) becomes `"1.0"`, Go's empty graph
 * (`{"nodes":null,"edges":null}`) and a missing `graph` or `circuit_breaker` become `null`, keys
 * whose value is `undefined` are dropped. Extra keys are kept. The graph's consistency (edges against
 * `depends_on`, cycles) is `@sdp/graph`'s to check. Nested values are shared with `value`, not copied.
 *
 * @throws CheckpointValidationError (a `TypeError`) naming the JSON path of the first bad value.
 */
export function validateCheckpoint(value: unknown): Checkpoint {
  return validate(value, 'load');
}

/** Like {@link validateCheckpoint} but exactly the `Checkpoint` type: no `null` lists, no format keys. */
export function validateCheckpointToSave(value: unknown): Checkpoint {
  return validate(value, 'save');
}

const UPDATE_FIELDS: [string, Check][] = [
  ['completed', idList],
  ['failed', idList],
  ['running', idList],
  ...PROGRESS_RECORDS,
  ['circuit_breaker', (item) => (item === null ? null : breakerSnapshot(item))],
  ['attempt_handles', (item, path) => { attemptHandles(item, path, true); }],
];
const UPDATE_KEYS = new Set(['timestamp', ...UPDATE_FIELDS.map(([name]) => name)]);

/**
 * Checks a {@link CheckpointUpdate} (given to `update`, or read back from the journal) and returns it with its
 * keys in a fixed order; with `nodeIds`, `attempt_handles` may only name those workstreams and `undefined` ones dropped; nested values are shared with `value`. Unknown keys are
 * refused: an update cannot carry what the store would not apply.
 *
 * @throws CheckpointValidationError naming the JSON path of the first bad value, rooted at the update (`$.completed[2]`).
 */
export function validateCheckpointUpdate(value: unknown, nodeIds?: ReadonlySet<string>): CheckpointUpdate {
  if (!isRecord(value)) fail('$', 'a checkpoint update object', value);
  if (nodeIds !== undefined && value['attempt_handles'] !== undefined) attemptHandles(value['attempt_handles'], '$.attempt_handles', true, nodeIds);
  const entries: [string, unknown][] = [['timestamp', time(value['timestamp'], '$.timestamp')]];
  for (const [name, check] of UPDATE_FIELDS) {
    const item = value[name];
    if (item === undefined) continue;
    check(item, `$.${name}`);
    entries.push([name, item]);
  }
  for (const [name, item] of Object.entries(value)) {
    if (!UPDATE_KEYS.has(name) && item !== undefined) fail(member('$', name), 'absent (not a field of a checkpoint update)', item);
  }
  return Object.fromEntries(entries) as unknown as CheckpointUpdate;
}
