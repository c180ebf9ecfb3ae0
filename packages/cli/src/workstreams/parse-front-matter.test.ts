import { describe, expect, it } from 'vitest';
import { splitLines } from './markdown-lines.js';
import { parseFrontMatter } from './parse-front-matter.js';

const parse = (text: string) => parseFrontMatter(splitLines(text));

describe('parseFrontMatter', () => {
  it('returns the known fields with their file lines and source text, scalars kept as written', () => {
    const result = parse(
      [
        '---',
        'ws_id: 00-052-14',
        'feature_id: 052',
        'owner: someone',
        'depends_on:',
        '  - 00-052-13 # schema',
        '  - 00-052-12',
        'status: Done',
        '---',
        '# Body',
      ].join('\n'),
    );
    expect(result).toEqual({
      kind: 'fields',
      bodyStart: 9,
      fields: [
        { name: 'ws_id', key: 'ws_id', value: '00-052-14', line: 2, text: '00-052-14', source: 'front matter' },
        { name: 'feature', key: 'feature_id', value: '052', line: 3, text: '052', source: 'front matter' },
        {
          name: 'depends_on',
          key: 'depends_on',
          value: ['00-052-13', '00-052-12'],
          line: 5,
          text: '- 00-052-13 # schema\n  - 00-052-12',
          source: 'front matter',
        },
        { name: 'status', key: 'status', value: 'Done', line: 8, text: 'Done', source: 'front matter' },
      ],
    });
  });

  it('accepts a byte-order mark, CRLF line ends and a "..." terminator', () => {
    const result = parse('\uFEFF---\r\nws_id: 00-052-14\r\ndependencies: [00-052-13]\r\n...\r\nbody');
    expect(result).toMatchObject({
      kind: 'fields',
      bodyStart: 4,
      fields: [
        { name: 'ws_id', value: '00-052-14', line: 2 },
        { name: 'depends_on', key: 'dependencies', value: ['00-052-13'], line: 3 },
      ],
    });
  });

  it('finds none when the file does not open with ---, or never closes it', () => {
    expect(parse('# Title\n---\nws_id: 00-052-14\n---\n')).toEqual({ kind: 'none' });
    expect(parse('---\nws_id: 00-052-14\n')).toEqual({ kind: 'none' });
  });

  it('gives no fields for empty or non-map front matter', () => {
    expect(parse('---\n---\n# x')).toEqual({ kind: 'fields', fields: [], bodyStart: 2 });
    expect(parse('---\n- a\n- b\n---\n')).toEqual({ kind: 'fields', fields: [], bodyStart: 4 });
  });

  it('reports a YAML syntax error with its file line and whether a ws_id is visible', () => {
    const result = parse(['---', 'ws_id: 00-080-01', 'title: "unterminated', 'status: ready', '---'].join('\n'));
    expect(result).toMatchObject({ kind: 'invalid', declaresWorkstream: true, bodyStart: 5 });
    if (result.kind !== 'invalid') throw new Error('expected invalid');
    expect(result.line).toBeGreaterThanOrEqual(3);
    expect(result.problem).toMatch(/^front matter is not valid YAML: /);
    expect(result.text).toBe(['---', 'ws_id: 00-080-01', 'title: "unterminated', 'status: ready'][result.line - 1]);
    expect(parse('---\ntitle: [a\n---\n')).toMatchObject({ kind: 'invalid', declaresWorkstream: false });
  });

  it('reports duplicate keys rather than letting one win', () => {
    expect(parse('---\nws_id: 00-080-01\nws_id: 00-080-02\n---\n')).toMatchObject({ kind: 'invalid', line: 3, declaresWorkstream: true });
  });
});
