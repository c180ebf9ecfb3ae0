import { describe, expect, it } from 'vitest';
import { recorded, WorkstreamTable } from './workstream-table.js';

/** Marks attempt `attempt` of `node` started at `at`, as the ledger does. */
function start(table: WorkstreamTable, node: number, attempt: number, at: number): void {
  table.attempts[node] = attempt;
  table.attemptStartedAt[node] = at;
}

describe('WorkstreamTable', () => {
  it('starts every row empty: no attempt, nothing recorded', () => {
    const table = new WorkstreamTable(2);
    expect(table.recordsOf(0)).toEqual([]);
    expect(recorded(table.startedAt, 1)).toBeUndefined();
    expect(recorded(table.durationMs, 1)).toBeUndefined();
    // A node past the table (added to the graph during the run) reads as empty too.
    expect(table.recordsOf(5)).toEqual([]);
    expect(recorded(table.startedAt, 5)).toBeUndefined();
  });

  it('keeps a plain completion as numbers and makes its record, last, when read', () => {
    const table = new WorkstreamTable(1);
    start(table, 0, 1, 1000);
    table.recordEnd(0, 'failed', 1200, undefined, Object.assign(new Error('exit 2'), { exitCode: 2 }));
    start(table, 0, 2, 1300);
    table.recordEnd(0, 'completed', 1350, undefined, undefined);
    expect(table.recordsOf(0)).toEqual([
      { attempt: 1, startedAt: 1000, endedAt: 1200, outcome: 'failed', error: { name: 'Error', message: 'exit 2', exitCode: 2 } },
      { attempt: 2, startedAt: 1300, endedAt: 1350, outcome: 'completed' },
    ]);
  });

  it('records a completion with a handle in full, and a failure with its handle and error', () => {
    const table = new WorkstreamTable(1);
    start(table, 0, 1, 10);
    table.recordEnd(0, 'abandoned', 20, { pgid: 7 }, 'gone');
    start(table, 0, 2, 30);
    table.recordEnd(0, 'completed', 40, { pgid: 8 }, undefined);
    expect(table.recordsOf(0)).toEqual([
      { attempt: 1, startedAt: 10, endedAt: 20, outcome: 'abandoned', error: { name: 'Error', message: 'gone' }, handle: { pgid: 7 } },
      { attempt: 2, startedAt: 30, endedAt: 40, outcome: 'completed', handle: { pgid: 8 } },
    ]);
    expect(recorded(table.completedAt, 0)).toBeUndefined();
  });
});
