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

  it('adopts the start of a buffer and appends after it', () => {
    const data = Int32Array.from([4, 5, 6, 7]);
    const list = IntList.adopt(data, 2);
    expect(Array.from(list.view())).toEqual([4, 5]);
    list.push(8);
    expect(Array.from(list.view())).toEqual([4, 5, 8]);
    list.push(9);
    list.push(10);
    expect(list.length).toBe(5);
    expect(Array.from(list.view())).toEqual([4, 5, 8, 9, 10]);
    const empty = IntList.adopt(new Int32Array(0), 0);
    empty.push(1);
    expect(Array.from(empty.view())).toEqual([1]);
  });
});
