import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DependencyGraph } from './dependency-graph.js';
import { arbitraryDag } from '@sdp/internal/testing';

const base = [{ id: 'a' }, { id: 'b', dependsOn: ['a'] }, { id: 'c', dependsOn: ['a', 'b'] }];
const fingerprint = (nodes: Parameters<typeof DependencyGraph.fromNodes>[0]) => DependencyGraph.fromNodes(nodes).fingerprint();

describe('fingerprint', () => {
  // Checkpoints store fingerprints, so the encoding is pinned: sha256 of
  // 'sdp-graph-fingerprint/1\n["a",[]]\n["b",["a"]]\n["c",["a","b"]]\n' (checked with Python's hashlib).
  it('is a sha256 over a versioned canonical encoding', () => {
    expect(fingerprint(base)).toBe('sha256:8ebe5ab7c07330f680a6bd0fe85888f02404b6b9c7d06df7438b337aaa430abe');
    expect(new DependencyGraph().fingerprint()).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('ignores insertion order, dependency order, repeats, the way of building and progress', () => {
    const expected = fingerprint(base);
    expect(fingerprint([base[2]!, base[0]!, base[1]!])).toBe(expected);
    expect(fingerprint([{ id: 'c', dependsOn: ['b', 'a', 'b'] }, { id: 'b', dependsOn: ['a', 'a'] }, { id: 'a' }])).toBe(expected);
    expect(new DependencyGraph().addNode('a').addNode('b', ['a']).addNode('c', ['b', 'a']).fingerprint()).toBe(expected);
    const graph = DependencyGraph.fromNodes(base);
    expect(DependencyGraph.fromSnapshot(graph.snapshot(['a', 'b'])).fingerprint()).toBe(expected);
  });

  it('changes with any structural change', () => {
    const expected = fingerprint(base);
    const variants = [
      [...base, { id: 'd' }],
      base.slice(0, 2),
      [base[0]!, base[1]!, { id: 'c', dependsOn: ['a'] }],
      [base[0]!, { id: 'b' }, base[2]!],
      [{ id: 'A' }, { id: 'b', dependsOn: ['A'] }, { id: 'c', dependsOn: ['A', 'b'] }],
      [{ id: 'a' }, { id: 'b', dependsOn: ['a'] }, { id: 'c', dependsOn: ['b'] }],
    ];
    const seen = new Set([expected]);
    for (const variant of variants) seen.add(fingerprint(variant));
    expect(seen.size).toBe(variants.length + 1);
  });

  it('is not fooled by ids that look like the encoding', () => {
    expect(fingerprint([{ id: 'a"],["b' }])).not.toBe(fingerprint([{ id: 'a' }, { id: 'b' }]));
    expect(fingerprint([{ id: 'a,b' }])).not.toBe(fingerprint([{ id: 'a' }, { id: 'b' }]));
  });

  it('is the same for any shuffle of the same structure and differs after adding an edge', () => {
    fc.assert(
      fc.property(arbitraryDag(), fc.nat(), fc.nat(), ({ nodes }, seed, pick) => {
        const graph = DependencyGraph.fromNodes(nodes);
        const shuffled = [...nodes]
          .map((node, i) => ({ node, key: (i * 7919 + seed) % 101 }))
          .sort((x, y) => x.key - y.key)
          .map(({ node }) => ({ id: node.id, dependsOn: [...node.dependsOn].reverse() }));
        expect(DependencyGraph.fromNodes(shuffled).fingerprint()).toBe(graph.fingerprint());
        // Add one edge that keeps the graph acyclic: a later node in topological order gains an earlier one.
        const order = graph.topologicalOrder();
        const from = order[pick % Math.max(1, order.length)];
        const to = order.slice(order.indexOf(from ?? '') + 1).find((id) => !graph.dependenciesOf(id).includes(from ?? ''));
        if (from === undefined || to === undefined) return;
        const extended = graph.nodes().map((node) => (node.id === to ? { id: to, dependsOn: [...(node.dependsOn ?? []), from] } : node));
        expect(DependencyGraph.fromNodes(extended).fingerprint()).not.toBe(graph.fingerprint());
      }),
    );
  });
});
