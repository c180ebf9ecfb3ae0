import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDependencyField } from './parse-dependency-field.js';

describe('parseDependencyField', () => {
  it.each([
    ['00-052-13', ['00-052-13']],
    ['00-052-13 (needs the schema)', ['00-052-13']],
    ['00-052-13 (needs (nested) notes), 00-052-12', ['00-052-13', '00-052-12']],
    ['00-052-12, 00-052-13', ['00-052-12', '00-052-13']],
    ['00-052-12 00-052-13', ['00-052-12', '00-052-13']],
    ['00-052-12; 00-052-13.', ['00-052-12', '00-052-13']],
    ['00-052-12 and 00-052-13', ['00-052-12', '00-052-13']],
    ['00-052-12, and 00-052-13 & 00-052-11', ['00-052-12', '00-052-13', '00-052-11']],
    ['`00-052-13`', ['00-052-13']],
    ['**00-052-13**', ['00-052-13']],
    ['[00-052-13](./00-052-13-breaker.md) (resume)', ['00-052-13']],
    ['[00-052-12, 00-052-13]', ['00-052-12', '00-052-13']],
    ['00-052-13, 00-052-13 (again)', ['00-052-13']],
    ['00-1052-130', ['00-1052-130']],
    [
      ['00-052-12', '00-052-13 (schema)'],
      ['00-052-12', '00-052-13'],
    ],
    [['00-052-12', 'None'], ['00-052-12']],
  ])('reads %j', (value, ids) => {
    expect(parseDependencyField(value)).toEqual({ ok: true, ids });
  });

  it.each(['None', 'none', 'NONE.', 'None (first in the chain)', '-', '—', 'n/a', '~', 'null', '', '   ', [], null, undefined])(
    'reads %j as no dependencies',
    (value) => {
      expect(parseDependencyField(value)).toEqual({ ok: true, ids: [] });
    },
  );

  it.each([
    ['the auth stuff', 'the'],
    ['00-052-13, after the refactor', 'after'],
    ['00-052-13 — needs the schema', '—'],
    ['00-052-13 (unclosed note', '(unclosed'],
    ['00-52-13', '00-52-13'],
    ['WS-052-13', 'WS-052-13'],
    ['00-052-13 and 14', '14'],
    ['None yet', 'None'],
    [[42], '42'],
    [[{ id: '00-052-13' }], '{"id":"00-052-13"}'],
    [{ id: '00-052-13' }, '{"id":"00-052-13"}'],
  ])('refuses %j, naming %j', (value, unreadable) => {
    expect(parseDependencyField(value)).toEqual({ ok: false, unreadable });
  });

  const workstreamId = fc
    .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 }))
    .map(([project, feature, sequence]) =>
      [String(project).padStart(2, '0'), String(feature).padStart(3, '0'), String(sequence).padStart(2, '0')].join('-'),
    );
  const separator = fc.constantFrom(', ', ',', ' ', '; ', ' and ', ' AND ', ', and ', ' & ', '\t');
  const note = fc.option(
    fc.stringMatching(/^[a-z ,;-]{0,20}$/).map((text) => ` (${text})`),
    { nil: '' },
  );
  const markup = fc.constantFrom(['', ''], ['`', '`'], ['**', '**']);
  const written = fc.tuple(workstreamId, note, markup).map(([id, text, [open, close]]) => ({ id, text: `${open}${id}${close}${text}` }));

  it('reads back every id of a list written with any separators, notes and markup, once each, in order', () => {
    fc.assert(
      fc.property(
        fc.array(written, { minLength: 1, maxLength: 8 }),
        fc.array(separator, { minLength: 8, maxLength: 8 }),
        (entries, separators) => {
          const text = entries.map((entry, index) => (index === 0 ? '' : (separators[index] ?? ', ')) + entry.text).join('');
          expect(parseDependencyField(text)).toEqual({ ok: true, ids: [...new Set(entries.map((entry) => entry.id))] });
        },
      ),
    );
  });

  it('never reads a bare word outside parentheses as a dependency', () => {
    const word = fc.stringMatching(/^[a-z]{1,10}$/).filter((text) => text !== 'and');
    fc.assert(
      fc.property(fc.array(written, { maxLength: 4 }), word, fc.nat(), (entries, bare, at) => {
        const pieces = entries.map((entry) => entry.text);
        pieces.splice(at % (pieces.length + 1), 0, bare);
        const result = parseDependencyField(pieces.join(', '));
        if (pieces.length === 1 && /^(?:none|nil|null)$/.test(bare)) expect(result).toEqual({ ok: true, ids: [] });
        else expect(result).toEqual({ ok: false, unreadable: bare });
      }),
    );
  });
});
