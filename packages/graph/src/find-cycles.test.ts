import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DependencyGraph } from './dependency-graph.js';
import { isGraphError } from './graph-error.js';
import { arbitraryGraph, reachable } from '@sdp/internal/testing';

describe('cycle detection', () => {
  it('accepts exactly the acyclic graphs and reports a real cycle in every tangle', () => {
    fc.assert(
      fc.property(arbitraryGraph(), ({ nodes, dependsOn }) => {
        const next = (id: string) => dependsOn.get(id) ?? [];
        const onCycle = nodes.map(({ id }) => id).filter((id) => reachable(id, next).has(id));
        let cycles: (readonly string[])[] = [];
        try {
          DependencyGraph.fromNodes(nodes);
        } catch (error) {
          if (!isGraphError(error)) throw error;
          expect(error.issues.every((issue) => issue.code === 'GRAPH_CYCLE')).toBe(true);
          cycles = error.issues.map((issue) => issue.cycle ?? []);
          expect(error.cycle).toEqual(cycles[0]);
        }
        expect(cycles.length === 0).toBe(onCycle.length === 0);
        for (const cycle of cycles) {
          expect(cycle.length).toBeGreaterThanOrEqual(3);
          expect(cycle.at(-1)).toBe(cycle[0]);
          expect(new Set(cycle.slice(0, -1)).size).toBe(cycle.length - 1);
          for (let i = 0; i + 1 < cycle.length; i++) expect(next(cycle[i] ?? '')).toContain(cycle[i + 1]);
        }
        // Every node on a cycle lies in a tangle (strongly connected component) that has a reported cycle.
        const covered = new Set(cycles.flat());
        for (const id of onCycle) {
          const tangle = [...reachable(id, next)].filter((other) => reachable(other, next).has(id));
          expect(tangle.some((member) => covered.has(member))).toBe(true);
        }
      }),
    );
  });

  it('reports at most ten cycles for one tangle', () => {
    // Twenty 2-cycles through a hub: one tangle.
    const nodes = [
      { id: 'hub', dependsOn: Array.from({ length: 20 }, (_, i) => `s${i}`) },
      ...Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, dependsOn: ['hub'] })),
    ];
    try {
      DependencyGraph.fromNodes(nodes);
      expect.unreachable();
    } catch (error) {
      if (!isGraphError(error)) throw error;
      expect(error.issues.map((issue) => issue.message)).toEqual([
        'cycle: hub -> s0 -> hub',
        ...Array.from({ length: 9 }, (_, i) => `cycle: s${i + 1} -> hub -> s${i + 1}`),
      ]);
    }
  });
});
