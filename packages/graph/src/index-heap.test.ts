import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexHeap } from './index-heap.js';

describe('IndexHeap', () => {
  it('is empty at first', () => {
    const heap = new IndexHeap(3, (a, b) => a < b);
    expect(heap.size).toBe(0);
    expect(heap.peek()).toBe(-1);
    expect(heap.pop()).toBe(-1);
  });

  it('pops in the order of its comparison, whatever the push order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: 200 }), { maxLength: 60 }), (values) => {
        const priority = (i: number) => i % 7;
        const before = (a: number, b: number) => priority(a) > priority(b) || (priority(a) === priority(b) && a < b);
        const heap = new IndexHeap(values.length, before);
        for (const value of values) heap.push(value);
        const popped: number[] = [];
        while (heap.size > 0) {
          expect(heap.peek()).toBe(heap.peek());
          const top = heap.peek();
          expect(heap.pop()).toBe(top);
          popped.push(top);
        }
        expect(popped).toEqual([...values].sort((a, b) => (before(a, b) ? -1 : 1)));
      }),
    );
  });
});
