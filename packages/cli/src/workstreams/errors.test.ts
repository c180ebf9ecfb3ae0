import { describe, expect, it } from 'vitest';
import { CliError, isCliError } from '../cli-error.js';
import { ExternalDependencyError, isExternalDependencyError } from './external-dependency-error.js';
import { WorkstreamFileError, isWorkstreamFileError } from './workstream-file-error.js';
import { WorkstreamSelectionError, isWorkstreamSelectionError } from './workstream-selection-error.js';

describe('WorkstreamFileError', () => {
  it('is one line naming file, line, workstream and problem, and keeps the details', () => {
    const error = new WorkstreamFileError({
      file: '/w/00-060-05.md',
      line: 7,
      field: 'depends_on',
      text: 'the auth stuff',
      workstream: '00-060-05',
      problem: 'depends_on "the auth stuff" cannot be read',
    });
    expect(error.message).toBe('/w/00-060-05.md:7: 00-060-05: depends_on "the auth stuff" cannot be read');
    expect(error).toMatchObject({
      name: 'WorkstreamFileError',
      code: 'CLI_WORKSTREAM_FILE',
      file: '/w/00-060-05.md',
      line: 7,
      field: 'depends_on',
      text: 'the auth stuff',
    });
    expect(error).toBeInstanceOf(Error);
  });

  it('leaves out what is not known', () => {
    const error = new WorkstreamFileError({ file: '/w/a.md', problem: 'broken' });
    expect(error.message).toBe('/w/a.md: broken');
    expect(Object.keys(error)).not.toContain('line');
    expect(Object.keys(error)).not.toContain('workstream');
  });
});

describe('ExternalDependencyError', () => {
  it('says whether the dependency is unfinished or absent', () => {
    const notDone = new ExternalDependencyError({
      workstream: '00-060-01',
      dependency: '00-052-02',
      file: '/w/00-060-01.md',
      reason: 'not-done',
      dependencyFile: '/w/00-052-02.md',
      dependencyFeature: 'F052',
    });
    expect(notDone.message).toBe('/w/00-060-01.md: 00-060-01 depends on 00-052-02 of feature F052, which is not done (/w/00-052-02.md)');
    const absent = new ExternalDependencyError({
      workstream: '00-060-01',
      dependency: '00-099-01',
      file: '/w/x.md',
      reason: 'not-found',
      dependencyFeature: 'F099',
    });
    expect(absent.message).toBe('/w/x.md: 00-060-01 depends on 00-099-01 of feature F099, which no file in the folder declares');
    expect(absent.dependencyFile).toBeUndefined();
  });
});

describe('guards', () => {
  const file = new WorkstreamFileError({ file: '/w/a.md', problem: 'broken' });
  const selection = new WorkstreamSelectionError('several features', ['F052', 'F060']);
  const external = new ExternalDependencyError({
    workstream: 'a',
    dependency: 'b',
    file: '/w/a.md',
    reason: 'not-found',
    dependencyFeature: 'F001',
  });

  it('recognise their own error and nothing else', () => {
    const values = [file, selection, external, new Error('x'), null, 'CLI_WORKSTREAM_FILE'];
    expect(values.map(isWorkstreamFileError)).toEqual([true, false, false, false, false, false]);
    expect([file, selection, external, { code: 'CLI_SELECTION' }].map(isWorkstreamSelectionError)).toEqual([false, true, false, false]);
    expect([file, selection, external, undefined].map(isExternalDependencyError)).toEqual([false, false, true, false]);
  });

  it('recognise errors from another copy of the package by their name and code', () => {
    const copy = Object.assign(new Error('from another copy'), {
      name: 'WorkstreamFileError',
      code: 'CLI_WORKSTREAM_FILE',
      file: '/w/a.md',
    });
    expect(isWorkstreamFileError(copy)).toBe(true);
    expect(isCliError(copy)).toBe(true);
    expect(
      isWorkstreamSelectionError(Object.assign(new Error('x'), { name: 'WorkstreamSelectionError', code: 'CLI_SELECTION', features: [] })),
    ).toBe(true);
    expect(
      isExternalDependencyError(
        Object.assign(new Error('x'), { name: 'ExternalDependencyError', code: 'CLI_EXTERNAL_DEPENDENCY', workstream: 'a' }),
      ),
    ).toBe(true);
    // The same code under another name is not this class; an old code is not a CLI error.
    expect(isWorkstreamFileError(Object.assign(new Error('x'), { name: 'Other', code: 'CLI_WORKSTREAM_FILE' }))).toBe(false);
    expect(isCliError(Object.assign(new Error('x'), { code: 'INVALID_WORKSTREAM' }))).toBe(false);
  });

  it('share one base class, CliError, with CLI_ codes', () => {
    for (const error of [file, selection, external]) {
      expect(error).toBeInstanceOf(CliError);
      expect(isCliError(error)).toBe(true);
      expect(error.code.startsWith('CLI_')).toBe(true);
    }
  });
});
