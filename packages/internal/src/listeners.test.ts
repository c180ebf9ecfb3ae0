import { afterEach, describe, expect, it, vi } from 'vitest';
import { Listeners } from './listeners.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Listeners', () => {
  it('delivers to every listener in subscription order and disposes one registration', () => {
    const listeners = new Listeners<number>('CircuitBreaker');
    const seen: string[] = [];
    const a = (n: number) => seen.push(`a${n}`);
    const disposeA1 = listeners.add(a, 'onX');
    listeners.add((n) => seen.push(`b${n}`), 'onX');
    listeners.add(a, 'onX');
    listeners.emit(1);
    disposeA1();
    disposeA1();
    listeners.emit(2);
    expect(seen).toEqual(['a1', 'b1', 'a1', 'b2', 'a2']);
    expect(listeners.size).toBe(2);
  });

  it('lets a listener dispose itself or subscribe another while an event is delivered', () => {
    const listeners = new Listeners<number>('CircuitBreaker');
    const seen: string[] = [];
    const dispose = listeners.add((n) => {
      seen.push(`once${n}`);
      dispose();
      listeners.add((m) => seen.push(`late${m}`), 'onX');
    }, 'onX');
    listeners.emit(1);
    listeners.emit(2);
    expect(seen).toEqual(['once1', 'late2']);
  });

  it('isolates a throwing listener: the others still run, nothing is thrown now or later', async () => {
    const scheduled = vi.spyOn(globalThis, 'queueMicrotask');
    const listeners = new Listeners<number>('CircuitBreaker');
    const seen: number[] = [];
    listeners.add(() => {
      throw new Error('listener bug');
    }, 'onX');
    listeners.add((n) => seen.push(n), 'onX');
    expect(() => {
      listeners.emit(7);
    }).not.toThrow();
    listeners.emit(8);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([7, 8]);
    expect(scheduled).not.toHaveBeenCalled();
  });

  it('rejects a non-function listener with a TypeError naming the method', () => {
    const listeners = new Listeners<number>('CircuitBreaker');
    expect(() => listeners.add('nope' as unknown as () => void, 'onReject')).toThrow(
      new TypeError('CircuitBreaker.onReject: listener must be a function, got "nope"'),
    );
  });
});
