import { DependencyGraph, type GraphNode } from '@sdp/graph';
import { describe, expect, it } from 'vitest';
import { knownDurationsOf, planFromHistory, unchangedIn, type History } from './run-history.js';
import type { StoredRunRecord } from './run-record.js';
import { simulatedRun } from './testing/simulated-run.js';

const diamond: GraphNode[] = [
  { id: 'a' },
  { id: 'b', dependsOn: ['a'] },
  { id: 'c', dependsOn: ['a'] },
  { id: 'd', dependsOn: ['b', 'c'] },
  { id: 'e' },
];
const graphOf = (nodes: readonly GraphNode[]) => DependencyGraph.fromNodes(nodes);
const history = (...records: StoredRunRecord[]): History => ({ records, unreadable: [] });
const run = { fresh: false, checkpointExists: false };

describe('planFromHistory: no silent re-run', () => {
  it('says there is nothing to do when the latest run completed this very graph', async () => {
    const complete = await simulatedRun({ nodes: diamond });
    expect(complete.outcome).toBe('completed');
    const plan = planFromHistory(history(complete), graphOf(diamond), run);
    expect(plan).toEqual({ kind: 'done', record: complete });
    // Node order does not change the structure.
    expect(planFromHistory(history(complete), graphOf([...diamond].reverse()), run).kind).toBe('done');
  });

  it('runs everything again with --fresh, and resumes (no conclusion) while a checkpoint exists', async () => {
    const complete = await simulatedRun({ nodes: diamond });
    for (const options of [
      { ...run, fresh: true },
      { ...run, checkpointExists: true },
    ]) {
      const plan = planFromHistory(history(complete), graphOf(diamond), options);
      expect(plan).toMatchObject({ kind: 'run', completed: [] });
    }
  });

  it('concludes nothing from a failed or cancelled latest run, even after a complete one', async () => {
    const complete = await simulatedRun({ nodes: diamond });
    const failed = await simulatedRun({ nodes: diamond, failAlways: ['c'] });
    const cancelled = await simulatedRun({ nodes: diamond, cancelAfterMs: 300 });
    expect([failed.outcome, cancelled.outcome]).toEqual(['failed', 'cancelled']);
    for (const latest of [failed, cancelled]) {
      expect(planFromHistory(history(complete, latest), graphOf(diamond), run)).toMatchObject({ kind: 'run', completed: [] });
    }
  });

  it('never concludes from an older record when the newest cannot be read', async () => {
    const complete = await simulatedRun({ nodes: diamond });
    const plan = planFromHistory(
      { records: [complete], unreadable: [{ runId: `${complete.runId}x`, error: new Error('truncated') }] },
      graphOf(diamond),
      run,
    );
    expect(plan.kind).toBe('run');
    const older = planFromHistory(
      { records: [complete], unreadable: [{ runId: '0', error: new Error('truncated') }] },
      graphOf(diamond),
      run,
    );
    expect(older.kind).toBe('done');
  });

  it('after a graph change keeps only what is unchanged with unchanged dependencies, as a resume would', async () => {
    const complete = await simulatedRun({ nodes: diamond });
    // c gains a dependency on e: c changes, d (depending on c) must run again; a, b, e stay done; f is new.
    const changed: GraphNode[] = [
      ...diamond.filter((node) => node.id !== 'c'),
      { id: 'c', dependsOn: ['a', 'e'] },
      { id: 'f', dependsOn: ['b'] },
    ];
    const plan = planFromHistory(history(complete), graphOf(changed), run);
    expect(plan).toMatchObject({ kind: 'run', completed: ['a', 'b', 'e'], changedSince: complete });
    // A workstream removed from the graph is simply gone; its dependents changed.
    const removed = graphOf([{ id: 'a' }, { id: 'c', dependsOn: ['a'] }, { id: 'd', dependsOn: ['c'] }]);
    expect(unchangedIn(complete, removed)).toEqual(['a', 'c']);
  });
});

describe('knownDurationsOf', () => {
  it('takes each workstream’s latest completed attempt over all records, never a failed or cancelled one', async () => {
    const first = await simulatedRun({ nodes: diamond, failOnce: ['b'] });
    const second = await simulatedRun({ nodes: diamond, failAlways: ['d'] });
    const durations = knownDurationsOf([first, second]);
    const completedMs = (record: StoredRunRecord, id: string) => {
      const attempt = record.results
        .find((result) => result.id === id)
        ?.attemptRecords.findLast((candidate) => candidate.outcome === 'completed');
      return attempt === undefined ? undefined : attempt.endedAt - attempt.startedAt;
    };
    expect(durations.get('b')).toBe(completedMs(second, 'b'));
    expect(durations.get('d')).toBe(completedMs(first, 'd'));
    expect([...durations.keys()].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(knownDurationsOf([])).toEqual(new Map());
  });
});
