import { describe, expect, it } from 'vitest';
import { Wakeup } from './wakeup.js';

describe('Wakeup', () => {
  it('resolves every waiter of the current round at the next wake, and only those', async () => {
    const wakeup = new Wakeup();
    const woken: string[] = [];
    void wakeup.next().then(() => woken.push('first'));
    void wakeup.next().then(() => woken.push('second'));
    wakeup.wake();
    await Promise.resolve();
    void wakeup.next().then(() => woken.push('later'));
    await Promise.resolve();
    expect(woken).toEqual(['first', 'second']);
    wakeup.wake();
    await Promise.resolve();
    expect(woken).toEqual(['first', 'second', 'later']);
  });
});
