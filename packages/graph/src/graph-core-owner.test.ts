import { describe, expect, it } from 'vitest';
import { DependencyGraph } from './dependency-graph.js';
import { coreOf } from './graph-core-owner.js';

describe('coreOf', () => {
  it('reaches the core of a graph as it is now, and nothing else', () => {
    const graph = new DependencyGraph().addNode('a').addNode('b', ['a']);
    expect(coreOf(graph, 'op').size).toBe(2);
    graph.addNode('c', ['b']);
    expect(Array.from(coreOf(graph, 'op').order)).toEqual([0, 1, 2]);
    expect(() => coreOf({}, 'op')).toThrow(new TypeError('op: expected a DependencyGraph'));
    expect(() => coreOf(null, 'op')).toThrow(new TypeError('op: expected a DependencyGraph'));
  });
});
