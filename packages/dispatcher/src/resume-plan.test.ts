import type { Checkpoint } from '@sdp/checkpoint';
import { DependencyGraph } from '@sdp/graph';
import { describe, expect, it } from 'vitest';
import { planResume } from './resume-plan.js';

function graphOf(edges: Record<string, string[]>): DependencyGraph {
  return DependencyGraph.fromNodes(Object.entries(edges).map(([id, dependsOn]) => ({ id, dependsOn })));
}

function checkpointOf(graph: DependencyGraph, completed: string[], extra: Partial<Checkpoint> = {}): Checkpoint {
  return {
    version: '1.0',
    feature_id: 'F1',
    timestamp: '2026-01-01T00:00:00.000Z',
    completed,
    failed: [],
    graph: graph.snapshot(completed),
    circuit_breaker: null,
    ...extra,
  };
}

describe('planResume', () => {
  it('keeps every recorded completion when the graph is unchanged', () => {
    const graph = graphOf({ a: [], b: ['a'], c: ['b'] });
    const plan = planResume(graph, checkpointOf(graph, ['a', 'b'], { running: ['c'], durations_ms: { a: 40, zz: 1 } }));
    expect([...plan.completed]).toEqual(['a', 'b']);
    expect([...plan.interrupted]).toEqual(['c']);
    expect([...plan.durations]).toEqual([['a', 40]]);
    expect(plan.graphChanges).toBeUndefined();
  });

  it('drops completion for changed workstreams and everything downstream of them', () => {
    const before = graphOf({ a: [], b: ['a'], c: ['b'], d: [], old: [] });
    const after = graphOf({ a: [], b: ['a', 'd'], c: ['b'], d: [], fresh: ['a'] });
    const plan = planResume(after, checkpointOf(before, ['a', 'b', 'c', 'd', 'old']));
    expect([...plan.completed].sort()).toEqual(['a', 'd']);
    expect(plan.graphChanges).toEqual({ added: ['fresh'], removed: ['old'], changed: ['b'], invalidated: ['b', 'c'] });
  });

  it('trusts the recorded completion of a checkpoint that has no graph (as the Go implementation could write)', () => {
    const graph = graphOf({ a: [], b: ['a'] });
    const plan = planResume(graph, { ...checkpointOf(graph, ['a']), completed: ['a', 'ghost'], graph: null });
    expect([...plan.completed]).toEqual(['a']);
    expect(plan.graphChanges).toBeUndefined();
  });

  it('does not mark as interrupted a workstream that completed', () => {
    const graph = graphOf({ a: [], b: [] });
    const plan = planResume(graph, checkpointOf(graph, ['a'], { running: ['a', 'b', 'gone'] }));
    expect([...plan.interrupted]).toEqual(['b']);
  });
});
