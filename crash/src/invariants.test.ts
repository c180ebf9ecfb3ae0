import { describe, expect, it } from 'vitest';
import { InvariantViolation, TrialChecker, type RunEnd } from './invariants.js';
import { parseRunLog, type LogRecord } from './run-log.js';

// The checker must catch each broken invariant, or a green harness proves nothing.

const dependsOn = new Map<string, readonly string[]>([
  ['a', []],
  ['b', ['a']],
  ['c', ['a']],
  ['d', ['b', 'c']],
]);

const start = (id: string) => `start ${id} 100`;
const end = (id: string) => `end ${id}`;
const records = (...lines: string[]): LogRecord[] => parseRunLog(`${lines.join('\n')}\n`);
/** Killed after the first `recordsAtKill` records of the whole log. */
const killedAt = (recordsAtKill: number): RunEnd => ({ killed: true, recordsAtKill });
const exited: RunEnd = { killed: false };

describe('TrialChecker', () => {
  it('accepts a kill, a resume and a success, and accounts for every re-execution', () => {
    const checker = new TrialChecker(dependsOn, 2);
    const first = records(start('a'), end('a'), start('b'), start('c'), end('b'), end('c'));
    // Killed after 5 records: a saved completed, b ended but not saved, c executing (it ended after the kill).
    expect(checker.afterRun(first, { completed: ['a'], running: ['b', 'c'] }, killedAt(5))).toEqual({
      starts: 3,
      reExecutions: 0,
      executingAtKill: 1,
      unsavedCompletions: 1,
      lost: 2,
    });
    const all = [...first, ...records(start('b'), start('c'), end('c'), end('b'), start('d'), end('d'))];
    expect(checker.afterRun(all, null, exited)).toMatchObject({ starts: 3, reExecutions: 2, lost: 0 });
    expect(checker.finish()).toEqual({ starts: 6, reExecutions: 2 });
  });

  it.each([
    [
      'a start before a dependency ended',
      records(start('a'), start('b')),
      null,
      killedAt(2),
      'run 1: b started before its dependency a had an end record',
    ],
    [
      'a workstream started twice at once',
      records(start('a'), end('a'), start('b'), start('c'), start('b')),
      null,
      killedAt(5),
      'run 1: b started twice at once',
    ],
    [
      'a completion without an end record',
      records(start('a')),
      { completed: ['a'], running: [] },
      killedAt(1),
      'run 1: the checkpoint records a completed without an end record in the log',
    ],
    [
      'a workstream both completed and running',
      records(start('a'), end('a')),
      { completed: ['a'], running: ['a'] },
      killedAt(2),
      'run 1: the checkpoint records a both completed and running',
    ],
    ['an end without a start', records(end('a')), null, killedAt(1), 'run 1: end a without a start in the same run'],
    ['an unknown workstream', records(start('x')), null, killedAt(1), 'run 1: the log names x, which is not a workstream of the feature'],
    [
      'a success that never ran d',
      records(start('a'), end('a'), start('b'), end('b'), start('c'), end('c')),
      null,
      exited,
      'run 1: the run exited 0 but never completed d',
    ],
    [
      'a success that left a checkpoint',
      records(start('a'), end('a'), start('b'), end('b'), start('c'), end('c'), start('d'), end('d')),
      { completed: ['a', 'b', 'c', 'd'], running: [] },
      exited,
      'run 1: the run exited 0 but left a checkpoint',
    ],
  ] as const)('catches %s', (_name, run, checkpoint, how, message) => {
    const checker = new TrialChecker(dependsOn, 3);
    expect(() => checker.afterRun(run, checkpoint, how)).toThrow(new InvariantViolation(message));
  });

  it('catches more executors at once than the concurrency', () => {
    const checker = new TrialChecker(dependsOn, 1);
    expect(() => checker.afterRun(records(start('a'), end('a'), start('b'), start('c')), null, killedAt(4))).toThrow(
      'run 1: 2 executors ran at once (b, c), above concurrency 1',
    );
  });

  it('catches more workstreams executing at a kill than the concurrency', () => {
    // b ended before c started, but after the kill: b and c were both executing when the dispatcher died.
    const checker = new TrialChecker(dependsOn, 1);
    expect(() => checker.afterRun(records(start('a'), end('a'), start('b'), end('b'), start('c')), null, killedAt(3))).toThrow(
      'run 1: 2 workstreams were executing at the kill, above concurrency 1',
    );
  });

  it('catches a workstream started again after a checkpoint recorded it completed', () => {
    const checker = new TrialChecker(dependsOn, 2);
    const first = records(start('a'), end('a'));
    checker.afterRun(first, { completed: ['a'], running: [] }, killedAt(2));
    expect(() => checker.afterRun([...first, ...records(start('a'))], null, killedAt(3))).toThrow(
      'run 2: a started again although a checkpoint recorded it completed',
    );
  });

  it('catches a re-execution no kill accounts for (a workstream run twice within one run)', () => {
    const checker = new TrialChecker(new Map([['a', []]]), 1);
    checker.afterRun(records(start('a'), end('a'), start('a'), end('a')), null, exited);
    expect(() => checker.finish()).toThrow('2 starts for 1 workstreams: 1 re-executions, but the kills lost only 0 executions');
  });
});

describe('parseRunLog', () => {
  it('reads start and end records and refuses anything else', () => {
    expect(parseRunLog('start 00-070-01 123\nend 00-070-01\n')).toEqual([
      { kind: 'start', id: '00-070-01', pid: 123 },
      { kind: 'end', id: '00-070-01' },
    ]);
    expect(() => parseRunLog('start 00-070-01\n')).toThrow('run log line 1 is not a record: "start 00-070-01"');
  });
});
