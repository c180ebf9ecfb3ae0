import { Dispatcher } from '@sdp/dispatcher';
import { DependencyGraph, type GraphNode } from '@sdp/graph';
import { hashSeed, ManualClock, randomDag } from '@sdp/internal/testing';
import type { StoredRunRecord } from '../run-record.js';
import { RunRecorder } from '../run-recorder.js';
import { newRunId } from '../run-store.js';

export interface SimulatedRunOptions {
  /** The graph: given nodes, or a seeded random DAG of `size` nodes. */
  readonly nodes?: readonly GraphNode[];
  readonly size?: number;
  readonly seed?: number;
  readonly concurrency?: number;
  /** Fail on the first attempt, succeed on the retry. */
  readonly failOnce?: readonly string[];
  /** Fail every attempt (their dependents are skipped). */
  readonly failAlways?: readonly string[];
  /** Abort the run this many ms (of the manual clock) after it starts. */
  readonly cancelAfterMs?: number;
  readonly breaker?: { threshold: number; window: number; halfOpenAfterMs: number };
}

class SimulatedCommandError extends Error {
  override readonly name = 'CommandFailedError';
  readonly exitCode = 1;
}

/**
 * A real Dispatcher run on a manual clock (no checkpoint, one retry), each workstream taking a
 * duration drawn from its id, recorded by a RunRecorder: the records the renderers are tested on.
 */
export async function simulatedRun(options: SimulatedRunOptions): Promise<StoredRunRecord> {
  const nodes =
    options.nodes ??
    randomDag(options.size ?? 25, options.seed ?? 1, {
      maxDependencies: 2,
      window: 40,
      idOf: (index) => `00-001-${String(index + 1).padStart(2, '0')}`,
    });
  const graph = DependencyGraph.fromNodes(nodes);
  const clock = new ManualClock();
  const concurrency = options.concurrency ?? 4;
  const dispatcher = new Dispatcher(graph, {
    featureId: 'F001',
    concurrency,
    checkpoint: false,
    clock,
    retries: 1,
    retryDelayMs: 250,
    breaker: options.breaker ?? { threshold: 1000, window: 1000, halfOpenAfterMs: 1000 },
  });
  const failOnce = new Set(options.failOnce);
  const failAlways = new Set(options.failAlways);
  const recorder = new RunRecorder();
  const detach = recorder.attach(dispatcher);
  const controller = new AbortController();
  const startedAt = clock.now();
  const state = { finished: false };
  const running = dispatcher
    .run(
      async (id, { attempt, signal }) => {
        await clock.sleep(200 + (hashSeed(id) % 1800), signal);
        if (failAlways.has(id) || (attempt === 1 && failOnce.has(id))) throw new SimulatedCommandError(`command exited with code 1`);
      },
      { signal: controller.signal },
    )
    .finally(() => {
      state.finished = true;
    });
  while (!state.finished) {
    if (options.cancelAfterMs !== undefined && clock.now() - startedAt >= options.cancelAfterMs)
      controller.abort(new Error('interrupted by SIGINT'));
    await clock.advance(100);
  }
  const report = await running;
  detach();
  return recorder.record(report, {
    runId: newRunId(startedAt),
    graph,
    concurrency,
    startedAt,
    endedAt: clock.now(),
    logDir: '/tmp/logs/F001',
  });
}
