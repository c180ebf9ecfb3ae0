import { describe, expect, it } from 'vitest';
import { NOT_A_WORKSTREAM, isDoneStatus, parseWorkstreamFile } from './parse-workstream-file.js';
import { WorkstreamFileError } from './workstream-file-error.js';

const FILE = '/features/ws.md';
const parse = (...lines: string[]) => parseWorkstreamFile(lines.join('\n'), FILE);
const workstreamOf = (...lines: string[]) => {
  const result = parse(...lines);
  if (result.kind !== 'workstream') throw new Error(`not a workstream: ${JSON.stringify(result)}`);
  return result.workstream;
};
/** The problems a file has, as the loader would throw them for its feature. */
const errorOf = (...lines: string[]): WorkstreamFileError => {
  const result = parse(...lines);
  if (result.kind === 'skipped' || result.problems.length === 0) throw new Error(`expected problems: ${JSON.stringify(result)}`);
  return new WorkstreamFileError(result.problems);
};

describe('parseWorkstreamFile', () => {
  it('reads a front matter workstream', () => {
    const workstream = workstreamOf(
      '---',
      'ws_id: 00-060-05',
      'feature: "060"',
      'title: Membership API',
      'status: ready',
      'depends_on: [00-060-02, 00-060-04]',
      'blocks: 00-060-06',
      '---',
    );
    expect(workstream).toEqual({
      id: '00-060-05',
      featureId: 'F060',
      dependsOn: ['00-060-02', '00-060-04'],
      declaredAt: [
        { id: '00-060-02', file: FILE, line: 6, field: 'depends_on' },
        { id: '00-060-04', file: FILE, line: 6, field: 'depends_on' },
      ],
      blocks: [{ id: '00-060-06', field: expect.objectContaining({ key: 'blocks', line: 7 }) as unknown }],
      done: false,
      status: 'ready',
      looksLikeReport: false,
      title: 'Membership API',
      file: FILE,
      line: 2,
    });
  });

  it('reads a metadata workstream, taking the feature from the id and the title from the heading', () => {
    expect(
      workstreamOf('# 00-052-14: Checkpoint Atomic Writes', '', '## Metadata', '- **ws_id**: `00-052-14`', '- **dependencies**: None'),
    ).toEqual({
      id: '00-052-14',
      featureId: 'F052',
      dependsOn: [],
      declaredAt: [],
      blocks: [],
      done: false,
      looksLikeReport: false,
      title: 'Checkpoint Atomic Writes',
      file: FILE,
      line: 4,
    });
  });

  it('merges front matter and metadata that agree, uniting their dependencies', () => {
    const workstream = workstreamOf(
      '---',
      'ws_id: 00-052-14',
      'depends_on: 00-052-12',
      'status: done',
      '---',
      '## Metadata',
      '- **ws_id**: 00-052-14',
      '- **feature_id**: 52',
      '- **dependencies**: 00-052-13, 00-052-12',
      '- **status**: ✅ completed',
    );
    expect(workstream).toMatchObject({ id: '00-052-14', featureId: 'F052', dependsOn: ['00-052-12', '00-052-13'], done: true, line: 2 });
  });

  it('leaves out a title it cannot find', () => {
    expect(workstreamOf('## Metadata', '- ws_id: 00-052-14')).not.toHaveProperty('title');
    expect(workstreamOf('# 00-052-14', '## Metadata', '- ws_id: 00-052-14')).not.toHaveProperty('title');
    expect(workstreamOf('# 00-052-14 Checkpoint writes', '## Metadata', '- ws_id: 00-052-14').title).toBe('Checkpoint writes');
  });

  it('passes over files without a ws_id, saying why', () => {
    expect(parse('# F060 summary', '', 'Status: done. See 00-060-01.')).toEqual({
      kind: 'skipped',
      reason: NOT_A_WORKSTREAM,
      category: 'not-workstream',
    });
    expect(parse('---', 'feature: F060', 'status: done', '---', '# Summary')).toMatchObject({ kind: 'skipped' });
    expect(parse('```yaml', 'ws_id: 00-060-01', '```')).toMatchObject({ kind: 'skipped' });
    expect(parse('---', 'title: "broken', '---')).toEqual({
      kind: 'skipped',
      reason: 'front matter is not valid YAML (line 2) and declares no ws_id',
      category: 'not-workstream',
    });
  });

  it('refuses broken front matter when the metadata section declares the workstream', () => {
    expect(errorOf('---', 'title: "broken', '---', '## Metadata', '- **ws_id**: 00-052-14')).toMatchObject({
      file: FILE,
      line: 2,
      text: 'title: "broken',
    });
  });

  it.each([
    [['---', 'ws_id: 52-14', '---'], { line: 2, field: 'ws_id', text: '52-14' }, 'ws_id "52-14" is not a workstream id'],
    [['---', 'ws_id: [00-052-14]', '---'], { line: 2, field: 'ws_id' }, 'ws_id must be a single value'],
    [
      ['---', 'ws_id: 00-052-14', 'feature: auth', '---'],
      { line: 3, field: 'feature', text: 'auth', workstream: '00-052-14' },
      'feature "auth" is not a feature id',
    ],
    [
      ['---', 'ws_id: 00-052-14', 'feature_id: F053', '---'],
      { line: 3, field: 'feature_id' },
      'feature_id F053 disagrees with ws_id 00-052-14, which belongs to F052',
    ],
    [
      ['---', 'ws_id: 00-052-14', 'depends_on: the auth stuff', '---'],
      { line: 3, field: 'depends_on', text: 'the auth stuff' },
      '"the" is not an id',
    ],
    [
      ['## Metadata', '- **ws_id**: 00-052-14', '- **blocks**: later'],
      { line: 3, field: 'blocks', text: 'later' },
      'blocks "later" cannot be read',
    ],
    [
      ['---', 'ws_id: 00-052-14', 'status: done', '---', '## Metadata', '- **status**: in_progress'],
      { line: 6, field: 'status' },
      'status "in_progress" disagrees with status "done" on line 3',
    ],
    [
      ['---', 'ws_id: 00-052-14', '---', '## Metadata', '- ws_id: 00-052-15'],
      { line: 5, field: 'ws_id' },
      'ws_id 00-052-15 disagrees with ws_id 00-052-14 on line 2',
    ],
    [['---', 'title: Login', 'depends_on: 00-052-13', '---'], { line: 3, field: 'depends_on' }, 'has depends_on but no ws_id'],
    [
      ['# Login', '', '- **ws_id**: 00-052-14'],
      { line: 3, field: 'ws_id', text: '- **ws_id**: 00-052-14' },
      'ws_id is outside the front matter and outside a "## Metadata" section',
    ],
    [['---', 'ws_id: 00-052-14', '# Login'], { line: 2, field: 'ws_id' }, 'front matter opened on line 1 is never closed'],
  ])('refuses %j', (lines, details, problem) => {
    const error = errorOf(...lines);
    expect(error).toMatchObject({ code: 'CLI_WORKSTREAM_FILE', file: FILE, ...details });
    expect(error.message).toContain(problem);
    expect(error.message.startsWith(`${FILE}:${details.line}: `)).toBe(true);
  });
});

describe('isDoneStatus', () => {
  it.each([
    'done',
    'Done',
    'DONE',
    'completed',
    'Complete',
    '✅ done',
    '**Done**',
    'done ✅',
    'completed (2026-02-07)',
    '`done`',
    'closed',
    'Merged',
    '✅ MERGED',
    'Done - merged in #12',
    '**Closed**: superseded',
  ])('%j is done', (status) => {
    expect(isDoneStatus(status)).toBe(true);
  });

  it.each(['', 'in_progress', 'ready', 'backlog', 'not done', 'done-ish', 'incomplete', 'partially done', '✅', 'review done'])(
    '%j is not done',
    (status) => {
      expect(isDoneStatus(status)).toBe(false);
    },
  );
});
