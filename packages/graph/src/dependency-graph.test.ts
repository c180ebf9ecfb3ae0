import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DependencyGraph } from './dependency-graph.js';
import type { GraphError } from './graph-error.js';
import { isGraphError } from './graph-error.js';
import { arbitraryDag, reachable } from '@sdp/internal/testing';

function graphError(build: () => unknown): GraphError {
  try {
    build();
  } catch (error) {
    if (isGraphError(error)) return error;
    throw error;
  }
  throw new Error('expected a GraphError');
}

/** c depends on a and b, b on a (twice), d on c; given out of order. */
const diamond = () =>
  DependencyGraph.fromNodes([
    { id: 'c', dependsOn: ['b', 'a'] },
    { id: 'a' },
    { id: 'b', dependsOn: ['a', 'a'] },
    { id: 'd', dependsOn: ['c'] },
  ]);

describe('DependencyGraph construction', () => {
  it('starts empty', () => {
    const graph = new DependencyGraph();
    expect(graph.size).toBe(0);
    expect(graph.ids()).toEqual([]);
    expect(graph.nodes()).toEqual([]);
    expect(graph.topologicalOrder()).toEqual([]);
    expect(graph.levels()).toEqual([]);
  });

  it('builds from nodes in any order, keeping insertion order and de-duplicating dependencies', () => {
    const graph = diamond();
    expect(graph.size).toBe(4);
    expect(graph.ids()).toEqual(['c', 'a', 'b', 'd']);
    expect(graph.nodes()).toEqual([
      { id: 'c', dependsOn: ['b', 'a'] },
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'd', dependsOn: ['c'] },
    ]);
    expect(graph.has('a')).toBe(true);
    expect(graph.has('x')).toBe(false);
    expect(graph.ids().map((id) => graph.indexOf(id))).toEqual([0, 1, 2, 3]);
    expect(graph.indexOf('x')).toBe(-1);
  });

  it('accepts any iterable of nodes and nodes without dependsOn', () => {
    const nodes = new Map([
      ['a', { id: 'a' }],
      ['b', { id: 'b', dependsOn: ['a'] }],
    ]);
    expect(DependencyGraph.fromNodes(nodes.values()).topologicalOrder()).toEqual(['a', 'b']);
  });

  it('adds nodes one by one, chaining, and keeps derived data current', () => {
    const graph = new DependencyGraph().addNode('a').addNode('b', ['a']);
    expect(graph.topologicalOrder()).toEqual(['a', 'b']);
    const before = graph.fingerprint();
    expect(graph.addNode('c', ['a', 'b', 'a'])).toBe(graph);
    expect(graph.topologicalOrder()).toEqual(['a', 'b', 'c']);
    expect(graph.indexOf('c')).toBe(2);
    expect(graph.dependenciesOf('c')).toEqual(['a', 'b']);
    expect(graph.dependentsOf('a')).toEqual(['b', 'c']);
    expect(graph.fingerprint()).not.toBe(before);
  });

  it('rebuilds itself from nodes()', () => {
    const graph = diamond();
    const copy = DependencyGraph.fromNodes(graph.nodes());
    expect(copy.ids()).toEqual(graph.ids());
    expect(copy.fingerprint()).toBe(graph.fingerprint());
  });

  it('hands out copies, so callers cannot corrupt the graph', () => {
    const graph = diamond();
    (graph.ids() as string[]).push('x');
    (graph.dependenciesOf('c') as string[]).push('x');
    graph.topologicalOrder().pop();
    expect(graph.ids()).toEqual(['c', 'a', 'b', 'd']);
    expect(graph.dependenciesOf('c')).toEqual(['b', 'a']);
    expect(graph.topologicalOrder()).toHaveLength(4);
  });
});

describe('DependencyGraph validation', () => {
  it('reports a cycle in "depends on" direction with the first id repeated', () => {
    const error = graphError(() =>
      DependencyGraph.fromNodes([
        { id: 'a', dependsOn: ['b'] },
        { id: 'b', dependsOn: ['c'] },
        { id: 'c', dependsOn: ['a'] },
      ]),
    );
    expect(error.name).toBe('GraphError');
    expect(error.code).toBe('GRAPH_CYCLE');
    expect(error.message).toBe('cycle: a -> b -> c -> a');
    expect(error.cycle).toEqual(['a', 'b', 'c', 'a']);
    expect(error.issues).toEqual([{ code: 'GRAPH_CYCLE', message: 'cycle: a -> b -> c -> a', nodeId: 'a', cycle: ['a', 'b', 'c', 'a'] }]);
  });

  it('reports a missing dependency once, naming the node and the missing id', () => {
    const error = graphError(() => DependencyGraph.fromNodes([{ id: 'a', dependsOn: ['x', 'x'] }]));
    expect(error.code).toBe('GRAPH_MISSING_DEPENDENCY');
    expect(error.message).toBe('node "a" depends on missing node "x"');
    expect(error.issues).toEqual([
      { code: 'GRAPH_MISSING_DEPENDENCY', message: 'node "a" depends on missing node "x"', nodeId: 'a', dependencyId: 'x' },
    ]);
    expect(error.cycle).toBeUndefined();
  });

  it('reports a duplicate node', () => {
    const error = graphError(() => DependencyGraph.fromNodes([{ id: 'a' }, { id: 'a' }]));
    expect(error.code).toBe('GRAPH_DUPLICATE_NODE');
    expect(error.message).toBe('duplicate node "a"');
    expect(error.issues).toEqual([{ code: 'GRAPH_DUPLICATE_NODE', message: 'duplicate node "a"', nodeId: 'a' }]);
  });

  it('reports a self-dependency once, not as a cycle', () => {
    const error = graphError(() => DependencyGraph.fromNodes([{ id: 'a', dependsOn: ['a', 'a'] }]));
    expect(error.code).toBe('GRAPH_SELF_DEPENDENCY');
    expect(error.message).toBe('node "a" depends on itself');
    expect(error.issues).toEqual([{ code: 'GRAPH_SELF_DEPENDENCY', message: 'node "a" depends on itself', nodeId: 'a' }]);
  });

  it('reports invalid ids of nodes and of dependencies', () => {
    const error = graphError(() =>
      DependencyGraph.fromNodes([
        { id: ' a' },
        { id: 5 as unknown as string },
        { id: 'b', dependsOn: ['', 7 as unknown as string] },
        { id: 'c\u0007' },
      ]),
    );
    expect(error.code).toBe('GRAPH_INVALID_ID');
    expect(error.issues).toEqual([
      {
        code: 'GRAPH_INVALID_ID',
        message: 'invalid node id " a": must not have leading or trailing whitespace',
        nodeId: ' a',
      },
      { code: 'GRAPH_INVALID_ID', message: 'invalid node id at nodes[1]: expected a string, got 5' },
      {
        code: 'GRAPH_INVALID_ID',
        message: 'node "b" has an invalid dependency id "": must not be empty',
        nodeId: 'b',
        dependencyId: '',
      },
      { code: 'GRAPH_INVALID_ID', message: 'node "b" has an invalid dependency id: expected a string, got 7', nodeId: 'b' },
      { code: 'GRAPH_INVALID_ID', message: 'invalid node id "c\\u0007": must not contain control characters', nodeId: 'c\u0007' },
    ]);
  });

  it('does not also call a reference to an invalid node missing', () => {
    const error = graphError(() => DependencyGraph.fromNodes([{ id: 'a ' }, { id: 'b', dependsOn: ['a '] }]));
    expect(error.issues.map((issue) => issue.code)).toEqual(['GRAPH_INVALID_ID']);
  });

  it('lists every problem, in input order with cycles last, under a summary line', () => {
    const error = graphError(() =>
      DependencyGraph.fromNodes([
        { id: 'a', dependsOn: ['b'] },
        { id: 'b', dependsOn: ['a'] },
        { id: 'c', dependsOn: ['x'] },
        { id: 'd', dependsOn: ['d'] },
        { id: 'c' },
        { id: 'e', dependsOn: ['f'] },
        { id: 'f', dependsOn: ['e'] },
      ]),
    );
    expect(error.code).toBe('GRAPH_MISSING_DEPENDENCY');
    expect(error.cycle).toEqual(['a', 'b', 'a']);
    expect(error.message).toBe(
      [
        '5 problems in the dependency graph:',
        '- node "c" depends on missing node "x"',
        '- node "d" depends on itself',
        '- duplicate node "c"',
        '- cycle: a -> b -> a',
        '- cycle: e -> f -> e',
      ].join('\n'),
    );
    expect(error.issues).toHaveLength(5);
  });

  it('finds a cycle through every node of a tangle, shortest first', () => {
    const error = graphError(() =>
      DependencyGraph.fromNodes([
        { id: 'a', dependsOn: ['b', 'c'] },
        { id: 'b', dependsOn: ['a'] },
        { id: 'c', dependsOn: ['d'] },
        { id: 'd', dependsOn: ['a'] },
        { id: 'x', dependsOn: ['a'] },
      ]),
    );
    expect(error.issues.map((issue) => issue.message)).toEqual(['cycle: a -> b -> a', 'cycle: c -> d -> a -> c']);
  });

  it('rejects input that is not an iterable of node objects with a TypeError', () => {
    expect(() => DependencyGraph.fromNodes(5 as unknown as [])).toThrow(
      new TypeError('fromNodes: nodes must be an iterable of { id, dependsOn }, got 5'),
    );
    expect(() => DependencyGraph.fromNodes([null as unknown as { id: string }])).toThrow(
      new TypeError('fromNodes: nodes[0] must be an object { id, dependsOn }, got null'),
    );
    expect(() => DependencyGraph.fromNodes([{ id: 'a', dependsOn: 'b' as unknown as string[] }])).toThrow(
      new TypeError('fromNodes: nodes[0].dependsOn must be an array of ids, got "b"'),
    );
  });

  it('reports every problem of addNode and leaves the graph unchanged', () => {
    const graph = new DependencyGraph().addNode('a');
    const fingerprint = graph.fingerprint();
    expect(graphError(() => graph.addNode('a', ['a', 'x', ' y'])).issues).toEqual([
      { code: 'GRAPH_DUPLICATE_NODE', message: 'duplicate node "a"', nodeId: 'a' },
      { code: 'GRAPH_SELF_DEPENDENCY', message: 'node "a" depends on itself', nodeId: 'a' },
      { code: 'GRAPH_MISSING_DEPENDENCY', message: 'node "a" depends on missing node "x"', nodeId: 'a', dependencyId: 'x' },
      {
        code: 'GRAPH_INVALID_ID',
        message: 'node "a" has an invalid dependency id " y": must not have leading or trailing whitespace',
        nodeId: 'a',
        dependencyId: ' y',
      },
    ]);
    expect(graphError(() => graph.addNode('b', ['c'])).message).toBe('node "b" depends on missing node "c"');
    expect(graphError(() => graph.addNode('')).message).toBe('invalid node id "": must not be empty');
    expect(graphError(() => graph.addNode(1 as unknown as string)).message).toBe('invalid node id: expected a string, got 1');
    expect(() => graph.addNode('b', 'a' as unknown as string[])).toThrow(
      new TypeError('addNode: dependsOn must be an array of ids, got "a"'),
    );
    expect(graph.ids()).toEqual(['a']);
    expect(graph.fingerprint()).toBe(fingerprint);
  });
});

describe('DependencyGraph queries', () => {
  it('answers dependencies, dependents and transitive dependents', () => {
    const graph = diamond();
    expect(graph.dependenciesOf('c')).toEqual(['b', 'a']);
    expect(graph.dependenciesOf('a')).toEqual([]);
    expect(graph.dependentsOf('a')).toEqual(['c', 'b']);
    expect(graph.dependentsOf('d')).toEqual([]);
    expect(graph.descendantsOf('a')).toEqual(['b', 'c', 'd']);
    expect(graph.descendantsOf('c')).toEqual(['d']);
    expect(graph.descendantsOf('d')).toEqual([]);
  });

  it('orders topologically, ties by insertion order', () => {
    const graph = DependencyGraph.fromNodes([{ id: 'z', dependsOn: ['y'] }, { id: 'x' }, { id: 'y' }, { id: 'w', dependsOn: ['x'] }]);
    expect(graph.topologicalOrder()).toEqual(['x', 'y', 'z', 'w']);
    expect(graph.levels()).toEqual([
      ['x', 'y'],
      ['z', 'w'],
    ]);
  });

  it('throws a TypeError naming the operation for unknown or non-string ids', () => {
    const graph = diamond();
    expect(() => graph.dependenciesOf('x')).toThrow(new TypeError('dependenciesOf: unknown node id "x"'));
    expect(() => graph.dependentsOf('x')).toThrow(new TypeError('dependentsOf: unknown node id "x"'));
    expect(() => graph.descendantsOf('x')).toThrow(new TypeError('descendantsOf: unknown node id "x"'));
    expect(() => graph.dependenciesOf(3 as unknown as string)).toThrow(
      new TypeError('dependenciesOf: expected a node id string, got number'),
    );
    expect(() => graph.snapshot(['a', 'x'])).toThrow(new TypeError('snapshot: completed: unknown node id "x"'));
    expect(() => graph.snapshot('a')).toThrow(new TypeError('snapshot: completed must be an iterable of node ids, got string'));
  });

  it('gives the same answers every time for the same input', () => {
    fc.assert(
      fc.property(arbitraryDag(), ({ nodes }) => {
        const answers = (graph: DependencyGraph) => ({
          order: graph.topologicalOrder(),
          levels: graph.levels(),
          path: graph.criticalPath(),
          chains: [...graph.chainLengths()],
          descendants: graph.ids().map((id) => graph.descendantsOf(id)),
          snapshot: graph.snapshot(),
          fingerprint: graph.fingerprint(),
        });
        const first = DependencyGraph.fromNodes(nodes);
        expect(answers(DependencyGraph.fromNodes(nodes))).toEqual(answers(first));
        expect(answers(first)).toEqual(answers(first));
      }),
    );
  });

  it('orders every dependency first, choosing the earliest inserted available node each time', () => {
    fc.assert(
      fc.property(arbitraryDag(), ({ nodes, dependsOn }) => {
        const order = DependencyGraph.fromNodes(nodes).topologicalOrder();
        // Reference: the naive quadratic Kahn that always picks the earliest inserted available node.
        const placed = new Set<string>();
        const expected: string[] = [];
        while (expected.length < nodes.length) {
          const next = nodes.find(({ id }) => !placed.has(id) && (dependsOn.get(id) ?? []).every((dependency) => placed.has(dependency)));
          if (next === undefined) throw new Error('reference found a cycle');
          placed.add(next.id);
          expected.push(next.id);
        }
        expect(order).toEqual(expected);
      }),
    );
  });

  it('comes back in insertion order when nodes were added with addNode', () => {
    fc.assert(
      fc.property(arbitraryDag(), ({ nodes }) => {
        const built = new DependencyGraph();
        for (const id of DependencyGraph.fromNodes(nodes).topologicalOrder()) {
          built.addNode(id, nodes.find((node) => node.id === id)?.dependsOn);
        }
        expect(built.topologicalOrder()).toEqual(built.ids());
      }),
    );
  });

  it('levels partition the nodes; each node sits one wave after its deepest dependency', () => {
    fc.assert(
      fc.property(arbitraryDag(), ({ nodes, dependsOn }) => {
        const graph = DependencyGraph.fromNodes(nodes);
        const levels = graph.levels();
        const levelOf = new Map(levels.flatMap((wave, level) => wave.map((id) => [id, level] as const)));
        expect(levels.flat().sort()).toEqual(graph.ids().slice().sort());
        expect(levelOf.size).toBe(graph.size);
        const insertion = new Map(graph.ids().map((id, index) => [id, index]));
        for (const wave of levels) {
          expect(wave.length).toBeGreaterThan(0);
          expect(wave).toEqual([...wave].sort((a, b) => (insertion.get(a) ?? 0) - (insertion.get(b) ?? 0)));
        }
        for (const [id, level] of levelOf) {
          const deps = dependsOn.get(id) ?? [];
          for (const dependency of deps) expect(levelOf.get(dependency)).toBeLessThan(level);
          expect(level).toBe(deps.length === 0 ? 0 : Math.max(...deps.map((d) => levelOf.get(d) ?? 0)) + 1);
        }
      }),
    );
  });

  it('lists exactly the transitive dependents, in topological order', () => {
    fc.assert(
      fc.property(arbitraryDag(), ({ nodes }) => {
        const graph = DependencyGraph.fromNodes(nodes);
        const position = new Map(graph.topologicalOrder().map((id, index) => [id, index]));
        for (const id of graph.ids()) {
          const descendants = graph.descendantsOf(id);
          expect(new Set(descendants)).toEqual(reachable(id, (from) => graph.dependentsOf(from)));
          const positions = descendants.map((descendant) => position.get(descendant) ?? 0);
          expect(positions).toEqual([...positions].sort((a, b) => a - b));
        }
      }),
    );
  });
});

// Big inputs: seconds of headroom for a loaded 2-core machine (speed targets live in `pnpm bench`).
describe('DependencyGraph at scale', { timeout: 30_000 }, () => {
  it('handles a 100k-long chain given backwards without deep recursion', () => {
    const length = 100_000;
    const id = (i: number) => `ws-${i}`;
    const nodes = Array.from({ length }, (_, k) => {
      const i = length - 1 - k;
      return i === 0 ? { id: id(0) } : { id: id(i), dependsOn: [id(i - 1)] };
    });
    const graph = DependencyGraph.fromNodes(nodes);
    const order = graph.topologicalOrder();
    expect(order[0]).toBe('ws-0');
    expect(order[length - 1]).toBe(id(length - 1));
    expect(graph.levels()).toHaveLength(length);
    expect(graph.criticalPath().length).toBe(length);
    expect(graph.descendantsOf('ws-0')).toHaveLength(length - 1);
    expect(DependencyGraph.fromSnapshot(graph.snapshot()).fingerprint()).toBe(graph.fingerprint());
    const ready = graph.readySet();
    let completed = 0;
    for (let next = ready.take(); next !== undefined; next = ready.take()) {
      ready.complete(next);
      completed++;
    }
    expect(completed).toBe(length);
  });

  it('reports a 100k-long cycle without deep recursion', () => {
    const length = 100_000;
    const nodes = Array.from({ length }, (_, i) => ({ id: `ws-${i}`, dependsOn: [`ws-${(i + 1) % length}`] }));
    const error = graphError(() => DependencyGraph.fromNodes(nodes));
    expect(error.issues).toHaveLength(1);
    expect(error.cycle).toHaveLength(length + 1);
    expect(error.cycle?.slice(0, 3)).toEqual(['ws-0', 'ws-1', 'ws-2']);
    expect(error.cycle?.at(-1)).toBe('ws-0');
  });
});
