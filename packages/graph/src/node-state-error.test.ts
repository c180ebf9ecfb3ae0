import { describe, expect, it } from 'vitest';
import { isNodeStateError, NodeStateError } from './node-state-error.js';

describe('NodeStateError', () => {
  it('names the operation, the node and its status', () => {
    const error = new NodeStateError('complete', 'a', 'ready');
    expect(error.message).toBe('cannot complete node "a": it is ready, not running');
    expect(error.name).toBe('NodeStateError');
    expect(error.code).toBe('NODE_NOT_RUNNING');
    expect([error.operation, error.nodeId, error.status]).toEqual(['complete', 'a', 'ready']);
  });

  it('is recognised by its code, also from another copy of the package', () => {
    expect(isNodeStateError(new NodeStateError('fail', 'a', 'pending'))).toBe(true);
    expect(isNodeStateError(Object.assign(new Error('x'), { code: 'NODE_NOT_RUNNING' }))).toBe(true);
    expect(isNodeStateError(new Error('x'))).toBe(false);
    expect(isNodeStateError({ code: 'NODE_NOT_RUNNING' })).toBe(false);
  });
});
