import { describe, expect, it } from 'vitest';
import * as graph from './index.js';

describe('package entry', () => {
  it('exports exactly the public runtime API', () => {
    expect(Object.keys(graph).sort()).toEqual([
      'DependencyGraph',
      'GraphError',
      'NodeStateError',
      'ReadySet',
      'isGraphError',
      'isNodeStateError',
      'isValidNodeId',
    ]);
  });
});
