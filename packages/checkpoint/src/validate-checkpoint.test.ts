import { describe, expect, it } from 'vitest';
import type { Checkpoint } from './checkpoint.js';
import { CheckpointError, type CheckpointValidationError, isCheckpointValidationError } from './errors.js';
import { validateCheckpoint, validateCheckpointToSave, validateCheckpointUpdate } from './validate-checkpoint.js';

const seed: Checkpoint = {
  version: '1.0',
  feature_id: 'F052',
  timestamp: '2026-02-07T12:34:56Z',
  completed: ['00-052-01', '00-052-02'],
  failed: ['00-052-03'],
  graph: {
    nodes: [{ id: '00-052-04', depends_on: ['00-052-01'], indegree: 0, completed: false }],
    edges: { '00-052-01': ['00-052-04', '00-052-05'] },
  },
  circuit_breaker: {
    state: 0,
    failure_count: 1,
    success_count: 0,
    consecutive_opens: 0,
    last_failure_time: '2026-02-07T12:34:00Z',
  },
};

function without(value: Checkpoint, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

function errorOf(run: () => unknown): CheckpointValidationError {
  try {
    run();
  } catch (error) {
    if (isCheckpointValidationError(error)) return error;
    throw error;
  }
  throw new Error('expected a CheckpointValidationError');
}

describe('validateCheckpoint', () => {
  it("accepts the seed's example unchanged", () => {
    expect(validateCheckpoint(seed)).toEqual(seed);
  });

  it('loads what the seed Go implementation writes: nil slices as null, nanoseconds, zero time, missing keys', () => {
    const goWritten = {
      version: '1.0',
      feature_id: 'F052',
      timestamp: '2026-02-07T12:34:56.123456789+01:00',
      completed: null,
      failed: null,
      graph: { nodes: [{ id: 'a', depends_on: null, indegree: 0, completed: true }], edges: { a: null } },
      circuit_breaker: {
        state: 1,
        failure_count: 3,
        success_count: 0,
        consecutive_opens: 2,
        last_failure_time: '0001-01-01T00:00:00Z',
        generation: 7,
      },
      go_only: { x: [1, 'y'] },
    };
    expect(validateCheckpoint(goWritten)).toEqual({
      ...goWritten,
      completed: [],
      failed: [],
      graph: { nodes: [{ id: 'a', depends_on: [], indegree: 0, completed: true }], edges: { a: [] } },
    });
    const withoutNullables = without(seed, 'graph', 'circuit_breaker');
    expect(validateCheckpoint(withoutNullables)).toEqual({ ...withoutNullables, graph: null, circuit_breaker: null });
    // Go's empty GraphSnapshot records no graph, as "graph": null does (never an empty previous graph).
    expect(validateCheckpoint({ ...seed, graph: { nodes: null, edges: null } }).graph).toBeNull();
    // Go's empty version is the seed's "1.0".
    expect(validateCheckpoint({ ...seed, version: '' }).version).toBe('1.0');
    expect(validateCheckpoint(without(seed, 'version')).version).toBe('1.0');
  });

  it('keeps unknown keys and checks the documented extras', () => {
    const extras = {
      graph_fingerprint: 'fp',
      running: ['a'],
      skipped: { b: 'a' },
      attempts: { a: 2 },
      durations_ms: { a: 12.5 },
      future: { nested: [true, null] },
    };
    expect(validateCheckpoint({ ...seed, ...extras })).toEqual({ ...seed, ...extras });
  });

  it('drops keys whose value is undefined, as JSON does', () => {
    expect(Object.keys(validateCheckpoint({ ...seed, running: undefined, note: undefined }))).not.toContain('running');
  });

  it('keeps a "__proto__" key as data', () => {
    const parsed = JSON.parse(JSON.stringify(seed).replace('{', '{"__proto__":{"polluted":1},')) as unknown;
    const checkpoint = validateCheckpoint(parsed);
    expect(Object.getPrototypeOf(checkpoint)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(checkpoint, '__proto__')?.value).toEqual({ polluted: 1 });
  });

  it.each([
    [null, '$', '$ must be a checkpoint object, got null'],
    [{ ...seed, version: '2.0' }, '$.version', '$.version must be "1.0", got "2.0"'],
    [{ ...seed, feature_id: '' }, '$.feature_id', '$.feature_id must be a non-empty string, got ""'],
    [{ ...seed, timestamp: 'yesterday' }, '$.timestamp', 'an RFC 3339 date-time'],
    [{ ...seed, completed: undefined }, '$.completed', '$.completed must be an array of non-empty strings, got undefined'],
    [{ ...seed, failed: [1] }, '$.failed[0]', '$.failed[0] must be a non-empty string, got 1'],
    [{ ...seed, graph: [] }, '$.graph', '$.graph must be a graph snapshot object or null, got an array'],
    [
      { ...seed, graph: { nodes: [{ id: 'a', depends_on: [], indegree: -1, completed: false }], edges: {} } },
      '$.graph.nodes[0].indegree',
      'non-negative integer',
    ],
    [
      { ...seed, graph: { nodes: [{ id: 'a', depends_on: [], indegree: 0, completed: 'no' }], edges: {} } },
      '$.graph.nodes[0].completed',
      'a boolean',
    ],
    [{ ...seed, graph: { nodes: [], edges: { 'a-b': 'c' } } }, '$.graph.edges["a-b"]', 'must be an array'],
    [
      { ...seed, circuit_breaker: { ...seed.circuit_breaker, state: 3 } },
      '$.circuit_breaker.state',
      '0 (closed), 1 (open) or 2 (half-open), got 3',
    ],
    [
      { ...seed, circuit_breaker: { ...seed.circuit_breaker, failure_count: 1.5 } },
      '$.circuit_breaker.failure_count',
      'non-negative integer',
    ],
    [
      { ...seed, circuit_breaker: { ...seed.circuit_breaker, last_state_change: 'now' } },
      '$.circuit_breaker.last_state_change',
      'RFC 3339',
    ],
    [{ ...seed, attempts: { a: -1 } }, '$.attempts.a', 'non-negative integer'],
    [{ ...seed, durations_ms: { a: Number.NaN } }, '$.durations_ms.a', 'non-negative finite number'],
    [{ ...seed, skipped: { a: 3 } }, '$.skipped.a', 'non-empty string'],
    [{ ...seed, graph_fingerprint: 5 }, '$.graph_fingerprint', 'non-empty string'],
    [{ ...seed, extra: { when: new Date(0) } }, '$.extra.when', 'a plain object'],
    [{ ...seed, extra: [1, undefined] }, '$.extra[1]', 'a JSON value'],
    [{ ...seed, extra: Infinity }, '$.extra', 'a finite number'],
    [{ ...seed, extra: 10n }, '$.extra', 'a JSON value, got 10'],
  ])('rejects %# naming the JSON path', (value, jsonPath, message) => {
    const error = errorOf(() => validateCheckpoint(value));
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error.code).toBe('CHECKPOINT_INVALID');
    expect(error.jsonPath).toBe(jsonPath);
    expect(error.message).toContain(message);
  });

  it('rejects cycles in extra keys', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(errorOf(() => validateCheckpoint({ ...seed, extra: cyclic })).jsonPath).toBe('$.extra.self');
  });
});

describe('validateCheckpointToSave', () => {
  it('is exactly the TypeScript type: no null lists, no missing nullable keys', () => {
    expect(validateCheckpointToSave(seed)).toEqual(seed);
    expect(errorOf(() => validateCheckpointToSave({ ...seed, completed: null })).jsonPath).toBe('$.completed');
    expect(errorOf(() => validateCheckpointToSave(without(seed, 'graph'))).jsonPath).toBe('$.graph');
  });

  it('refuses the keys the file format writes itself', () => {
    const error = errorOf(() => validateCheckpointToSave({ ...seed, checksum: 'x' }));
    expect(error.message).toBe('$.checksum must be absent (the file format writes this key itself), got "x"');
    expect(errorOf(() => validateCheckpointToSave({ ...seed, writer: 'me' })).jsonPath).toBe('$.writer');
  });
});

describe('validateCheckpointUpdate', () => {
  const breaker = seed.circuit_breaker!;

  it('accepts every field, drops undefined ones and puts the keys in a fixed order', () => {
    const update = {
      circuit_breaker: breaker,
      durations_ms: { a: 1.5 },
      attempts: { a: 2 },
      skipped: { b: 'a' },
      running: ['c'],
      failed: ['d'],
      completed: ['a'],
      timestamp: '2026-02-07T12:00:00Z',
      other: undefined,
    };
    const valid = validateCheckpointUpdate(update);
    expect(Object.keys(valid)).toEqual([
      'timestamp',
      'completed',
      'failed',
      'running',
      'skipped',
      'attempts',
      'durations_ms',
      'circuit_breaker',
    ]);
    expect(valid).toEqual(update);
    expect(validateCheckpointUpdate({ timestamp: '2026-02-07T12:00:00Z', circuit_breaker: null })).toEqual({
      timestamp: '2026-02-07T12:00:00Z',
      circuit_breaker: null,
    });
  });

  it.each([
    [null, '$', 'a checkpoint update object, got null'],
    [{}, '$.timestamp', 'an RFC 3339 date-time'],
    [{ timestamp: 'yesterday' }, '$.timestamp', 'got "yesterday"'],
    [{ timestamp: '2026-02-07T12:00:00Z', completed: ['a', 'b', ''] }, '$.completed[2]', 'a non-empty string, got ""'],
    [{ timestamp: '2026-02-07T12:00:00Z', completed: null }, '$.completed', 'an array of non-empty strings'],
    [{ timestamp: '2026-02-07T12:00:00Z', failed: 'a' }, '$.failed', 'an array of non-empty strings'],
    [{ timestamp: '2026-02-07T12:00:00Z', running: [1] }, '$.running[0]', 'got 1'],
    [{ timestamp: '2026-02-07T12:00:00Z', skipped: { a: '' } }, '$.skipped.a', 'a non-empty string'],
    [{ timestamp: '2026-02-07T12:00:00Z', attempts: { '00-1': -1 } }, '$.attempts["00-1"]', 'a non-negative integer, got -1'],
    [{ timestamp: '2026-02-07T12:00:00Z', durations_ms: { a: Infinity } }, '$.durations_ms.a', 'a non-negative finite number'],
    [{ timestamp: '2026-02-07T12:00:00Z', circuit_breaker: { ...breaker, state: 3 } }, '$.circuit_breaker.state', 'got 3'],
    [{ timestamp: '2026-02-07T12:00:00Z', graph: null }, '$.graph', 'absent (not a field of a checkpoint update), got null'],
  ])('rejects %# naming the JSON path', (value, jsonPath, message) => {
    const error = errorOf(() => validateCheckpointUpdate(value));
    expect(error.code).toBe('CHECKPOINT_INVALID');
    expect(error.jsonPath).toBe(jsonPath);
    expect(error.message).toContain(message);
  });
});
