import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DependencyGraph, type GraphNode } from '@sdp/graph';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunRecording, sayAlreadyCompleted } from './run-recording.js';
import { newRunId, RunStore } from './run-store.js';
import { simulatedRun } from './testing/simulated-run.js';

const nodes: GraphNode[] = [{ id: 'a' }, { id: 'b', dependsOn: ['a'] }, { id: 'c' }];
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sdp-recording-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (options: { fresh?: boolean; checkpointFiles?: string[] } = {}) =>
  RunRecording.open({
    featureId: 'F001',
    graph: DependencyGraph.fromNodes(nodes),
    runsDir: join(dir, 'runs'),
    fresh: options.fresh ?? false,
    checkpointFiles: options.checkpointFiles ?? [join(dir, 'F001-checkpoint.json')],
  });

describe('RunRecording', () => {
  it('with no records runs everything and passes no durations', async () => {
    const recording = await open();
    expect(recording.plan).toMatchObject({ kind: 'run', completed: [] });
    expect(recording.dispatcherOptions()).toEqual({});
    expect(recording.notes).toEqual([]);
  });

  it('passes the measured durations of earlier runs to the dispatcher as knownDurationsMs', async () => {
    const record = await simulatedRun({ nodes, failAlways: ['b'] });
    await new RunStore(join(dir, 'runs')).write(record);
    const { knownDurationsMs } = (await open()).dispatcherOptions();
    const measured = (id: string) => {
      const attempt = record.results.find((result) => result.id === id)?.attemptRecords[0];
      return (attempt?.endedAt ?? 0) - (attempt?.startedAt ?? 0);
    };
    expect(knownDurationsMs).toEqual(
      new Map([
        ['a', measured('a')],
        ['c', measured('c')],
      ]),
    );
  });

  it('says a completed feature is done, unless --fresh or a checkpoint says a later run stopped', async () => {
    const record = await simulatedRun({ nodes });
    await new RunStore(join(dir, 'runs')).write(record);
    expect((await open()).plan).toEqual({ kind: 'done', record });
    expect((await open({ fresh: true })).plan.kind).toBe('run');
    for (const leftover of ['F001-checkpoint.json', 'F001-checkpoint.json.bak', 'F001-checkpoint.json.journal']) {
      await writeFile(join(dir, leftover), '{}');
      const files = ['F001-checkpoint.json', 'F001-checkpoint.json.bak', 'F001-checkpoint.json.journal'].map((name) => join(dir, name));
      expect((await open({ checkpointFiles: files })).plan.kind).toBe('run');
      await rm(join(dir, leftover));
    }

    const lines: string[] = [];
    const code = await sayAlreadyCompleted(
      record,
      { write: (text: string) => lines.push(text) },
      { json: false, htmlPath: join(dir, 'done.html') },
    );
    expect(code).toBe(0);
    expect(lines.join('')).toContain(`every workstream completed in run ${record.runId}`);
  });

  it('passes over a damaged record with a note, and never calls the feature done on the strength of an older one', async () => {
    const record = await simulatedRun({ nodes });
    await new RunStore(join(dir, 'runs')).write(record);
    const damaged = newRunId(record.startedAt + 60_000);
    await writeFile(join(dir, 'runs', `${damaged}.json`), '{"version":1,"runId":');
    const recording = await open();
    expect(recording.plan.kind).toBe('run');
    expect(recording.notes).toEqual([expect.stringContaining(`warning: run record ${damaged} passed over: run record`)]);
  });

  it('writes no record for a run that stopped before anything started, but the html it was asked for', async () => {
    const recording = await open();
    const finished = await simulatedRun({ nodes });
    const report = {
      featureId: 'F001',
      outcome: 'cancelled' as const,
      results: finished.results.map((result) => ({
        id: result.id,
        status: 'not-run' as const,
        attempts: 0,
        attemptRecords: [],
        alreadyCompleted: false,
        rerunAfterCrash: false,
      })),
      totals: { completed: 0, failed: 0, skipped: 0, cancelled: 0, 'not-run': 3 },
      resumed: false,
      makespanMs: 0,
      lowerBoundMs: 0,
      checkpointErrors: [],
      startedAt: 0,
      endedAt: 0,
      concurrency: 3,
      graphFingerprint: '',
      criticalPath: [],
      breakerChanges: [],
      inDoubt: [],
      abandoned: [],
    };
    const nothing = await recording.finish(report, {
      concurrency: 3,
      logDir: '/logs',
      resumeCommand: 'sdp-dispatch run ws',
      htmlPath: join(dir, 'stopped.html'),
    });
    expect(nothing.path).toBeUndefined();
    expect(await new RunStore(join(dir, 'runs')).list()).toEqual([]);
    // run --report still gets its page, however the run stopped.
    expect(await readFile(join(dir, 'stopped.html'), 'utf8')).toContain('Feature F001: interrupted');
  });
});
