import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DependencyGraph } from './dependency-graph.js';
import { arbitraryDag } from '@sdp/internal/testing';

const durations: Record<string, number> = { a: 5, b: 1, c: 2, d: 4 };
const duration = (id: string) => durations[id] ?? 0;

/** a -> {b, c} -> d, with d also depending on a. */
const fork = () =>
  DependencyGraph.fromNodes([
    { id: 'a' },
    { id: 'b', dependsOn: ['a'] },
    { id: 'c', dependsOn: ['a'] },
    { id: 'd', dependsOn: ['b', 'c', 'a'] },
  ]);

/** Every path (sequence of nodes, each depending on the one before), by brute force. */
function allPaths(graph: DependencyGraph): string[][] {
  const paths: string[][] = [];
  const extend = (path: string[]) => {
    paths.push(path);
    for (const next of graph.dependentsOf(path.at(-1) ?? '')) extend([...path, next]);
  };
  for (const id of graph.ids()) extend([id]);
  return paths;
}

describe('criticalPath', () => {
  it('is empty for an empty graph', () => {
    expect(new DependencyGraph().criticalPath()).toEqual({ path: [], length: 0 });
  });

  it('counts nodes by default and sums weights when given', () => {
    expect(fork().criticalPath()).toEqual({ path: ['a', 'b', 'd'], length: 3 });
    expect(fork().criticalPath(duration)).toEqual({ path: ['a', 'c', 'd'], length: 11 });
  });

  it('breaks ties by insertion order', () => {
    const graph = DependencyGraph.fromNodes([{ id: 'y' }, { id: 'x' }, { id: 'z', dependsOn: ['x', 'y'] }]);
    expect(graph.criticalPath()).toEqual({ path: ['y', 'z'], length: 2 });
  });

  it('accepts zero weights', () => {
    expect(fork().criticalPath(() => 0).length).toBe(0);
  });

  it('rejects weights that are not non-negative finite numbers, naming the node', () => {
    for (const [bad, shown] of [
      [-1, '-1'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      ['3', '"3"'],
    ] as const) {
      expect(() => fork().criticalPath((id) => (id === 'c' ? (bad as number) : 1))).toThrow(
        new RangeError(`criticalPath: weight("c") returned ${shown}; expected a non-negative finite number`),
      );
    }
    expect(() => fork().criticalPath(5 as unknown as () => number)).toThrow(
      new TypeError('criticalPath: weight must be a function (id) => number, got 5'),
    );
    expect(() => fork().chainLengths(() => -2)).toThrow(
      new RangeError('chainLengths: weight("a") returned -2; expected a non-negative finite number'),
    );
  });

  it('equals the heaviest path found by brute force', () => {
    fc.assert(
      fc.property(arbitraryDag(9), fc.array(fc.nat({ max: 5 }), { minLength: 9, maxLength: 9 }), ({ nodes }, table) => {
        const graph = DependencyGraph.fromNodes(nodes);
        const weight = (id: string) => table[graph.ids().indexOf(id)] ?? 0;
        const sum = (path: readonly string[]) => path.reduce((total, id) => total + weight(id), 0);
        const best = Math.max(0, ...allPaths(graph).map(sum));
        const { path, length } = graph.criticalPath(weight);
        expect(length).toBe(best);
        expect(sum(path)).toBe(best);
        expect(path.length > 0).toBe(graph.size > 0);
        for (let i = 1; i < path.length; i++) expect(graph.dependenciesOf(path[i] ?? '')).toContain(path[i - 1]);
      }),
    );
  });
});

describe('chainLengths', () => {
  it('gives each node the heaviest path starting at it, in insertion order', () => {
    expect([...fork().chainLengths()]).toEqual([
      ['a', 3],
      ['b', 2],
      ['c', 2],
      ['d', 1],
    ]);
    expect(Object.fromEntries(fork().chainLengths(duration))).toEqual({ a: 11, b: 5, c: 6, d: 4 });
  });

  it('agrees with criticalPath and with its own recurrence', () => {
    fc.assert(
      fc.property(arbitraryDag(), fc.array(fc.nat({ max: 9 }), { minLength: 12, maxLength: 12 }), ({ nodes }, table) => {
        const graph = DependencyGraph.fromNodes(nodes);
        const weight = (id: string) => table[graph.ids().indexOf(id)] ?? 0;
        const chains = graph.chainLengths(weight);
        const { path, length } = graph.criticalPath(weight);
        expect(Math.max(0, ...chains.values())).toBe(length);
        if (path[0] !== undefined) expect(chains.get(path[0])).toBe(length);
        for (const id of graph.ids()) {
          const next = graph.dependentsOf(id).map((dependent) => chains.get(dependent) ?? 0);
          expect(chains.get(id)).toBe(weight(id) + Math.max(0, ...next));
        }
      }),
    );
  });
});
