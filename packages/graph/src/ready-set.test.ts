import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DependencyGraph } from './dependency-graph.js';
import { isNodeStateError, NodeStateError } from './node-state-error.js';
import { arbitraryDag } from '@sdp/internal/testing';
import type { NodeStatus } from './node-status.js';
import { ReadySet } from './ready-set.js';

/**
 * x (alone), then a chain a -> b -> c, and d depending on a and x. Insertion order: x, a, b, c, d.
 * Chain lengths: x 2, a 3, b 2, c 1, d 1.
 */
const graph = () =>
  DependencyGraph.fromNodes([
    { id: 'x' },
    { id: 'a' },
    { id: 'b', dependsOn: ['a'] },
    { id: 'c', dependsOn: ['b'] },
    { id: 'd', dependsOn: ['a', 'x'] },
  ]);

const statuses = (ready: ReadySet, ids: readonly string[]) => Object.fromEntries(ids.map((id) => [id, ready.status(id)]));

describe('ReadySet', () => {
  it('starts with the nodes without dependencies ready and the rest pending', () => {
    const ready = graph().readySet();
    expect(statuses(ready, ['x', 'a', 'b', 'c', 'd'])).toEqual({
      x: 'ready',
      a: 'ready',
      b: 'pending',
      c: 'pending',
      d: 'pending',
    });
    expect([ready.readyCount, ready.runningCount, ready.isFinished]).toEqual([2, 0, false]);
  });

  it('is finished at once for an empty graph', () => {
    const ready = new DependencyGraph().readySet();
    expect([ready.isFinished, ready.take(), ready.peek()]).toEqual([true, undefined, undefined]);
  });

  it('offers the longest remaining chain first by default', () => {
    const ready = graph().readySet();
    expect(ready.peek()).toBe('a');
    expect(ready.take()).toBe('a');
    expect(ready.status('a')).toBe('running');
    expect([ready.readyCount, ready.runningCount]).toEqual([1, 1]);
    expect(ready.take()).toBe('x');
    expect(ready.take()).toBeUndefined();
  });

  it('orders by the given priority, ties by insertion order', () => {
    const ready = graph().readySet({ priority: () => 7 });
    expect(ready.take()).toBe('x');
    const byName = graph().readySet({ priority: (id) => id.charCodeAt(0) });
    expect(byName.take()).toBe('x');
    expect(byName.take()).toBe('a');
  });

  it('returns the nodes a completion made ready, highest priority first', () => {
    const ready = graph().readySet({ priority: (id) => ({ b: 1, d: 2 })[id] ?? 0 });
    ready.take();
    ready.take();
    expect(ready.complete('x')).toEqual([]);
    expect(ready.status('d')).toBe('pending');
    expect(ready.complete('a')).toEqual(['d', 'b']);
    expect(ready.take()).toBe('d');
    expect(ready.complete('d')).toEqual([]);
    expect(ready.take()).toBe('b');
    expect(ready.complete('b')).toEqual(['c']);
    expect(ready.take()).toBe('c');
    expect(ready.isFinished).toBe(false);
    expect(ready.complete('c')).toEqual([]);
    expect(ready.isFinished).toBe(true);
  });

  it('puts a released node back among the ready ones', () => {
    const ready = graph().readySet();
    expect(ready.take()).toBe('a');
    ready.release('a');
    expect(ready.status('a')).toBe('ready');
    expect([ready.readyCount, ready.runningCount]).toEqual([2, 0]);
    expect(ready.take()).toBe('a');
  });

  it('skips the transitive dependents of a failed node, in topological order, once', () => {
    const ready = graph().readySet();
    ready.take();
    expect(ready.fail('a')).toEqual(['b', 'c', 'd']);
    expect(statuses(ready, ['x', 'a', 'b', 'c', 'd'])).toEqual({
      x: 'ready',
      a: 'failed',
      b: 'skipped',
      c: 'skipped',
      d: 'skipped',
    });
    expect(ready.take()).toBe('x');
    expect(ready.fail('x')).toEqual([]);
    expect(ready.isFinished).toBe(true);
  });

  it('starts from completed nodes, which need not include their dependencies', () => {
    const ready = graph().readySet({ completed: new Set(['b']) });
    expect(statuses(ready, ['x', 'a', 'b', 'c', 'd'])).toEqual({
      x: 'ready',
      a: 'ready',
      b: 'completed',
      c: 'ready',
      d: 'pending',
    });
    // A failure stops at a node completed up front: c needs b, which is done.
    expect(ready.take()).toBe('a');
    expect(ready.fail('a')).toEqual(['d']);
    expect(ready.status('c')).toBe('ready');
  });

  it('finds a running node by an equal id string, however long ago it was taken', () => {
    const ids = Array.from({ length: 600 }, (_, i) => `task-${i}`);
    const ready = DependencyGraph.fromNodes(ids.map((id) => ({ id }))).readySet();
    const taken: string[] = [];
    for (let id = ready.take(); id !== undefined; id = ready.take()) taken.push(id);
    expect(ready.runningCount).toBe(600);
    // Oldest first, each id rebuilt as a new string: the ids handed out long ago are found too.
    for (const id of taken) expect(ready.complete(['task', id.slice(5)].join('-'))).toEqual([]);
    expect(ready.isFinished).toBe(true);
    expect(() => ready.complete('task-0')).toThrow('cannot complete node "task-0": it is completed, not running');
  });

  it('throws a NodeStateError for complete, fail or release of a node that is not running', () => {
    const ready = graph().readySet();
    expect(() => ready.complete('a')).toThrow(new NodeStateError('complete', 'a', 'ready'));
    expect(() => ready.fail('b')).toThrow('cannot fail node "b": it is pending, not running');
    ready.take();
    ready.complete('a');
    expect(() => {
      ready.release('a');
    }).toThrow('cannot release node "a": it is completed, not running');
    try {
      ready.complete('a');
    } catch (error) {
      expect(isNodeStateError(error) && [error.operation, error.nodeId, error.status]).toEqual(['complete', 'a', 'completed']);
    }
    expect([ready.readyCount, ready.runningCount]).toEqual([2, 0]);
  });

  it('throws a TypeError for unknown ids and bad options', () => {
    const g = graph();
    const ready = g.readySet();
    expect(() => ready.status('zz')).toThrow(new TypeError('status: unknown node id "zz"'));
    expect(() => ready.complete('zz')).toThrow(new TypeError('complete: unknown node id "zz"'));
    expect(() => g.readySet({ completed: ['a', 'zz'] })).toThrow(new TypeError('readySet: options.completed: unknown node id "zz"'));
    expect(() => g.readySet({ completed: 'a' as unknown as string[] })).toThrow(
      new TypeError('readySet: options.completed must be an iterable of node ids, got string'),
    );
    expect(() => g.readySet(null as unknown as object)).toThrow(new TypeError('readySet: options must be an object, got null'));
    expect(() => g.readySet({ priority: 1 as unknown as () => number })).toThrow(
      new TypeError('readySet: options.priority must be a function (id) => number, got 1'),
    );
    expect(() => g.readySet({ priority: () => -1 })).toThrow(
      new RangeError('readySet: options.priority("x") returned -1; expected a non-negative finite number'),
    );
    expect(() => new ReadySet({} as unknown as DependencyGraph)).toThrow(new TypeError('readySet: expected a DependencyGraph'));
  });

  it('keeps working on the graph as it was when created', () => {
    const g = new DependencyGraph().addNode('a');
    const ready = new ReadySet(g);
    g.addNode('b', ['a']);
    expect(ready.take()).toBe('a');
    expect(ready.complete('a')).toEqual([]);
    expect(ready.isFinished).toBe(true);
    expect(() => ready.status('b')).toThrow(new TypeError('status: unknown node id "b"'));
  });
});

describe('ReadySet against a reference model', () => {
  /** Applies the rules directly: ready when all dependencies are completed; skipped when one failed or was skipped. */
  class Model {
    readonly status = new Map<string, NodeStatus>();
    constructor(
      readonly ids: readonly string[],
      readonly dependsOn: ReadonlyMap<string, readonly string[]>,
      completed: ReadonlySet<string>,
    ) {
      for (const id of ids) this.status.set(id, completed.has(id) ? 'completed' : 'pending');
      this.settle();
    }

    /** Moves pending nodes to ready or skipped until nothing changes; returns those changed. */
    settle(): { ready: string[]; skipped: string[] } {
      const changed = { ready: [] as string[], skipped: [] as string[] };
      for (let again = true; again;) {
        again = false;
        for (const id of this.ids) {
          if (this.status.get(id) !== 'pending') continue;
          const deps = (this.dependsOn.get(id) ?? []).map((dependency) => this.status.get(dependency));
          if (deps.some((status) => status === 'failed' || status === 'skipped')) {
            this.status.set(id, 'skipped');
            changed.skipped.push(id);
            again = true;
          } else if (deps.every((status) => status === 'completed')) {
            this.status.set(id, 'ready');
            changed.ready.push(id);
          }
        }
      }
      return changed;
    }

    count(status: NodeStatus): number {
      return [...this.status.values()].filter((s) => s === status).length;
    }
  }

  it('offers a node only after its dependencies complete and ends with every node settled', () => {
    fc.assert(
      fc.property(
        arbitraryDag(),
        fc.func(fc.boolean()),
        fc.array(fc.nat({ max: 1000 }), { maxLength: 80 }),
        ({ nodes, dependsOn }, startsCompleted, tape) => {
          const g = DependencyGraph.fromNodes(nodes);
          const ids = g.ids();
          const completed = new Set(ids.filter((id) => startsCompleted(id)));
          const priority = g.chainLengths();
          const ready = g.readySet({ completed });
          const model = new Model(ids, dependsOn, completed);
          const running: string[] = [];
          const sameSet = (actual: string[], expected: string[]) => {
            expect([...actual].sort()).toEqual([...expected].sort());
          };

          for (let step = 0; !ready.isFinished; step++) {
            const choice = tape[step] ?? 0;
            const action = running.length === 0 || (choice % 4 === 0 && ready.readyCount > 0) ? 'take' : choice % 4;
            if (action === 'take') {
              // Highest priority among the model's ready nodes, ties by insertion order.
              const candidates = ids.filter((id) => model.status.get(id) === 'ready');
              const best = candidates.reduce<string | undefined>(
                (top, id) => (top === undefined || (priority.get(id) ?? 0) > (priority.get(top) ?? 0) ? id : top),
                undefined,
              );
              expect(ready.peek()).toBe(best);
              const taken = ready.take();
              expect(taken).toBe(best);
              if (taken === undefined) throw new Error('nothing to take');
              for (const dependency of dependsOn.get(taken) ?? []) expect(model.status.get(dependency)).toBe('completed');
              model.status.set(taken, 'running');
              running.push(taken);
            } else {
              const [id] = running.splice(Math.floor(choice / 4) % running.length, 1);
              if (id === undefined) throw new Error('nothing running');
              if (action === 3 && tape[step] !== undefined) {
                ready.release(id);
                model.status.set(id, 'ready');
              } else if (action === 2) {
                const skipped = ready.fail(id);
                model.status.set(id, 'failed');
                sameSet(skipped, model.settle().skipped);
              } else {
                const madeReady = ready.complete(id);
                model.status.set(id, 'completed');
                sameSet(madeReady, model.settle().ready);
              }
            }
            expect(statuses(ready, ids)).toEqual(Object.fromEntries(model.status));
            expect([ready.readyCount, ready.runningCount]).toEqual([model.count('ready'), model.count('running')]);
          }
          for (const id of ids) expect(['completed', 'failed', 'skipped']).toContain(ready.status(id));
        },
      ),
    );
  });
});
