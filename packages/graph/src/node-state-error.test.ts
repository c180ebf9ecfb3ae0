import { describe, expect, it } from 'vitest';
import { GraphError, isGraphError } from './graph-error.js';
import { isNodeStateError, NodeStateError } from './node-state-error.js';

describe('NodeStateError', () => {
  it('names the operation, the node and its status', () => {
    const error = new NodeStateError('complete', 'a', 'ready');
    expect(error.message).toBe('cannot complete node "a": it is ready, not running');
    expect(error.name).toBe('NodeStateError');
    expect(error.code).toBe('GRAPH_NODE_NOT_RUNNING');
    expect([error.operation, error.nodeId, error.status]).toEqual(['complete', 'a', 'ready']);
    expect(error.issues).toEqual([{ code: 'GRAPH_NODE_NOT_RUNNING', message: error.message, nodeId: 'a' }]);
  });

  it('is a GraphError, the package base', () => {
    const error = new NodeStateError('fail', 'a', 'pending');
    expect(error).toBeInstanceOf(GraphError);
    expect(isGraphError(error)).toBe(true);
  });

  it('is recognised by its guard, also from another copy of the package', () => {
    expect(isNodeStateError(new NodeStateError('fail', 'a', 'pending'))).toBe(true);
    expect(isNodeStateError(Object.assign(new Error('x'), { name: 'NodeStateError', code: 'GRAPH_NODE_NOT_RUNNING' }))).toBe(true);
    expect(isNodeStateError(Object.assign(new Error('x'), { name: 'NodeStateError', code: 'NODE_NOT_RUNNING' }))).toBe(false);
    expect(isNodeStateError(new Error('x'))).toBe(false);
    expect(isNodeStateError({ name: 'NodeStateError', code: 'GRAPH_NODE_NOT_RUNNING' })).toBe(false);
  });
});
