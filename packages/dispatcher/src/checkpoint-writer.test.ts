import { describe, expect, it } from 'vitest';
import { CoalescingWriter } from './checkpoint-writer.js';
import { deferred, type Deferred } from '@sdp/internal/testing';

describe('CoalescingWriter', () => {
  it('keeps one save in flight and one pending, and the pending one writes the latest state', async () => {
    let state = 0;
    const written: number[] = [];
    const gates: Deferred<void>[] = [];
    const writer = new CoalescingWriter(
      async () => {
        const snapshot = state;
        const gate = deferred();
        gates.push(gate);
        await gate.promise;
        written.push(snapshot);
      },
      () => undefined,
    );

    state = 1;
    writer.request();
    await Promise.resolve();
    await Promise.resolve();
    for (state = 2; state <= 5; state++) writer.request();
    state = 5;
    expect(gates).toHaveLength(1);
    gates[0]?.resolve();
    const flushed = writer.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(gates).toHaveLength(2);
    gates[1]?.resolve();
    await flushed;
    expect(written).toEqual([1, 5]);
  });

  it('reports a failed save and goes on with the next one', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const writer = new CoalescingWriter(
      () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('ENOSPC')) : Promise.resolve();
      },
      (error) => errors.push(error),
    );
    writer.request();
    await writer.flush();
    writer.request();
    await writer.flush();
    expect(calls).toBe(2);
    expect(errors).toEqual([new Error('ENOSPC')]);
  });

  it('flush resolves at once when nothing was requested', async () => {
    const writer = new CoalescingWriter(
      () => Promise.resolve(),
      () => undefined,
    );
    await expect(writer.flush()).resolves.toBeUndefined();
  });
});
