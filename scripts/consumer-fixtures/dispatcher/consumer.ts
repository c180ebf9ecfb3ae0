// Type-checked against the published declarations in a fresh npm project, as consumer.mts and
// consumer.cts (module node16) and as consumer.ts (moduleResolution bundler): no top-level await and no
// import.meta, so the same text is valid ESM and CommonJS. The @ts-expect-error lines fail the
// compilation if the types resolve to `any`. Passing a CircuitBreaker and a DependencyGraph from the
// sibling packages checks that the dispatcher's declarations refer to the same sibling declarations.
import { CircuitBreaker } from '@sdp/circuit-breaker';
import { CheckpointStore } from '@sdp/checkpoint';
import { Dispatcher, isAttemptTimeoutError, type Execute, type RunReport, type WorkstreamStatus } from '@sdp/dispatcher';
import { DependencyGraph } from '@sdp/graph';

const graph = DependencyGraph.fromNodes([{ id: 'schema' }, { id: 'api', dependsOn: ['schema'] }]);

const execute: Execute = async (id, { signal, attempt }) => {
  signal.throwIfAborted();
  await Promise.resolve(`${id} attempt ${attempt}`);
};

export function runInMemory(): Promise<RunReport> {
  const dispatcher = new Dispatcher(graph, { featureId: 'F001', checkpoint: false, breaker: new CircuitBreaker({ threshold: 2 }) });
  dispatcher.onFailure(({ id, error }) => {
    if (isAttemptTimeoutError(error)) console.warn(`${id} timed out after ${error.timeoutMs} ms`);
  });
  return dispatcher.run(execute);
}

export async function runChecked(signal: AbortSignal): Promise<WorkstreamStatus[]> {
  const store = new CheckpointStore({ featureId: 'F001', dir: '.sdp/checkpoints' });
  const report = await new Dispatcher(graph, { featureId: 'F001', checkpoint: store, retries: 1 }).run(execute, { signal });
  return report.results.map((result) => result.status);
}

// @ts-expect-error: checkpoint is false, { dir } or a CheckpointStore
new Dispatcher(graph, { featureId: 'F001', checkpoint: true });
