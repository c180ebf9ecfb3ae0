// Type-checked against the published declarations in a fresh npm project, as consumer.mts and
// consumer.cts (module node16) and as consumer.ts (moduleResolution bundler): no top-level await and no
// import.meta, so the same text is valid ESM and CommonJS. The @ts-expect-error lines fail the
// compilation if the types resolve to `any`.
import { DependencyGraph, isGraphError, type CriticalPath, type GraphNode, type GraphSnapshot, type NodeStatus } from '@sdp/graph';

const nodes: GraphNode[] = [{ id: 'schema' }, { id: 'api', dependsOn: ['schema'] }];
const graph = DependencyGraph.fromNodes(nodes);

export const order: string[] = graph.topologicalOrder();
export const critical: CriticalPath = graph.criticalPath(() => 1);
export const snapshot: GraphSnapshot = graph.snapshot(['schema']);
export const status: NodeStatus = graph.readySet().status('api');

export function describeError(error: unknown): string {
  return isGraphError(error) ? `${error.code}: ${error.message}` : 'not a graph error';
}

// @ts-expect-error: dependsOn lists ids, it is not one id
DependencyGraph.fromNodes([{ id: 'ui', dependsOn: 'api' }]);
