import { describe, expect, it } from 'vitest';
import { LazyAbort } from './lazy-abort.js';

describe('LazyAbort', () => {
  it('gives a live signal that aborts with the reason', () => {
    const abort = new LazyAbort();
    const { signal } = abort;
    expect(signal.aborted).toBe(false);
    const reason = new Error('stop');
    abort.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
    expect(abort.aborted).toBe(true);
  });

  it('gives an already aborted signal when read after the abort', () => {
    const abort = new LazyAbort();
    const reason = new Error('late');
    abort.abort(reason);
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe(reason);
  });

  it('keeps the first reason and returns the same signal every time', () => {
    const abort = new LazyAbort();
    const first = abort.signal;
    abort.abort('one');
    abort.abort('two');
    expect(abort.signal).toBe(first);
    expect(first.reason).toBe('one');
  });
});
