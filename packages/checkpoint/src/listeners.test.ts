import { afterEach, describe, expect, it, vi } from 'vitest';
import { Listeners } from './listeners.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Listeners', () => {
  it('calls every listener in order; dispose removes one registration, twice is harmless', () => {
    const listeners = new Listeners<number>();
    const seen: string[] = [];
    const record = (event: number): void => {
      seen.push(`a${event}`);
    };
    const disposeFirst = listeners.add(record, 'onX');
    listeners.add(record, 'onX');
    listeners.add((event) => seen.push(`b${event}`), 'onX');
    listeners.emit(1);
    disposeFirst();
    disposeFirst();
    listeners.emit(2);
    expect(seen).toEqual(['a1', 'a1', 'b1', 'a2', 'b2']);
  });

  it('keeps calling the others when one throws, and rethrows its error on a microtask', () => {
    const deferred: (() => void)[] = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => deferred.push(callback));
    const listeners = new Listeners<string>();
    const seen: string[] = [];
    listeners.add(() => {
      throw new Error('listener bug');
    }, 'onX');
    listeners.add((event) => seen.push(event), 'onX');
    expect(() => {
      listeners.emit('event');
    }).not.toThrow();
    expect(seen).toEqual(['event']);
    expect(deferred).toHaveLength(1);
    expect(deferred[0]).toThrow('listener bug');
  });
});
