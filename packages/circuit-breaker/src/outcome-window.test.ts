import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutcomeWindow } from './outcome-window.js';

describe('OutcomeWindow', () => {
  it('keeps only the last `capacity` outcomes, oldest first', () => {
    const window = new OutcomeWindow(3);
    for (const failed of [true, true, false, false]) window.push(failed);
    expect(window.toArray()).toEqual([true, false, false]);
    expect(window.failures).toBe(1);
    expect(window.successes).toBe(2);
    expect(window.size).toBe(3);
  });

  it('clears', () => {
    const window = new OutcomeWindow(2);
    window.push(true);
    window.clear();
    expect(window.toArray()).toEqual([]);
    expect(window.failures).toBe(0);
    window.push(false);
    expect(window.toArray()).toEqual([false]);
  });

  it('agrees with a plain array for any sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.option(fc.boolean(), { nil: undefined })), (capacity, ops) => {
        const window = new OutcomeWindow(capacity);
        let model: boolean[] = [];
        for (const op of ops) {
          if (op === undefined) {
            window.clear();
            model = [];
          } else {
            window.push(op);
            model = [...model, op].slice(-capacity);
          }
          expect(window.toArray()).toEqual(model);
          expect(window.failures).toBe(model.filter(Boolean).length);
          expect(window.successes).toBe(model.filter((failed) => !failed).length);
        }
      }),
    );
  });
});
