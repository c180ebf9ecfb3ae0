import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addIndex, minIndexSet, minIndexSetSize, popLowest } from './min-index-set.js';

describe('min index set', () => {
  it('is empty at first', () => {
    const set = minIndexSet(0);
    expect(minIndexSetSize(set)).toBe(0);
    expect(popLowest(set)).toBe(-1);
  });

  it('hands out the lowest index first, across word and level boundaries', () => {
    const set = minIndexSet(40_000);
    for (const index of [39_999, 31, 32, 0, 1_024, 1_023, 32_768]) addIndex(set, index);
    expect(minIndexSetSize(set)).toBe(7);
    const popped: number[] = [];
    for (let index = popLowest(set); index !== -1; index = popLowest(set)) popped.push(index);
    expect(popped).toEqual([0, 31, 32, 1_023, 1_024, 32_768, 39_999]);
    expect(minIndexSetSize(set)).toBe(0);
  });

  it('gives the lowest of what it holds, however adds and pops interleave', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5_000 })
          .chain((capacity) =>
            fc.tuple(fc.constant(capacity), fc.array(fc.oneof(fc.nat({ max: capacity - 1 }), fc.constant(-1)), { maxLength: 200 })),
          ),
        ([capacity, steps]) => {
          const set = minIndexSet(capacity);
          const model = new Set<number>();
          for (const step of steps) {
            if (step === -1) {
              const lowest = model.size === 0 ? -1 : Math.min(...model);
              model.delete(lowest);
              expect(popLowest(set)).toBe(lowest);
            } else if (!model.has(step)) {
              model.add(step);
              addIndex(set, step);
            }
            expect(minIndexSetSize(set)).toBe(model.size);
          }
        },
      ),
    );
  });
});
