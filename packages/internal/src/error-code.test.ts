import { describe, expect, it } from 'vitest';
import { hasErrorCode } from './error-code.js';

describe('hasErrorCode', () => {
  const codes = new Set(['GRAPH_CYCLE', 'GRAPH_DUPLICATE_NODE']);

  it('recognises an error by code and name, also from another copy of a package', () => {
    const foreign = Object.assign(new Error('x'), { name: 'GraphError', code: 'GRAPH_CYCLE' });
    expect(hasErrorCode(foreign, 'GraphError', codes)).toBe(true);
    expect(hasErrorCode(foreign, undefined, codes)).toBe(true);
  });

  it('refuses other names, other codes and non-errors', () => {
    expect(hasErrorCode(Object.assign(new Error('x'), { name: 'Other', code: 'GRAPH_CYCLE' }), 'GraphError', codes)).toBe(false);
    expect(hasErrorCode(Object.assign(new Error('x'), { name: 'GraphError', code: 'CYCLE' }), 'GraphError', codes)).toBe(false);
    expect(hasErrorCode({ name: 'GraphError', code: 'GRAPH_CYCLE' }, 'GraphError', codes)).toBe(false);
    expect(hasErrorCode(undefined, undefined, codes)).toBe(false);
  });
});
