// Type-checked against the published declarations in a fresh npm project (node16 ESM and CJS, bundler).
// Reading a folder with @sdp/cli and running it with @sdp/dispatcher checks that the two packages'
// declarations agree on the node shape.
import { CheckpointStore } from '@sdp/checkpoint';
import { loadWorkstreams, type WorkstreamNode } from '@sdp/cli';
import { Dispatcher, type WorkstreamStatus } from '@sdp/dispatcher';
import { DependencyGraph } from '@sdp/graph';

export async function runFolder(dir: string, signal: AbortSignal): Promise<WorkstreamStatus[]> {
  const loaded = await loadWorkstreams(dir, {}, signal);
  const nodes: readonly WorkstreamNode[] = loaded.nodes;
  const graph = DependencyGraph.fromNodes(nodes);
  const store = new CheckpointStore({ featureId: loaded.featureId, dir: '.sdp/checkpoints' });
  const report = await new Dispatcher(graph, { featureId: loaded.featureId, checkpoint: store }).run(
    async (_id, { signal: attemptSignal }) => {
      attemptSignal.throwIfAborted();
      await Promise.resolve();
    },
    { signal },
  );
  return report.results.map((result) => result.status);
}

// @ts-expect-error: the folder is a string
void loadWorkstreams(42);
