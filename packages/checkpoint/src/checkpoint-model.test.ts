import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Checkpoint, CheckpointUpdate } from './checkpoint.js';
import { CheckpointModel } from './checkpoint-model.js';
import { applyUpdate, sampleCheckpoint } from './test-support.js';

const at = '2026-02-07T13:00:00.000Z';

// 0 <- 1 <- 2, and 0 <- 2: node 2 waits for two.
function chain(): Checkpoint {
  return {
    version: '1.0',
    feature_id: 'F052',
    timestamp: '2026-02-07T12:00:00.000Z',
    completed: [],
    failed: [],
    graph: {
      nodes: [
        { id: 'a', depends_on: [], indegree: 0, completed: false },
        { id: 'b', depends_on: ['a'], indegree: 1, completed: false },
        { id: 'c', depends_on: ['a', 'b'], indegree: 2, completed: false },
      ],
      edges: { a: ['b', 'c'], b: ['c'] },
    },
    circuit_breaker: null,
  };
}

describe('CheckpointModel', () => {
  it('marks completed nodes and lowers their dependents’ indegree, once per node', () => {
    const model = new CheckpointModel(chain());
    model.apply({ timestamp: at, completed: ['a', 'a'] });
    model.apply({ timestamp: at, completed: ['a'] });
    expect(model.current.completed).toEqual(['a']);
    expect(model.current.graph?.nodes.map(({ id, indegree, completed }) => [id, indegree, completed])).toEqual([
      ['a', 0, true],
      ['b', 0, false],
      ['c', 1, false],
    ]);
    model.apply({ timestamp: at, completed: ['b', 'not-in-graph'] });
    expect(model.current.completed).toEqual(['a', 'b', 'not-in-graph']);
    expect(model.current.graph?.nodes[2]).toEqual({ id: 'c', depends_on: ['a', 'b'], indegree: 0, completed: false });
  });

  it('keeps indegrees non-negative when the graph’s were already off', () => {
    const checkpoint = chain();
    checkpoint.graph!.nodes[1]!.indegree = 0;
    const model = new CheckpointModel(checkpoint);
    model.apply({ timestamp: at, completed: ['a'] });
    expect(model.current.graph?.nodes[1]?.indegree).toBe(0);
  });

  it('merges records (creating them), replaces running and the breaker, appends failed ids once', () => {
    const model = new CheckpointModel({ ...chain(), attempts: { a: 1 } });
    model.apply({
      timestamp: at,
      failed: ['b', 'b'],
      running: ['c'],
      skipped: { c: 'b' },
      attempts: { a: 2, b: 1 },
      durations_ms: { b: 12.5 },
      circuit_breaker: { state: 1, failure_count: 1, success_count: 0, consecutive_opens: 1, last_failure_time: at },
    });
    model.apply({ timestamp: '2026-02-07T14:00:00Z', failed: ['b'], running: [], circuit_breaker: null });
    expect(model.current).toMatchObject({
      timestamp: '2026-02-07T14:00:00Z',
      failed: ['b'],
      running: [],
      skipped: { c: 'b' },
      attempts: { a: 2, b: 1 },
      durations_ms: { b: 12.5 },
      circuit_breaker: null,
    });
  });

  it('keeps an id named __proto__ as an ordinary key', () => {
    const model = new CheckpointModel(chain());
    model.apply(JSON.parse(`{"timestamp":"${at}","attempts":{"__proto__":3}}`) as CheckpointUpdate);
    const { attempts } = model.current;
    expect(Object.getPrototypeOf(attempts)).toBe(Object.prototype);
    expect(Object.keys(attempts!)).toEqual(['__proto__']);
    expect(JSON.stringify(attempts)).toBe('{"__proto__":3}');
  });

  it('copies what it applies: the update stays as it was, to be applied again', () => {
    const update: CheckpointUpdate = {
      timestamp: at,
      running: ['c'],
      circuit_breaker: { state: 0, failure_count: 0, success_count: 1, consecutive_opens: 0, last_failure_time: at, window: [1] },
    };
    const before = structuredClone(update);
    const model = new CheckpointModel(chain());
    model.apply(update);
    model.current.running!.push('d');
    (model.current.circuit_breaker!['window'] as number[]).push(2);
    expect(update).toEqual(before);
  });

  it('agrees with the graph recomputed from scratch after any sequence of updates', () => {
    const size = 40;
    const id = fc.nat({ max: size - 1 }).map((index) => `00-052-${String(index).padStart(6, '0')}`);
    const update = fc.record(
      {
        timestamp: fc.constant(at),
        completed: fc.array(id, { maxLength: 6 }),
        failed: fc.array(id, { maxLength: 2 }),
        running: fc.array(id, { maxLength: 3 }),
        attempts: fc.dictionary(id, fc.nat({ max: 5 }), { maxKeys: 3 }),
      },
      { requiredKeys: ['timestamp'] },
    );
    fc.assert(
      fc.property(fc.nat({ max: size }), fc.array(update, { maxLength: 12 }), (done, updates) => {
        const model = new CheckpointModel(sampleCheckpoint(size, done));
        let expected = sampleCheckpoint(size, done);
        for (const next of updates) {
          model.apply(next);
          expected = applyUpdate(expected, next);
        }
        expect(model.current).toEqual(expected);
      }),
    );
  });
});
