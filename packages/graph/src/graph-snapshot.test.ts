import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DependencyGraph } from './dependency-graph.js';
import type { GraphError } from './graph-error.js';
import { isGraphError } from './graph-error.js';
import type { GraphSnapshot } from './graph-snapshot.js';
import { arbitraryDag } from '@sdp/internal/testing';

function rejection(snapshot: unknown): GraphError {
  try {
    DependencyGraph.fromSnapshot(snapshot as GraphSnapshot);
  } catch (error) {
    if (isGraphError(error)) return error;
    throw error;
  }
  throw new Error('expected a GraphError');
}

const messages = (snapshot: unknown) => rejection(snapshot).issues.map((issue) => issue.message);

const graph = () =>
  DependencyGraph.fromNodes([
    { id: 'c', dependsOn: ['b', 'a', 'b'] },
    { id: 'a' },
    { id: 'b', dependsOn: ['a'] },
    { id: 'd', dependsOn: ['c'] },
  ]);

const valid = (): GraphSnapshot => ({
  nodes: [
    { id: 'a', depends_on: [], indegree: 0, completed: false },
    { id: 'b', depends_on: ['a'], indegree: 1, completed: false },
  ],
  edges: { a: ['b'] },
});

describe('snapshot', () => {
  it("writes the seed's graph JSON: nodes in insertion order, edges only for nodes with dependents", () => {
    expect(graph().snapshot()).toEqual({
      nodes: [
        { id: 'c', depends_on: ['b', 'a'], indegree: 2, completed: false },
        { id: 'a', depends_on: [], indegree: 0, completed: false },
        { id: 'b', depends_on: ['a'], indegree: 1, completed: false },
        { id: 'd', depends_on: ['c'], indegree: 1, completed: false },
      ],
      edges: { c: ['d'], a: ['c', 'b'], b: ['c'] },
    });
    expect(new DependencyGraph().snapshot()).toEqual({ nodes: [], edges: {} });
  });

  it('counts only dependencies not completed in indegree', () => {
    const snapshot = graph().snapshot(new Set(['a', 'c']));
    expect(snapshot.nodes.map(({ id, indegree, completed }) => [id, indegree, completed])).toEqual([
      ['c', 1, true],
      ['a', 0, true],
      ['b', 0, false],
      ['d', 0, false],
    ]);
  });

  it('survives a JSON round trip unchanged', () => {
    const original = graph();
    const snapshot = original.snapshot(['a']);
    const restored = DependencyGraph.fromSnapshot(JSON.parse(JSON.stringify(snapshot)) as GraphSnapshot);
    expect(restored.ids()).toEqual(original.ids());
    expect(restored.nodes()).toEqual(original.nodes());
    expect(restored.fingerprint()).toBe(original.fingerprint());
    expect(restored.snapshot(['a'])).toEqual(snapshot);
  });

  it('keeps ids that are names of Object.prototype members as ordinary keys', () => {
    const original = DependencyGraph.fromNodes([
      { id: '__proto__' },
      { id: 'constructor', dependsOn: ['__proto__'] },
      { id: 'toString', dependsOn: ['constructor'] },
      { id: '10', dependsOn: ['toString'] },
    ]);
    const snapshot = original.snapshot();
    expect(Object.getPrototypeOf(snapshot.edges)).toBe(Object.prototype);
    expect(Object.keys(snapshot.edges)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(snapshot.edges['__proto__']).toEqual(['constructor']);
    const json = JSON.parse(JSON.stringify(snapshot)) as GraphSnapshot;
    expect(DependencyGraph.fromSnapshot(json).fingerprint()).toBe(original.fingerprint());
  });

  it('round-trips any graph and any progress, also through JSON', () => {
    fc.assert(
      fc.property(arbitraryDag(), fc.func(fc.boolean()), ({ nodes }, isDone) => {
        const original = DependencyGraph.fromNodes(nodes);
        const completed = original.ids().filter((id) => isDone(id));
        const snapshot = original.snapshot(completed);
        for (const node of snapshot.nodes) {
          expect(node.completed).toBe(completed.includes(node.id));
          expect(node.indegree).toBe(node.depends_on.filter((dependency) => !completed.includes(dependency)).length);
        }
        for (const copy of [snapshot, JSON.parse(JSON.stringify(snapshot)) as GraphSnapshot]) {
          const restored = DependencyGraph.fromSnapshot(copy);
          expect(restored.fingerprint()).toBe(original.fingerprint());
          expect(restored.nodes()).toEqual(original.nodes());
          expect(restored.snapshot(completed)).toEqual(snapshot);
        }
      }),
    );
  });
});

describe('fromSnapshot', () => {
  it('accepts null for empty lists and maps, as Go writes them, and ignores unknown keys', () => {
    const goStyle = {
      nodes: [
        { id: 'a', depends_on: null, indegree: 0, completed: true },
        { id: 'b', depends_on: ['a'], indegree: 0, completed: false, note: 'extra' },
      ],
      edges: { a: ['b'], b: null },
      version: 2,
    };
    expect(DependencyGraph.fromSnapshot(goStyle as unknown as GraphSnapshot).nodes()).toEqual([
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: ['a'] },
    ]);
    expect(DependencyGraph.fromSnapshot({ nodes: null, edges: null } as unknown as GraphSnapshot).size).toBe(0);
  });

  it('tolerates repeats in depends_on and in edges, and empty edge lists', () => {
    const snapshot = valid();
    snapshot.nodes[1]!.depends_on = ['a', 'a'];
    snapshot.edges = { a: ['b', 'b'], b: [] };
    expect(DependencyGraph.fromSnapshot(snapshot).dependenciesOf('b')).toEqual(['a']);
  });

  it('does not hold indegree against the snapshot (it is progress, not structure)', () => {
    const snapshot = valid();
    snapshot.nodes[1]!.indegree = 0;
    expect(DependencyGraph.fromSnapshot(snapshot).size).toBe(2);
  });

  it('rejects something that is not a snapshot object', () => {
    for (const [value, shown] of [
      [null, 'null'],
      [[], 'an array'],
      ['{}', '"{}"'],
    ] as const) {
      const error = rejection(value);
      expect(error.code).toBe('GRAPH_INVALID_SNAPSHOT');
      expect(error.message).toBe(`invalid snapshot: expected an object with "nodes" and "edges", got ${shown}`);
    }
  });

  it('rejects missing or mistyped nodes and edges', () => {
    expect(messages({})).toEqual(['invalid snapshot: "nodes" is missing', 'invalid snapshot: "edges" is missing']);
    expect(messages({ nodes: undefined, edges: {} })).toEqual(['invalid snapshot: "nodes" is missing']);
    expect(messages({ nodes: {}, edges: [] })).toEqual([
      'invalid snapshot: "nodes" must be an array, got an object',
      'invalid snapshot: "edges" must be an object of id to dependents, got an array',
    ]);
  });

  it('rejects every mistyped node field at once, naming where', () => {
    const error = rejection({
      nodes: [
        7,
        { id: 1, depends_on: [], indegree: 0, completed: false },
        { id: 'b', depends_on: 'a', indegree: -1, completed: 'no' },
        { id: 'c', depends_on: ['a', 2], indegree: 1.5 },
        { id: 'd', indegree: 0, completed: false },
      ],
      edges: { a: 'b', b: [3] },
    });
    expect(error.code).toBe('GRAPH_INVALID_SNAPSHOT');
    expect(error.issues.map((issue) => issue.message)).toEqual([
      'invalid snapshot: nodes[0] must be an object, got 7',
      'invalid snapshot: nodes[1].id must be a string, got 1',
      'invalid snapshot: nodes[2].depends_on must be an array of ids, got "a"',
      'invalid snapshot: nodes[2].indegree must be a non-negative integer, got -1',
      'invalid snapshot: nodes[2].completed must be a boolean, got "no"',
      'invalid snapshot: nodes[3].depends_on[1] must be a string, got 2',
      'invalid snapshot: nodes[3].indegree must be a non-negative integer, got 1.5',
      'invalid snapshot: nodes[3].completed must be a boolean, got undefined',
      'invalid snapshot: nodes[4].depends_on must be an array of ids, got undefined',
      'invalid snapshot: edges["a"] must be an array of ids, got "b"',
      'invalid snapshot: edges["b"][0] must be a string, got 3',
    ]);
    expect(error.issues[2]).toMatchObject({ nodeId: 'b' });
    expect(error.message.split('\n')[0]).toBe('11 problems in the dependency graph:');
  });

  it('rejects the graph problems fromNodes rejects', () => {
    const node = (id: string, dependsOn: string[]) => ({ id, depends_on: dependsOn, indegree: 0, completed: false });
    expect(messages({ nodes: [node('a', ['x'])], edges: {} })).toEqual(['node "a" depends on missing node "x"']);
    expect(messages({ nodes: [node('a', []), node('a', [])], edges: {} })).toEqual(['duplicate node "a"']);
    expect(messages({ nodes: [node('a', ['a'])], edges: {} })).toEqual(['node "a" depends on itself']);
    expect(messages({ nodes: [node('a\t', [])], edges: {} })).toEqual([
      'invalid node id "a\\t": must not have leading or trailing whitespace',
    ]);
    const cyclic = rejection({ nodes: [node('a', ['b']), node('b', ['a'])], edges: { a: ['b'], b: ['a'] } });
    expect(cyclic.code).toBe('GRAPH_CYCLE');
    expect(cyclic.cycle).toEqual(['a', 'b', 'a']);
  });

  it('rejects edges that disagree with depends_on, naming the ids', () => {
    const snapshot = {
      nodes: [
        { id: 'a', depends_on: [], indegree: 0, completed: false },
        { id: 'b', depends_on: ['a'], indegree: 1, completed: false },
        { id: 'c', depends_on: ['a'], indegree: 1, completed: false },
        { id: 'd', depends_on: ['a', 'b'], indegree: 2, completed: false },
      ],
      edges: { a: ['b', 'x', 'y'], b: ['c', 'd'], c: ['a', 'b'], z: ['a'] },
    };
    const error = rejection(snapshot);
    expect(error.code).toBe('GRAPH_INVALID_SNAPSHOT');
    expect(error.issues).toEqual([
      { code: 'GRAPH_INVALID_SNAPSHOT', message: 'invalid snapshot: edges["a"] lists unknown nodes "x", "y"', nodeId: 'a' },
      { code: 'GRAPH_INVALID_SNAPSHOT', message: 'invalid snapshot: edges["a"] omits "c", "d", which depend on "a"', nodeId: 'a' },
      { code: 'GRAPH_INVALID_SNAPSHOT', message: 'invalid snapshot: edges["b"] lists "c", which does not depend on "b"', nodeId: 'b' },
      {
        code: 'GRAPH_INVALID_SNAPSHOT',
        message: 'invalid snapshot: edges["c"] lists "a", "b", which do not depend on "c"',
        nodeId: 'c',
      },
      { code: 'GRAPH_INVALID_SNAPSHOT', message: 'invalid snapshot: edges has an entry for unknown node "z"', nodeId: 'z' },
    ]);
  });

  it('rejects a snapshot whose edges left out a whole entry', () => {
    const snapshot = valid();
    snapshot.edges = {};
    expect(messages(snapshot)).toEqual(['invalid snapshot: edges["a"] omits "b", which depends on "a"']);
  });

  it('reports graph problems and edge problems together, cycles last', () => {
    const error = rejection({
      nodes: [
        { id: 'a', depends_on: ['b'], indegree: 1, completed: false },
        { id: 'b', depends_on: ['a', 'x'], indegree: 2, completed: false },
      ],
      edges: { a: ['b'] },
    });
    expect(error.issues.map((issue) => issue.code)).toEqual(['GRAPH_MISSING_DEPENDENCY', 'GRAPH_INVALID_SNAPSHOT', 'GRAPH_CYCLE']);
    expect(error.issues[1]?.message).toBe('invalid snapshot: edges["b"] omits "a", which depends on "b"');
  });
});
