import { describe, expect, it } from 'vitest';
import { isValidNodeId, nodeIdProblem } from './node-id.js';

describe('nodeIdProblem', () => {
  it('accepts ordinary ids, inner spaces and non-ASCII text', () => {
    for (const id of ['a', '00-052-14', 'build docs', 'über', '__proto__', 'constructor', '0']) {
      expect(nodeIdProblem(id)).toBeUndefined();
      expect(isValidNodeId(id)).toBe(true);
    }
  });

  it('names the problem of each kind of invalid id', () => {
    expect(nodeIdProblem('')).toBe('must not be empty');
    expect(nodeIdProblem(' a')).toBe('must not have leading or trailing whitespace');
    expect(nodeIdProblem('a\n')).toBe('must not have leading or trailing whitespace');
    expect(nodeIdProblem('a\u00a0')).toBe('must not have leading or trailing whitespace');
    expect(nodeIdProblem('a\u0000b')).toBe('must not contain control characters');
    expect(nodeIdProblem('a\u0085b')).toBe('must not contain control characters');
    expect(nodeIdProblem(7)).toBe('expected a string, got 7');
    expect(nodeIdProblem(undefined)).toBe('expected a string, got undefined');
    expect(isValidNodeId(null)).toBe(false);
  });
});
