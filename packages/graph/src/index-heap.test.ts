import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heapPop, heapPush } from './index-heap.js';

/** A heap with its size, for tests. */
function heap(capacity: number) {
  const nodes = new Int32Array(capacity);
  const keys = new Float64Array(capacity);
  let size = 0;
  return {
    push: (node: number, key: number) => {
      heapPush(nodes, keys, size++, node, key);
    },
    pop: () => (size === 0 ? -1 : heapPop(nodes, keys, size--)),
    peek: () => (size === 0 ? -1 : (nodes[0] ?? -1)),
    get size() {
      return size;
    },
  };
}

describe('index heap', () => {
  it('pops the highest key first, ties by lower index, whatever the push order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: 200 }), { maxLength: 60 }), (values) => {
        const key = (i: number) => i % 7;
        const before = (a: number, b: number) => key(a) > key(b) || (key(a) === key(b) && a < b);
        const h = heap(values.length);
        for (const value of values) h.push(value, key(value));
        const popped: number[] = [];
        while (h.size > 0) {
          const top = h.peek();
          expect(h.pop()).toBe(top);
          popped.push(top);
        }
        expect(popped).toEqual([...values].sort((a, b) => (before(a, b) ? -1 : 1)));
      }),
    );
  });

  it('gives the best of what it holds, however pushes and pops interleave', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ node: fc.nat({ max: 99 }), key: fc.integer({ min: 0, max: 5 }) }), fc.constant(null)), {
          maxLength: 120,
        }),
        (steps) => {
          const h = heap(100);
          const model = new Map<number, number>();
          for (const step of steps) {
            if (step === null) {
              const best = [...model].sort(([a, ka], [b, kb]) => kb - ka || a - b)[0]?.[0] ?? -1;
              model.delete(best);
              expect(h.pop()).toBe(best);
            } else if (!model.has(step.node)) {
              model.set(step.node, step.key);
              h.push(step.node, step.key);
            }
            expect(h.size).toBe(model.size);
          }
        },
      ),
    );
  });
});
