import { describe, expect, it } from 'vitest';
import { IntList } from './int-list.js';

describe('IntList', () => {
  it('grows past its capacity and keeps every value', () => {
    const list = new IntList(1);
    for (let i = 0; i < 100; i++) list.push(i * 3);
    expect(list.length).toBe(100);
    expect(Array.from(list.view())).toEqual(Array.from({ length: 100 }, (_, i) => i * 3));
  });

  it('leaves earlier views unchanged by later pushes', () => {
    const list = new IntList(4);
    list.push(1);
    list.push(2);
    const before = list.view();
    for (let i = 0; i < 10; i++) list.push(9);
    expect(Array.from(before)).toEqual([1, 2]);
  });
});
