import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { keepShapeOf } from './shape-keeper.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Two objects, one of them kept, seen only through weak references. */
function watched(): [kept: WeakRef<object>, dropped: WeakRef<object>] {
  const kept = { shape: 'kept' };
  const dropped = { shape: 'dropped' };
  keepShapeOf(kept);
  return [new WeakRef(kept), new WeakRef(dropped)];
}

describe('keepShapeOf', () => {
  it('keeps what it is given alive through a full collection', async () => {
    const [kept, dropped] = watched();
    // A weak reference holds its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(kept.deref()).toEqual({ shape: 'kept' });
    // The same collection frees what nobody keeps, so the first expectation means something.
    expect(dropped.deref()).toBeUndefined();
  });
});
