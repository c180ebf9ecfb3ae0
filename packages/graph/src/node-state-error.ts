import { hasErrorCode } from '@sdp/internal';
import { GraphError } from './graph-error.js';
import type { NodeStatus } from './node-status.js';

/** The `ReadySet` operations that need a `'running'` node. */
export type NodeStateOperation = 'complete' | 'fail' | 'release';

const CODES: ReadonlySet<string> = new Set(['GRAPH_NODE_NOT_RUNNING']);

/**
 * A `ReadySet` was asked to `complete`, `fail` or `release` a node that is not `'running'`
 * (taken and not yet settled). This is a bug in the caller, never a property of the graph.
 */
export class NodeStateError extends GraphError {
  override readonly name = 'NodeStateError';
  declare readonly code: 'GRAPH_NODE_NOT_RUNNING';

  constructor(
    readonly operation: NodeStateOperation,
    readonly nodeId: string,
    readonly status: NodeStatus,
  ) {
    super([
      {
        code: 'GRAPH_NODE_NOT_RUNNING',
        message: `cannot ${operation} node ${JSON.stringify(nodeId)}: it is ${status}, not running`,
        nodeId,
      },
    ]);
  }
}

/** Whether `value` is a {@link NodeStateError}, also one thrown by another copy of this package. */
export function isNodeStateError(value: unknown): value is NodeStateError {
  return hasErrorCode(value, 'NodeStateError', CODES);
}
