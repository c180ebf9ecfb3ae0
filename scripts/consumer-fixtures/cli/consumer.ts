// Type-checked against the published declarations in a fresh npm project (node16 ESM and CJS, bundler).
// Reading a folder with @sdp/cli and running it with @sdp/dispatcher checks that the two packages'
// declarations agree on the node shape. The same folder run over BullMQ checks @sdp/bullmq's declarations
// against the dispatcher's.
import { Coordinator, connectionOf, isBullmqError } from '@sdp/bullmq';
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

export async function runFolderOverRedis(dir: string, url: string): Promise<string> {
  const loaded = await loadWorkstreams(dir);
  const graph = DependencyGraph.fromNodes(loaded.nodes);
  const coordinator = await Coordinator.connect({
    connection: connectionOf(url),
    featureId: loaded.featureId,
    concurrency: 4,
    textOf: (id) => id,
    chainLengths: graph.chainLengths(),
  });
  try {
    const dispatcher = new Dispatcher(graph, { featureId: loaded.featureId, checkpoint: false });
    const detach = coordinator.attach(dispatcher);
    const report = await dispatcher.run(coordinator.execute);
    detach();
    return report.outcome;
  } catch (error) {
    return isBullmqError(error) ? error.code : 'unknown';
  } finally {
    await coordinator.close();
  }
}

// @ts-expect-error: the folder is a string
void loadWorkstreams(42);
