import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isExternalDependencyError } from './external-dependency-error.js';
import { loadWorkstreams } from './load-workstreams.js';
import { NOT_A_WORKSTREAM } from './parse-workstream-file.js';
import { isWorkstreamFileError } from './workstream-file-error.js';
import { isWorkstreamSelectionError } from './workstream-selection-error.js';

const FIXTURES = fileURLToPath(new URL('../../test-fixtures/workstreams/', import.meta.url));
const fixture = (name: string): string => path.join(FIXTURES, name);

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const shape = (nodes: { id: string; dependsOn: string[]; done: boolean }[]) =>
  nodes.map(({ id, dependsOn, done }) => ({ id, dependsOn, done }));

describe('loadWorkstreams on YAML front matter', () => {
  it('reads ids, features, dependencies with notes and lists, blocks, done and titles', async () => {
    const loaded = await loadWorkstreams(fixture('front-matter'));
    expect(loaded.featureId).toBe('F070');
    expect(shape(loaded.nodes)).toEqual([
      { id: '00-070-01', dependsOn: [], done: true },
      { id: '00-070-02', dependsOn: ['00-070-01'], done: false },
      { id: '00-070-03', dependsOn: ['00-070-02'], done: false },
      { id: '00-070-04', dependsOn: ['00-070-02', '00-070-03'], done: false },
      // 00-070-04 says `blocks: [00-070-05]`.
      { id: '00-070-05', dependsOn: ['00-070-04'], done: false },
    ]);
    expect(loaded.nodes.map((node) => node.title)).toEqual([
      'Notification preferences schema',
      'Preferences API',
      'Preferences UI',
      'Docs: notification preferences',
      'Release',
    ]);
    expect(loaded.nodes.every((node) => node.featureId === 'F070' && path.isAbsolute(node.file))).toBe(true);
    expect(loaded.nodes[2]?.file).toBe(fixture('front-matter/00-070-03-ui.md'));
    expect(loaded.external).toEqual([]);
    expect(loaded.skippedFiles).toEqual([
      { file: fixture('front-matter/notes/README.md'), reason: NOT_A_WORKSTREAM, category: 'not-workstream' },
    ]);
  });
});

describe("loadWorkstreams on the seed's metadata bullets", () => {
  it('reads the seed file and its neighbours, ignoring fenced examples and the report', async () => {
    const loaded = await loadWorkstreams(fixture('metadata-bullets'));
    expect(loaded.featureId).toBe('F052');
    expect(shape(loaded.nodes)).toEqual([
      { id: '00-052-12', dependsOn: [], done: true },
      { id: '00-052-13', dependsOn: [], done: true },
      { id: '00-052-14', dependsOn: ['00-052-13'], done: false },
      { id: '00-052-15', dependsOn: ['00-052-14', '00-052-13', '00-052-12'], done: false },
    ]);
    expect(loaded.nodes.find((node) => node.id === '00-052-14')?.title).toBe('Checkpoint Atomic Writes for @oneshot');
    expect(loaded.skippedFiles.map((skipped) => path.basename(skipped.file))).toEqual(['REPORT.md']);
  });
});

describe('loadWorkstreams on mixed formats', () => {
  it('reads both formats in nested folders, and a file that uses both', async () => {
    const loaded = await loadWorkstreams(fixture('mixed'));
    expect(loaded.featureId).toBe('F075');
    expect(shape(loaded.nodes)).toEqual([
      { id: '00-075-01', dependsOn: [], done: true },
      { id: '00-075-02', dependsOn: ['00-075-01'], done: false },
      { id: '00-075-03', dependsOn: ['00-075-02', '00-075-01'], done: false },
    ]);
    expect(loaded.nodes[2]?.title).toBe('Export button');
    expect(loaded.nodes[2]?.file).toBe(fixture('mixed/ui/00-075-03-export-button.md'));
  });
});

describe('loadWorkstreams feature selection', () => {
  const folder = fixture('multi-feature');

  it('refuses to guess among several features and lists them', async () => {
    const error = await rejectionOf(loadWorkstreams(folder));
    expect(isWorkstreamSelectionError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CLI_SELECTION', features: ['F052', 'F060', 'F061', 'F062', 'F063'] });
    expect((error as Error).message).toContain('several features (F052, F060, F061, F062, F063)');
  });

  it.each(['F052', 'f052', '052', '52', 'F52'])('selects F052 with %j', async (feature) => {
    const loaded = await loadWorkstreams(folder, { feature });
    expect(loaded.featureId).toBe('F052');
    expect(loaded.nodes.map((node) => node.id)).toEqual(['00-052-01', '00-052-02']);
  });

  it('reports a requested feature that is not there', async () => {
    const error = await rejectionOf(loadWorkstreams(folder, { feature: 'F064' }));
    expect(error).toMatchObject({ code: 'CLI_SELECTION', requested: 'F064', features: ['F052', 'F060', 'F061', 'F062', 'F063'] });
    expect((error as Error).message).toContain('feature F064 not found in');
  });

  it('returns a done workstream of another feature as external, keeping the edge', async () => {
    const loaded = await loadWorkstreams(folder, { feature: '060' });
    expect(shape(loaded.nodes)).toEqual([
      { id: '00-060-01', dependsOn: ['00-052-01'], done: false },
      { id: '00-060-02', dependsOn: ['00-060-01'], done: false },
    ]);
    expect(loaded.external).toEqual([
      {
        id: '00-052-01',
        dependsOn: [],
        declaredAt: [],
        done: true,
        status: 'done',
        featureId: 'F052',
        file: path.join(folder, '00-052-01-graph.md'),
        title: 'Graph',
      },
    ]);
  });

  it("refuses a dependency on another feature's unfinished workstream, naming it", async () => {
    const error = await rejectionOf(loadWorkstreams(folder, { feature: 'F061' }));
    expect(isExternalDependencyError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'CLI_EXTERNAL_DEPENDENCY',
      reason: 'not-done',
      workstream: '00-061-01',
      dependency: '00-052-02',
      file: path.join(folder, '00-061-01-billing.md'),
      dependencyFile: path.join(folder, '00-052-02-breaker.md'),
    });
    expect((error as Error).message).toContain('00-061-01 depends on 00-052-02 of feature F052, which is not done');
  });

  it("refuses a dependency on another feature's workstream that is in no file, saying so", async () => {
    const error = await rejectionOf(loadWorkstreams(folder, { feature: 'F062' }));
    expect(error).toMatchObject({ code: 'CLI_EXTERNAL_DEPENDENCY', reason: 'not-found', workstream: '00-062-01', dependency: '00-099-01' });
    expect((error as Error).message).toContain('which no file in the folder declares');
  });

  it("keeps a dependency on the feature's own missing workstream for the graph to report", async () => {
    const loaded = await loadWorkstreams(folder, { feature: 'F063' });
    expect(shape(loaded.nodes)).toEqual([{ id: '00-063-01', dependsOn: ['00-063-09'], done: false }]);
    expect(loaded.external).toEqual([]);
  });
});

describe('loadWorkstreams on broken files', () => {
  it.each([
    ['yaml-syntax', '00-080-01-broken.md', { line: 5, text: 'status: ready' }, 'front matter is not valid YAML'],
    [
      'unreadable-dependency',
      '00-080-01-login.md',
      { line: 5, field: 'depends_on', text: 'the auth stuff', workstream: '00-080-01' },
      'depends_on "the auth stuff" cannot be read as workstream ids',
    ],
    [
      'unreadable-dependency-bullets',
      '00-080-02-logout.md',
      { line: 6, field: 'dependencies', text: '00-080-01, after the auth refactor lands' },
      '"after" is not an id',
    ],
    ['bad-ws-id', 'WS-80-1.md', { line: 2, field: 'ws_id', text: 'WS-80-1' }, 'is not a workstream id'],
    [
      'duplicate-ids',
      'b/00-080-01-copy.md',
      { line: 2, field: 'ws_id', workstream: '00-080-01' },
      `also declared by ${fixture('broken/duplicate-ids/a/00-080-01-first.md')}:2`,
    ],
    [
      'feature-mismatch',
      '00-080-01-wrong-feature.md',
      { line: 3, field: 'feature_id', text: 'F081' },
      'feature_id F081 disagrees with ws_id 00-080-01, which belongs to F080',
    ],
    [
      'blocks-unknown',
      '00-080-01-schema.md',
      { line: 3, field: 'blocks', text: '[00-080-07]' },
      'blocks names 00-080-07, which no file in',
    ],
    ['dependencies-without-ws-id', 'login.md', { line: 3, field: 'depends_on' }, 'has depends_on but no ws_id'],
    [
      'ws-id-outside-metadata',
      '00-080-01-login.md',
      { line: 3, field: 'ws_id' },
      'outside the front matter and outside a "## Metadata" section',
    ],
    ['unclosed-front-matter', '00-080-01-login.md', { line: 2 }, 'never closed'],
    ['conflicting-ws-ids', '00-080-01-login.md', { line: 8, field: 'ws_id' }, 'ws_id 00-080-02 disagrees with ws_id 00-080-01 on line 2'],
    ['non-scalar-status', '00-080-01-login.md', { line: 3, field: 'status' }, 'status must be a single value'],
  ])('%s: names the file, line and problem', async (folder, file, details, problem) => {
    const error = await rejectionOf(loadWorkstreams(fixture(`broken/${folder}`)));
    expect(isWorkstreamFileError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CLI_WORKSTREAM_FILE', file: fixture(`broken/${folder}/${file}`), ...details });
    expect((error as Error).message).toContain(problem);
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });

  it('passes over a non-workstream file whose front matter is broken', async () => {
    const loaded = await loadWorkstreams(fixture('broken/yaml-syntax-report'));
    expect(loaded.nodes.map((node) => node.id)).toEqual(['00-080-01']);
    expect(loaded.skippedFiles).toEqual([
      {
        file: fixture('broken/yaml-syntax-report/NOTES.md'),
        reason: 'front matter is not valid YAML (line 2) and declares no ws_id',
        category: 'not-workstream',
      },
    ]);
  });
});

describe('loadWorkstreams on a temporary folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sdp-load-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = async (relative: string, text: string): Promise<void> => {
    await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
    await writeFile(path.join(dir, relative), text);
  };

  it('reads *.md in any case and CRLF files; skips other files, hidden folders and node_modules', async () => {
    await write('a.MD', '---\r\nws_id: 00-090-01\r\nstatus: done\r\n---\r\n');
    await write('b.md', '## Metadata\r\n- **ws_id**: 00-090-02\r\n- **dependencies**: 00-090-01\r\n');
    await write('c.txt', '---\nws_id: 00-090-03\n---\n');
    await write('.sdp/logs/x.md', '---\nws_id: 00-090-04\n---\n');
    await write('node_modules/pkg/README.md', '---\nws_id: 00-090-05\n---\n');
    const loaded = await loadWorkstreams(dir);
    expect(shape(loaded.nodes)).toEqual([
      { id: '00-090-01', dependsOn: [], done: true },
      { id: '00-090-02', dependsOn: ['00-090-01'], done: false },
    ]);
  });

  it('reads a symbolic link to a file but does not follow links to folders', async () => {
    await write('real/00-090-01.md', '---\nws_id: 00-090-01\n---\n');
    await symlink(path.join(dir, 'real/00-090-01.md'), path.join(dir, 'link.md'));
    await symlink(dir, path.join(dir, 'loop'));
    const error = await rejectionOf(loadWorkstreams(dir));
    expect(error).toMatchObject({ code: 'CLI_WORKSTREAM_FILE', file: path.join(dir, 'real/00-090-01.md') });
    expect((error as Error).message).toContain(`also declared by ${path.join(dir, 'link.md')}`);
  });

  it('lists skipped files in path order and reports duplicates against the first file in that order', async () => {
    await write('z/00-090-01.md', '---\nws_id: 00-090-01\n---\n');
    await write('a/00-090-01.md', '## Metadata\n- ws_id: 00-090-01\n');
    const error = await rejectionOf(loadWorkstreams(dir));
    expect(error).toMatchObject({ file: path.join(dir, 'z/00-090-01.md') });
    expect((error as Error).message).toContain(`also declared by ${path.join(dir, 'a/00-090-01.md')}:2`);
  });

  it('applies blocks across features', async () => {
    await write('00-052-01.md', '---\nws_id: 00-052-01\nstatus: done\nblocks: 00-060-01 (graph first)\n---\n');
    await write('00-060-01.md', '---\nws_id: 00-060-01\n---\n');
    const loaded = await loadWorkstreams(dir, { feature: 'F060' });
    expect(shape(loaded.nodes)).toEqual([{ id: '00-060-01', dependsOn: ['00-052-01'], done: false }]);
    expect(loaded.external.map((node) => node.id)).toEqual(['00-052-01']);
  });

  it('gives a file whose feature cannot be told to the one feature beside it, and to none in a mixed folder', async () => {
    await write('f090/00-090-01.md', '---\nws_id: 00-090-01\n---\n');
    await write('f090/notes.md', '---\ndepends_on: 00-090-01\n---\n');
    await write('mixed/00-091-01.md', '---\nws_id: 00-091-01\n---\n');
    await write('mixed/00-092-01.md', '---\nws_id: 00-092-01\n---\n');
    await write('mixed/stray.md', '---\nblocks: 00-092-01\n---\n');
    const error = await rejectionOf(loadWorkstreams(dir, { feature: 'F090' }));
    expect(error).toMatchObject({ code: 'CLI_WORKSTREAM_FILE', file: path.join(dir, 'f090/notes.md'), line: 2 });
    const loaded = await loadWorkstreams(dir, { feature: 'F091' });
    expect(loaded.otherProblems.map((problem) => path.relative(dir, problem.file))).toEqual(['f090/notes.md', 'mixed/stray.md']);
  });

  it('reports a folder without workstreams as a selection problem', async () => {
    await write('SUMMARY.md', '# Summary\n');
    const error = await rejectionOf(loadWorkstreams(dir));
    expect(error).toMatchObject({ code: 'CLI_SELECTION', features: [] });
    expect((error as Error).message).toContain('holds no workstreams (1 markdown file, none declares a workstream id)');
  });

  it("passes on the file system's error for a folder that does not exist", async () => {
    await expect(loadWorkstreams(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops with the reason of an aborted signal', async () => {
    await write('00-090-01.md', '---\nws_id: 00-090-01\n---\n');
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    controller.abort(reason);
    await expect(loadWorkstreams(dir, {}, controller.signal)).rejects.toBe(reason);
  });
});

describe('loadWorkstreams arguments', () => {
  it.each([
    [() => loadWorkstreams(''), TypeError, 'dir must be a non-empty string'],
    [() => loadWorkstreams(42 as unknown as string), TypeError, 'got 42'],
    [() => loadWorkstreams('.', null as unknown as object), TypeError, 'options must be an object, got null'],
    [() => loadWorkstreams('.', { feature: 52 as unknown as string }), TypeError, 'options.feature must be a string'],
    [
      () => loadWorkstreams('.', { feature: 'auth' }),
      RangeError,
      'options.feature must be a feature id such as "F052" or "052", got "auth"',
    ],
    [() => loadWorkstreams('.', {}, {} as AbortSignal), TypeError, 'signal must be an AbortSignal'],
  ])('refuses bad arguments up front (%#)', async (call, type, message) => {
    const error = await rejectionOf(call());
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toContain(message);
  });
});
