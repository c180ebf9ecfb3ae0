import { describe, expect, it } from 'vitest';
import { splitLines } from './markdown-lines.js';
import { parseMetadataBullets } from './parse-metadata-bullets.js';

const parse = (lines: string[], start = 0) => parseMetadataBullets(lines, start);

describe('parseMetadataBullets', () => {
  it("reads the seed's bullets, including the colon inside the bold", () => {
    const lines = [
      '# 00-052-14: Checkpoint Atomic Writes',
      '',
      '## Metadata',
      '- **ws_id**: 00-052-14',
      '- **project_id**: 00',
      '- **feature_id**: 052',
      '- **title:** Checkpoint Atomic Writes for @oneshot',
      '- **status**: in_progress',
      '- **dependencies**: 00-052-13',
      '',
      '## Goal',
      '- **status**: not metadata any more',
    ];
    const section = parse(lines);
    expect(section.fields).toEqual([
      { name: 'ws_id', key: 'ws_id', value: '00-052-14', line: 4, text: '00-052-14', source: 'metadata' },
      { name: 'feature', key: 'feature_id', value: '052', line: 6, text: '052', source: 'metadata' },
      {
        name: 'title',
        key: 'title',
        value: 'Checkpoint Atomic Writes for @oneshot',
        line: 7,
        text: 'Checkpoint Atomic Writes for @oneshot',
        source: 'metadata',
      },
      { name: 'status', key: 'status', value: 'in_progress', line: 8, text: 'in_progress', source: 'metadata' },
      { name: 'depends_on', key: 'dependencies', value: '00-052-13', line: 9, text: '00-052-13', source: 'metadata' },
    ]);
    expect([...section.lines]).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('accepts other bullet marks, key spellings, plain and underscore-bold keys, and bare key lines', () => {
    const lines = ['### metadata', '* WS ID: 00-052-15', '+ __Depends on__: 00-052-14', '**Status**: ready', '- Feature: F052'];
    expect(parse(lines).fields.map((field) => [field.name, field.key, field.value])).toEqual([
      ['ws_id', 'WS ID', '00-052-15'],
      ['depends_on', 'Depends on', '00-052-14'],
      ['status', 'Status', 'ready'],
      ['feature', 'Feature', 'F052'],
    ]);
  });

  it('collects sub-bullets as the list of the key above them', () => {
    const lines = [
      '## Metadata',
      '- **dependencies**:',
      '  - 00-052-13 (schema)',
      '  - 00-052-12',
      '- **blocks**: 00-052-16',
      '  - 00-052-17',
      '- **scope**:',
      '  - status: not a field',
    ];
    expect(parse(lines).fields).toEqual([
      {
        name: 'depends_on',
        key: 'dependencies',
        value: ['00-052-13 (schema)', '00-052-12'],
        line: 2,
        text: '00-052-13 (schema), 00-052-12',
        source: 'metadata',
      },
      { name: 'blocks', key: 'blocks', value: ['00-052-16', '00-052-17'], line: 5, text: '00-052-16, 00-052-17', source: 'metadata' },
    ]);
  });

  it('ignores headings and bullets inside code fences, and unknown keys', () => {
    const lines = splitLines(
      [
        '```md',
        '## Metadata',
        '- **ws_id**: 00-052-99',
        '```',
        '## Metadata',
        '- **priority**: P1',
        '~~~',
        '- **status**: done',
        '~~~',
        '- **ws_id**: 00-052-14',
      ].join('\n'),
    );
    expect(parse(lines).fields).toEqual([
      { name: 'ws_id', key: 'ws_id', value: '00-052-14', line: 10, text: '00-052-14', source: 'metadata' },
    ]);
  });

  it('reads only from the given start line (after front matter) and finds nothing without the heading', () => {
    expect(parse(['## Metadata', '- ws_id: 00-052-14'], 1).fields).toEqual([]);
    expect(parse(['- **ws_id**: 00-052-14']).fields).toEqual([]);
  });
});
