import {
  CHECKPOINT_VERSION,
  type Checkpoint,
  type CheckpointUpdate,
  type CircuitBreakerSnapshotJson,
  type GraphNodeJson,
  type GraphSnapshotJson,
} from './checkpoint.js';
import {
  COUNT,
  MILLISECONDS,
  NON_EMPTY_STRING,
  assertExtras,
  assertJson,
  badIdIndex,
  count,
  fail,
  ids,
  isCount,
  isMilliseconds,
  isNonEmptyString,
  isRecord,
  member,
  nonEmptyString,
  recordOf,
  time,
  type Mode,
} from './validate-values.js';

/** Keys the file format adds itself (see `checkpoint-codec.ts`); a checkpoint to save must not carry them. */
export const FORMAT_KEYS: readonly string[] = ['checksum', 'writer'];

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
const BREAKER_KEYS = new Set(['state', 'failure_count', 'success_count', 'consecutive_opens', 'last_failure_time', 'last_state_change']);

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
  [
    'skipped',
    (item, path) => {
      recordOf(item, path, isNonEmptyString, NON_EMPTY_STRING);
    },
  ],
  [
    'attempts',
    (item, path) => {
      recordOf(item, path, isCount, COUNT);
    },
  ],
  [
    'durations_ms',
    (item, path) => {
      recordOf(item, path, isMilliseconds, MILLISECONDS);
    },
  ],
];

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

const HANDLE = 'a flat object of strings, finite numbers and booleans';

function attemptHandle(value: unknown, path: string): void {
  if (!isRecord(value)) fail(path, HANDLE, value);
  for (const name in value) {
    if (Object.hasOwn(value, name) && !isScalar(value[name]))
      fail(member(path, name), 'a string, a finite number or a boolean', value[name]);
  }
}

/** `attempt_handles`: id -> handle; in an update a handle may be `null` (removes it). */
function attemptHandles(value: unknown, path: string, allowNull: boolean, nodeIds?: ReadonlySet<string>): void {
  if (!isRecord(value)) fail(path, 'an object of attempt handles', value);
  for (const id in value) {
    if (!Object.hasOwn(value, id)) continue;
    if (id === '') fail(member(path, id), 'keyed by a non-empty workstream id', value[id]);
    if (nodeIds !== undefined && !nodeIds.has(id)) fail(member(path, id), "keyed by a workstream of the checkpoint's graph", id);
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
    [
      'attempt_handles',
      (item, path) => {
        attemptHandles(item, path, false, nodes && new Set(nodes.map((node) => node.id)));
      },
    ],
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
  [
    'attempt_handles',
    (item, path) => {
      attemptHandles(item, path, true);
    },
  ],
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
  if (nodeIds !== undefined && value['attempt_handles'] !== undefined)
    attemptHandles(value['attempt_handles'], '$.attempt_handles', true, nodeIds);
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
