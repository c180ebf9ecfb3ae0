import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '@sdp/internal/testing';
import { parseCommandLine, type CommonArgs } from './args.js';
import { isCliError } from './cli-error.js';
import { loadFeature, skippedFilesText } from './load-feature.js';
import { isExternalDependencyError, isWorkstreamFileError, type WorkstreamFileError } from './workstreams/index.js';

const FIXTURES = fileURLToPath(new URL('../test-fixtures/workstreams/', import.meta.url));

function argsOf(...argv: string[]): CommonArgs {
  const parsed = parseCommandLine(['plan', ...argv]);
  if (parsed.kind !== 'plan') throw new Error('expected plan');
  return parsed.args;
}

describe('loadFeature', () => {
  it('refuses a feature with every problem of its files and of its graph in one error, each with file:line and what to change', async () => {
    const folder = path.join(FIXTURES, 'broken', 'many-problems');
    const error = (await rejectionOf(loadFeature(argsOf(folder)))) as WorkstreamFileError;
    expect(isWorkstreamFileError(error)).toBe(true);
    expect(isCliError(error)).toBe(true);
    const at = (file: string) => path.join(folder, file);
    expect(error.problems.map((problem) => [problem.file, problem.line, problem.problem])).toEqual([
      [at('00-081-01-login.md'), 3, expect.stringContaining('depends_on "the auth stuff" cannot be read as workstream ids')],
      [
        at('00-081-02-logout.md'),
        8,
        'Dependencies line "Phases 1-5 must be complete." names no workstream id: write the ids it means (like 00-052-14), or None',
      ],
      [at('00-081-03-session.md'), 2, `workstream id is also declared by ${at('00-081-01-login.md')}:2: remove one copy, or --exclude it`],
      [at('00-081-05-audit.md'), 6, 'status "in progress" disagrees with status "done" on line 3: keep one'],
      // The graph's problem comes in the same run.
      [at('00-081-04-tokens.md'), undefined, expect.stringContaining('00-081-09')],
    ]);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('5 problems in the workstream files of feature F081 (fix them all):');
    expect(lines).toHaveLength(6);
  });

  it('gives plan the feature that waits for another one, and refuses it to every other command', async () => {
    const args = argsOf(path.join(FIXTURES, 'wild'), '--feature', 'F052', '--exclude', 'archive');
    const feature = await loadFeature(args, { allowWaiting: true });
    expect(feature.graph.levels()).toEqual([['00-052-01', '00-052-04'], ['00-052-02'], ['00-052-03']]);
    expect(feature.loaded.waiting.map((item) => item.dependency)).toEqual(['00-053-01']);
    expect(isExternalDependencyError(await rejectionOf(loadFeature(args)))).toBe(true);
  });

  it('puts the state under the root of the repository holding the folder', async () => {
    const feature = await loadFeature(argsOf(path.join(FIXTURES, 'formats')));
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    expect(feature.paths).toEqual({
      stateDir: path.join(root, '.sdp'),
      checkpointDir: path.join(root, '.sdp', 'checkpoints'),
      logDir: path.join(root, '.sdp', 'logs', 'F041'),
      runsDir: path.join(root, '.sdp', 'runs', 'F041'),
    });
  });

  it('counts what it passed over in one line, and lists it with --verbose', async () => {
    const feature = await loadFeature(argsOf(path.join(FIXTURES, 'wild'), '--feature', 'F052', '--exclude', 'archive'), {
      allowWaiting: true,
    });
    expect(skippedFilesText(feature.loaded, false)).toBe(
      'Passed over: 2 files that are not workstreams (1 template, 1 report), 1 excluded, 3 problems in files of other features; --verbose lists them\n',
    );
    const verbose = skippedFilesText(feature.loaded);
    expect(verbose).toContain('Problems in files of other features (they do not block this one):');
    expect(verbose).toContain('00-060-01-members-copy.md:2: 00-060-01: workstream id is also declared by');
    expect(verbose).toContain('TEMPLATE.md: a template');
  });
});
