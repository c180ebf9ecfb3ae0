import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findRecent, recentIds, rememberRecent } from './recent-ids.js';

describe('recent ids', () => {
  it('finds a node remembered by its id, also from an equal string that is another object', () => {
    const ids = ['build', 'test', 'ws-000123', ''];
    const recent = recentIds();
    ids.forEach((_, node) => {
      rememberRecent(recent, ids, node);
    });
    expect(findRecent(recent, ids, 'ws-000123')).toBe(2);
    expect(findRecent(recent, ids, ['ws-', '000123'].join(''))).toBe(2);
    expect(findRecent(recent, ids, '')).toBe(3);
  });

  it('always finds the node remembered last', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 100 }), (ids) => {
        const recent = recentIds();
        ids.forEach((id, node) => {
          rememberRecent(recent, ids, node);
          expect(findRecent(recent, ids, id)).toBe(node);
        });
      }),
    );
  });

  it('answers -1, never a wrong node, for ids not remembered', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 400 }), fc.string(), (ids, probe) => {
        const recent = recentIds();
        // Remember only the even nodes; slots collide and are overwritten.
        ids.forEach((_, node) => {
          if (node % 2 === 0) rememberRecent(recent, ids, node);
        });
        for (const id of [...ids, probe]) {
          const found = findRecent(recent, ids, id);
          if (found !== -1) expect(ids[found]).toBe(id);
        }
      }),
    );
  });
});
