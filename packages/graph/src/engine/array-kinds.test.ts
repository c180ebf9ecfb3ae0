import { describe, expect, it } from 'vitest';
import { emptyStringArray, lengthOf } from './array-kinds.js';

describe('array kinds', () => {
  it('emptyStringArray is an ordinary empty array', () => {
    const strings = emptyStringArray();
    expect(strings).toEqual([]);
    strings.push('a');
    expect(strings).toEqual(['a']);
  });

  it('lengthOf is the length of any kind of array', () => {
    // eslint-disable-next-line no-sparse-arrays -- a holey array is the point
    expect([[], [1, 2], ['a', , 'c'], new Array<unknown>(4)].map((list) => lengthOf(list))).toEqual([0, 2, 3, 4]);
  });
});
