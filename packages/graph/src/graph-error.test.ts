import { describe, expect, it } from 'vitest';
import {
  cycleIssue,
  duplicateNodeIssue,
  GraphError,
  invalidSnapshotIssue,
  isGraphError,
  missingDependencyIssue,
  selfDependencyIssue,
} from './graph-error.js';

describe('GraphError', () => {
  it('uses the single issue as its message', () => {
    const error = new GraphError([duplicateNodeIssue('a')]);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('GraphError');
    expect(error.message).toBe('duplicate node "a"');
    expect(error.code).toBe('GRAPH_DUPLICATE_NODE');
    expect(error.cycle).toBeUndefined();
    expect('cycle' in error).toBe(false);
  });

  it('lists several issues under a summary line; code from the first, cycle from the first cycle', () => {
    const error = new GraphError([selfDependencyIssue('s'), cycleIssue(['a', 'b', 'a']), cycleIssue(['c', 'd', 'c'])]);
    expect(error.message).toBe(
      '3 problems in the dependency graph:\n- node "s" depends on itself\n- cycle: a -> b -> a\n- cycle: c -> d -> c',
    );
    expect(error.code).toBe('GRAPH_SELF_DEPENDENCY');
    expect(error.cycle).toEqual(['a', 'b', 'a']);
  });

  it('keeps its issues frozen', () => {
    const issues = [missingDependencyIssue('a', 'b')];
    const error = new GraphError(issues);
    issues.push(duplicateNodeIssue('x'));
    expect(error.issues).toHaveLength(1);
    expect(Object.isFrozen(error.issues)).toBe(true);
  });

  it('needs at least one issue', () => {
    expect(() => new GraphError([])).toThrow(RangeError);
  });

  it('formats snapshot issues with a prefix and the node when known', () => {
    expect(invalidSnapshotIssue('bad', 'a')).toEqual({ code: 'GRAPH_INVALID_SNAPSHOT', message: 'invalid snapshot: bad', nodeId: 'a' });
    expect(invalidSnapshotIssue('bad')).toEqual({ code: 'GRAPH_INVALID_SNAPSHOT', message: 'invalid snapshot: bad' });
  });
});

describe('isGraphError', () => {
  it('recognises GraphErrors by code, also from another copy of the package', () => {
    expect(isGraphError(new GraphError([duplicateNodeIssue('a')]))).toBe(true);
    const foreign = Object.assign(new Error('cycle: a -> a'), { name: 'GraphError', code: 'GRAPH_CYCLE', issues: [] });
    expect(isGraphError(foreign)).toBe(true);
  });

  it('rejects everything else', () => {
    expect(isGraphError(new Error('x'))).toBe(false);
    expect(isGraphError(Object.assign(new Error('x'), { name: 'GraphError', code: 'OTHER', issues: [] }))).toBe(false);
    expect(isGraphError(Object.assign(new Error('x'), { name: 'GraphError', code: 'CYCLE', issues: [] }))).toBe(false);
    expect(isGraphError(Object.assign(new Error('x'), { code: 'BREAKER_OPEN' }))).toBe(false);
    expect(isGraphError({ name: 'GraphError', code: 'GRAPH_CYCLE', issues: [] })).toBe(false);
    expect(isGraphError(undefined)).toBe(false);
  });
});
