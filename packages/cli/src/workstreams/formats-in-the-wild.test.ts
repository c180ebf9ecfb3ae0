import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '@sdp/internal/testing';
import { loadWorkstreams } from './load-workstreams.js';
import { isWorkstreamFileError } from './workstream-file-error.js';
import { isExternalDependencyError } from './external-dependency-error.js';
import { isWorkstreamSelectionError } from './workstream-selection-error.js';

const FIXTURES = fileURLToPath(new URL('../../test-fixtures/workstreams/', import.meta.url));
const fixture = (name: string): string => path.join(FIXTURES, name);
const shape = (nodes: { id: string; dependsOn: string[]; done: boolean }[]) =>
  nodes.map(({ id, dependsOn, done }) => ({ id, dependsOn, done }));

describe('every format seen in the wild, in one feature', () => {
  it('reads front matter, blockquote and bold headers, plain lines, body sections, UPSTREAM/DOWNSTREAM, Depends on, parent and fix ids', async () => {
    const loaded = await loadWorkstreams(fixture('formats'));
    expect(loaded.featureId).toBe('F041');
    expect(shape(loaded.nodes)).toEqual([
      { id: '00-041-01', dependsOn: [], done: true }, // front matter, "✅ Completed"
      { id: '00-041-02', dependsOn: ['00-041-01'], done: false }, // > **Dependencies:** + > - lines
      { id: '00-041-03', dependsOn: ['00-041-02', '00-041-01'], done: false }, // ## Dependencies with notes, WS prefix
      { id: '00-041-04', dependsOn: ['00-041-03'], done: false }, // plain lines, **UPSTREAM:**
      { id: '00-041-05', dependsOn: ['00-041-02', '00-041-04'], done: false }, // **Depends on**:, and 04's **DOWNSTREAM:**
      { id: '00-041-06', dependsOn: [], done: true }, // ## Metadata, "CLOSED"
      { id: '00-041-07', dependsOn: [], done: true }, // completed/ and "Done ✅"
      { id: '00-041-08', dependsOn: [], done: false }, // completed/ but "In progress": not done
      { id: '99-F041-0001', dependsOn: ['00-041-02'], done: true }, // fix id, parent:, "Merged"
    ]);
    expect(loaded.nodes.map((node) => node.title)).toEqual([
      'Notification schema',
      'Preferences API',
      'Preferences UI',
      'Docs',
      'Release',
      'Metrics',
      'Delivery spike',
      'Daily digest',
      'The API answers 500 for an empty list',
    ]);
  });

  it('says where each dependency was declared, the reverse edge of DOWNSTREAM included', async () => {
    const loaded = await loadWorkstreams(fixture('formats'));
    const release = loaded.nodes.find((node) => node.id === '00-041-05');
    expect(release?.declaredAt).toEqual([
      { id: '00-041-02', file: fixture('formats/00-041-05-release.md'), line: 8, field: 'Depends on' },
      { id: '00-041-04', file: fixture('formats/00-041-04-docs.md'), line: 12, field: 'DOWNSTREAM' },
    ]);
    const ui = loaded.nodes.find((node) => node.id === '00-041-03');
    expect(ui?.declaredAt.map(({ id, line, field }) => ({ id, line, field }))).toEqual([
      { id: '00-041-02', line: 8, field: 'Dependencies' },
      { id: '00-041-01', line: 9, field: 'Dependencies' },
    ]);
  });

  it('passes over a report about a workstream instead of taking it for a second declaration', async () => {
    const loaded = await loadWorkstreams(fixture('formats'));
    expect(loaded.skippedFiles).toEqual([
      {
        file: fixture('formats/00-041-01-report.md'),
        reason: `a report about 00-041-01, which ${fixture('formats/00-041-01-schema.md')}:2 declares`,
        category: 'report',
      },
      { file: fixture('formats/README.md'), reason: NOT_A_WORKSTREAM_REASON, category: 'not-workstream' },
    ]);
    expect(loaded.otherProblems).toEqual([]);
  });

  it('warns, with file and line, that a file under completed/ is counted as not done because of its status', async () => {
    const loaded = await loadWorkstreams(fixture('formats'));
    expect(loaded.warnings).toEqual([
      {
        file: fixture('formats/completed/00-041-08-digest.md'),
        line: 4,
        field: 'Status',
        text: 'In progress',
        workstream: '00-041-08',
        problem: 'is under a completed/ folder but its status "In progress" is not done; counted as not done',
      },
    ]);
  });
});

describe('a folder as found in the wild: a template, reports, duplicates, misfiled and broken files of other features', () => {
  const wild = fixture('wild');
  const options = { feature: 'F052', exclude: ['archive'], unfinishedExternal: 'report' } as const;

  it("plans the selected feature; the other features' problems are counted, not thrown", async () => {
    const loaded = await loadWorkstreams(wild, options);
    expect(shape(loaded.nodes)).toEqual([
      { id: '00-052-01', dependsOn: [], done: true },
      { id: '00-052-02', dependsOn: ['00-052-01'], done: false },
      { id: '00-052-03', dependsOn: ['00-052-02', '00-053-01'], done: false },
      { id: '00-052-04', dependsOn: [], done: true },
    ]);
    expect(loaded.otherProblems.map((problem) => [path.relative(wild, problem.file), problem.line])).toEqual([
      ['f053/00-052-09-misfiled.md', 3],
      ['f060/b/00-060-01-members-copy.md', 2],
      ['f061/00-061-01-broken.md', 3],
    ]);
    expect(loaded.skippedFiles.map((skipped) => [path.relative(wild, skipped.file), skipped.category])).toEqual([
      ['TEMPLATE.md', 'template'],
      ['f052/00-052-02-self-report.md', 'report'],
    ]);
    expect(loaded.excludedFiles).toEqual([path.join(wild, 'archive/00-052-02-old.md')]);
  });

  it('unites front matter "depends_on: []" with the body\'s list, and warns with both places', async () => {
    const loaded = await loadWorkstreams(wild, options);
    expect(loaded.warnings[0]).toEqual({
      file: path.join(wild, 'f052/00-052-02-breaker.md'),
      line: 3,
      field: 'depends_on',
      workstream: '00-052-02',
      problem:
        'dependencies disagree (depends_on on line 3 lists none; Dependencies on line 8 lists 00-052-01); using all of them: 00-052-01',
    });
  });

  it('lets a done workstream keep dependencies that no longer exist, saying so', async () => {
    const loaded = await loadWorkstreams(wild, options);
    expect(loaded.warnings.slice(1).map((warning) => [warning.workstream, warning.line, warning.problem])).toEqual([
      ['00-052-04', 4, 'is done; its dependency 00-052-77 is in no file, which does not matter for a done workstream'],
      ['00-052-04', 4, 'is done; its dependency 00-049-01 is in no file, which does not matter for a done workstream'],
    ]);
    expect(loaded.external).toEqual([]);
  });

  it('lists what the feature waits for in other features, or refuses by default naming every one', async () => {
    const loaded = await loadWorkstreams(wild, options);
    expect(loaded.waiting).toEqual([
      {
        workstream: '00-052-03',
        dependency: '00-053-01',
        dependencyFeature: 'F053',
        file: path.join(wild, 'f052/00-052-03-dispatcher.md'),
        reason: 'not-done',
        dependencyFile: path.join(wild, 'f053/00-053-01-queue.md'),
      },
    ]);
    const error = await rejectionOf(loadWorkstreams(wild, { feature: 'F052', exclude: ['archive'] }));
    expect(isExternalDependencyError(error)).toBe(true);
    expect(error).toMatchObject({ workstream: '00-052-03', dependency: '00-053-01', waiting: loaded.waiting });
  });

  it('refuses only the feature whose files have the problem', async () => {
    const duplicate = await rejectionOf(loadWorkstreams(wild, { feature: 'F060' }));
    expect(isWorkstreamFileError(duplicate)).toBe(true);
    expect((duplicate as Error).message).toBe(
      `${path.join(wild, 'f060/b/00-060-01-members-copy.md')}:2: 00-060-01: workstream id is also declared by ${path.join(wild, 'f060/a/00-060-01-members.md')}:2: remove one copy, or --exclude it`,
    );
    // Without --exclude the archived draft is a second declaration of 00-052-02: F052 is refused, naming both.
    const archived = await rejectionOf(loadWorkstreams(wild, { feature: 'F052' }));
    expect((archived as Error).message).toContain(
      `${path.join(wild, 'f052/00-052-02-breaker.md')}:2: 00-052-02: workstream id is also declared by ${path.join(wild, 'archive/00-052-02-old.md')}:2`,
    );
    // The misfiled file says it belongs to F053.
    const misfiled = await rejectionOf(loadWorkstreams(wild, { feature: 'F053', exclude: ['archive'] }));
    expect((misfiled as Error).message).toContain('feature F053 disagrees with ws_id 00-052-09, which belongs to F052');
  });

  it('says why a feature is not found: its files are unreadable, or named like it without a readable header', async () => {
    const broken = await rejectionOf(loadWorkstreams(wild, { feature: '61' }));
    expect(isWorkstreamFileError(broken)).toBe(true);
    expect((broken as Error).message).toContain('00-061-01-broken.md:3: front matter is not valid YAML');
    const folder = fixture('formats');
    const absent = await rejectionOf(loadWorkstreams(folder, { feature: 'F042' }));
    expect(isWorkstreamSelectionError(absent)).toBe(true);
    expect((absent as Error).message).toBe(`feature F042 not found in ${folder}; it holds F041`);
  });

  it('names the files that look like a missing feature but have no readable header', async () => {
    const error = await rejectionOf(loadWorkstreams(fixture('headerless'), { feature: 'F044' }));
    expect((error as Error).message).toBe(
      `feature F044 not found in ${fixture('headerless')}; 2 files named like it declare no workstream: ` +
        '00-044-01-intro.md (its heading names 00-044-01 but no Feature, Status or Dependencies line follows); ' +
        `00-044-02-setup.md (${NOT_A_WORKSTREAM_REASON}); it holds F045`,
    );
  });
});

const NOT_A_WORKSTREAM_REASON = 'declares no workstream (no ws_id field, no "# 00-052-14: Title" heading with Feature/Status lines)';
