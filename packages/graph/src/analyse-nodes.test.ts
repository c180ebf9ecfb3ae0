import { describe, expect, it } from 'vitest';
import { analyseNodes } from './analyse-nodes.js';

describe('analyseNodes', () => {
  it('keeps the valid part of the graph and separates cycles from other problems', () => {
    const analysed = analyseNodes([
      { id: 'a', dependsOn: ['b', 'x', 'a'] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'a', dependsOn: ['c'] },
      { id: 'c' },
    ]);
    expect(analysed.ids).toEqual(['a', 'b', 'c']);
    expect(Array.from(analysed.dependencyTargets.view())).toEqual([1, 0]);
    expect(Array.from(analysed.dependencyOffsets.view())).toEqual([0, 1, 2, 2]);
    expect([...analysed.selfDependent]).toEqual(['a']);
    expect(analysed.issues.map((issue) => issue.code)).toEqual(['MISSING_DEPENDENCY', 'SELF_DEPENDENCY', 'DUPLICATE_NODE']);
    expect(analysed.cycles.map((issue) => issue.message)).toEqual(['cycle: a -> b -> a']);
    expect(Array.from(analysed.order)).toEqual([2]);
  });

  it('finds nothing wrong with a valid graph', () => {
    const analysed = analyseNodes([{ id: 'b', dependsOn: ['a', 'a'] }, { id: 'a' }]);
    expect([analysed.issues, analysed.cycles]).toEqual([[], []]);
    expect(Array.from(analysed.order)).toEqual([1, 0]);
  });
});
