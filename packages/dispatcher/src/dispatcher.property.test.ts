import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DependencyGraph } from '@sdp/graph';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dispatcher } from './dispatcher.js';
import type { Execute } from './attempt.js';

/** A random DAG: node i may depend on any earlier node, so every generated graph is acyclic. */
const dagArbitrary = fc
  .integer({ min: 1, max: 12 })
  .chain((size) => fc.array(fc.array(fc.boolean(), { minLength: size, maxLength: size }), { minLength: size, maxLength: size }))
  .map((matrix) =>
    matrix.map((row, i) => ({
      id: `ws${String(i).padStart(2, '0')}`,
      dependsOn: row.slice(0, i).flatMap((edge, j) => (edge ? [`ws${String(j).padStart(2, '0')}`] : [])),
    })),
  );

/** Lets the event loop turn `turns` times, so executors settle in an order the test case chooses. */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function ancestorsFailed(graph: DependencyGraph, id: string, failed: ReadonlySet<string>): boolean {
  return [...failed].some((failure) => graph.descendantsOf(failure).includes(id));
}

describe('Dispatcher properties', () => {
  it('respects dependencies and concurrency, and gives every workstream exactly one status', async () => {
    await fc.assert(
      fc.asyncProperty(
        dagArbitrary,
        fc.integer({ min: 1, max: 4 }),
        fc.func(fc.boolean()),
        fc.func(fc.integer({ min: 0, max: 3 })),
        async (nodes, concurrency, fails, delay) => {
          const graph = DependencyGraph.fromNodes(nodes);
          const completed = new Set<string>();
          const failed = new Set<string>();
          let inFlight = 0;
          let maxInFlight = 0;
          const execute: Execute = async (id) => {
            for (const dependency of graph.dependenciesOf(id)) expect(completed.has(dependency)).toBe(true);
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await turns(delay(id));
            inFlight -= 1;
            if (fails(id)) {
              failed.add(id);
              throw new Error(`${id} failed`);
            }
            completed.add(id);
          };
          const report = await new Dispatcher(graph, {
            featureId: 'F1',
            concurrency,
            checkpoint: false,
            breaker: { threshold: 1000, window: 1000 },
          }).run(execute);

          expect(maxInFlight).toBeLessThanOrEqual(concurrency);
          expect(report.results).toHaveLength(graph.size);
          for (const result of report.results) {
            if (failed.has(result.id)) expect(result.status).toBe('failed');
            else if (ancestorsFailed(graph, result.id, failed)) expect(result.status).toBe('skipped');
            else expect(result.status).toBe('completed');
          }
          const totals = Object.values(report.totals).reduce((sum, count) => sum + count, 0);
          expect(totals).toBe(graph.size);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a run interrupted at a random point then resumed completes everything, never rerunning a completed one', async () => {
    await fc.assert(
      fc.asyncProperty(
        dagArbitrary,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 12 }),
        fc.func(fc.integer({ min: 0, max: 3 })),
        async (nodes, concurrency, stopAfter, delay) => {
          const dir = await mkdtemp(join(tmpdir(), 'sdp-property-'));
          try {
            const graph = DependencyGraph.fromNodes(nodes);
            const options = { featureId: 'F1', concurrency, checkpoint: { dir }, gracePeriod: 0 };
            const completedFirst = new Set<string>();
            const controller = new AbortController();
            const first: Execute = async (id, { signal }) => {
              await turns(delay(id));
              signal.throwIfAborted();
              completedFirst.add(id);
              if (completedFirst.size >= stopAfter) controller.abort();
            };
            const report = await new Dispatcher(graph, options).run(first, { signal: controller.signal });
            for (const result of report.results) {
              expect(result.status === 'completed').toBe(completedFirst.has(result.id));
            }
            // Everything completed before the abort took effect: the checkpoint is gone, nothing to resume.
            if (report.totals.completed === graph.size) {
              expect(report.checkpoint?.kept).toBe(false);
              return;
            }

            const ranSecond: string[] = [];
            const second: Execute = async (id) => {
              await turns(delay(id));
              ranSecond.push(id);
            };
            const resumed = await new Dispatcher(graph, options).run(second);
            expect(resumed.outcome).toBe('completed');
            expect(resumed.totals.completed).toBe(graph.size);
            for (const id of ranSecond) expect(completedFirst.has(id)).toBe(false);
            expect(new Set([...completedFirst, ...ranSecond]).size).toBe(graph.size);
          } finally {
            await rm(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
