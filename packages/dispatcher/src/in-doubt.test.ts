import { CheckpointStore, type Checkpoint } from '@sdp/checkpoint';
import type { DependencyGraph } from '@sdp/graph';
import { deferred, settle } from '@sdp/internal/testing';
import { describe, expect, it, vi } from 'vitest';
import type { AttemptHandle } from './attempt-handle.js';
import { Dispatcher } from './dispatcher.js';
import { isInDoubtError } from './errors.js';
import type { InDoubtResult } from './events.js';
import type { DispatcherOptions } from './options.js';
import { graphOf } from './testing/graph-of.js';
import { useTestDir } from './testing/test-dir.js';
import { RecordingExecutor } from './testing/recording-executor.js';

const test = useTestDir('sdp-in-doubt-');

/** The checkpoint a process killed while `running` ran leaves behind (its handles recorded). */
async function crashedRun(graph: DependencyGraph, running: Record<string, AttemptHandle>, completed: string[] = []): Promise<void> {
  const store = new CheckpointStore({ featureId: 'F001', dir: test.dir });
  await store.acquire();
  const checkpoint: Checkpoint = {
    version: '1.0',
    feature_id: 'F001',
    timestamp: new Date(test.clock.now()).toISOString(),
    completed,
    failed: [],
    graph: graph.snapshot(completed),
    circuit_breaker: null,
    graph_fingerprint: graph.fingerprint(),
    running: Object.keys(running),
    attempt_handles: running,
  };
  await store.save(checkpoint);
  await store.release();
}

function resumed(graph: DependencyGraph, options: Partial<DispatcherOptions>) {
  const dispatcher = new Dispatcher(graph, { featureId: 'F001', checkpoint: { dir: test.dir }, clock: test.clock, ...options });
  const events: InDoubtResult[] = [];
  dispatcher.onInDoubt((event) => events.push(event));
  return { dispatcher, events };
}

describe('Resume after a crash with attempts in doubt', () => {
  it('awaits endInDoubt for every recorded handle before anything starts', async () => {
    const graph = graphOf({ a: [], b: ['a'], c: [] });
    await crashedRun(graph, { a: { pgid: 4242, host: 'test-host', startedAt: 123 } });
    const ending = deferred<'ended' | 'gone'>();
    const calls: [string, AttemptHandle][] = [];
    const { dispatcher, events } = resumed(graph, {
      endInDoubt: (id, handle) => {
        calls.push([id, handle]);
        return ending.promise;
      },
    });
    const executor = new RecordingExecutor(() => true);
    const running = dispatcher.run(executor.execute);
    await vi.waitFor(() => {
      expect(calls).toEqual([['a', { pgid: 4242, host: 'test-host', startedAt: 123 }]]);
    });
    await settle();
    expect(executor.started).toEqual([]); // not even c, which has nothing to do with a
    ending.resolve('ended');
    const report = await running;
    expect(report.outcome).toBe('completed');
    expect(executor.started).toEqual(['a', 'c', 'b']);
    const expected = { id: 'a', handle: { pgid: 4242, host: 'test-host', startedAt: 123 }, outcome: 'ended' };
    expect(events).toEqual([expected]);
    expect(report.inDoubt).toEqual([expected]);
    expect(report.results[0]).toMatchObject({ status: 'completed', rerunAfterCrash: true });
  });

  it('does not start a workstream whose endInDoubt throws, keeps it recorded as running with its handle, and goes on with the rest', async () => {
    const graph = graphOf({ a: [], b: ['a'], c: [], d: [] });
    await crashedRun(graph, { a: { pgid: 4242 }, d: { pgid: 4343 } });
    const { dispatcher, events } = resumed(graph, {
      endInDoubt: (id) => (id === 'a' ? Promise.reject(new Error('EPERM: cannot signal process group 4242')) : Promise.resolve('gone')),
    });
    const executor = new RecordingExecutor(() => true);
    const report = await dispatcher.run(executor.execute);
    expect(executor.started.sort()).toEqual(['c', 'd']);
    expect(events).toEqual([
      { id: 'a', handle: { pgid: 4242 }, outcome: 'error', error: 'EPERM: cannot signal process group 4242' },
      { id: 'd', handle: { pgid: 4343 }, outcome: 'gone' },
    ]);
    const a = report.results[0];
    expect(a).toMatchObject({ status: 'failed', attempts: 0, attemptRecords: [] });
    expect(isInDoubtError(a?.error)).toBe(true);
    expect((a?.error as Error).message).toContain('EPERM: cannot signal process group 4242');
    expect(report.results[1]).toMatchObject({ id: 'b', status: 'skipped', blockedBy: 'a' });
    // The next resume still knows a may be running, and how to find it.
    const saved = await new CheckpointStore({ featureId: 'F001', dir: test.dir }).load();
    expect(saved).toMatchObject({ running: ['a'], attempt_handles: { a: { pgid: 4242 } } });
    expect(saved?.attempt_handles).not.toHaveProperty('d');
  });

  it('without endInDoubt, does not start a workstream recorded as running with a handle', async () => {
    const graph = graphOf({ a: [], c: [] });
    await crashedRun(graph, { a: { pgid: 4242 } });
    const { dispatcher, events } = resumed(graph, {});
    const executor = new RecordingExecutor(() => true);
    const report = await dispatcher.run(executor.execute);
    expect(executor.started).toEqual(['c']);
    expect(events).toEqual([{ id: 'a', handle: { pgid: 4242 }, outcome: 'error', error: 'no endInDoubt option was given to end it' }]);
    expect(report.results[0]?.status).toBe('failed');
  });

  it('passes the run signal to endInDoubt, and an answer that is neither ended nor gone counts as an error', async () => {
    const graph = graphOf({ a: [] });
    await crashedRun(graph, { a: { pgid: 1 } });
    let seen: AbortSignal | undefined;
    const controller = new AbortController();
    const { dispatcher, events } = resumed(graph, {
      endInDoubt: (_id, _handle, signal) => {
        seen = signal;
        return Promise.resolve('maybe' as 'gone');
      },
    });
    const report = await dispatcher.run(new RecordingExecutor(() => true).execute, { signal: controller.signal });
    expect(seen).toBe(controller.signal);
    expect(events[0]).toMatchObject({ outcome: 'error', error: "endInDoubt returned maybe, not 'ended' or 'gone'" });
    expect(report.results[0]?.status).toBe('failed');
  });

  it('records the handle an executor sets while its attempt runs, for the next resume to find', async () => {
    const graph = graphOf({ a: [] });
    const dispatcher = new Dispatcher(graph, { featureId: 'F001', checkpoint: { dir: test.dir }, clock: test.clock });
    const executor = new RecordingExecutor();
    const running = dispatcher.run((id, context) => {
      context.setHandle({ pgid: 555, host: 'test-host', logPath: '/tmp/a.log', detached: true });
      return executor.execute(id, context);
    });
    const reader = new CheckpointStore({ featureId: 'F001', dir: test.dir });
    await vi.waitFor(async () => {
      expect(await reader.load()).toMatchObject({
        running: ['a'],
        attempt_handles: { a: { pgid: 555, host: 'test-host', logPath: '/tmp/a.log', detached: true } },
      });
    });
    executor.resolve('a');
    const report = await running;
    expect(report.results[0]?.attemptRecords[0]?.handle).toEqual({ pgid: 555, host: 'test-host', logPath: '/tmp/a.log', detached: true });
  });

  it('refuses a handle that is not a flat object of strings, finite numbers and booleans', async () => {
    const graph = graphOf({ a: [] });
    const dispatcher = new Dispatcher(graph, { featureId: 'F001', checkpoint: false, clock: test.clock });
    const report = await dispatcher.run((_id, { setHandle }) => {
      setHandle({ pgid: Number.NaN });
      return Promise.resolve();
    });
    expect(String(report.results[0]?.error)).toBe(
      'TypeError: setHandle of workstream a: handle.pgid must be a string, a finite number or a boolean, got NaN',
    );
  });
});
