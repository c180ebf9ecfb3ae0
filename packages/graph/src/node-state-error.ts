import type { NodeStatus } from './ready-set.js';

/** The {@link ReadySet} operations that need a `'running'` node. */
export type NodeStateOperation = 'complete' | 'fail' | 'release';

/**
 * A {@link ReadySet} was asked to `complete`, `fail` or `release` a node that is not `'running'`
 * (taken and not yet settled). This is a bug in the caller, never a property of the graph.
 */
export class NodeStateError extends Error {
  override readonly name = 'NodeStateError';
  readonly code = 'NODE_NOT_RUNNING' as const;

  constructor(
    readonly operation: NodeStateOperation,
    readonly nodeId: string,
    readonly status: NodeStatus,
  ) {
    super(`cannot ${operation} node ${JSON.stringify(nodeId)}: it is ${status}, not running`);
  }
}

/** Whether `value` is a {@link NodeStateError}, also one thrown by another copy of this package. */
export function isNodeStateError(value: unknown): value is NodeStateError {
  return value instanceof Error && (value as { code?: unknown }).code === 'NODE_NOT_RUNNING';
}
