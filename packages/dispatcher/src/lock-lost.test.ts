import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointStore } from '@sdp/checkpoint';
import { settle } from '@sdp/internal/testing';
import { describe, expect, it, vi } from 'vitest';
import { Dispatcher } from './dispatcher.js';
import { isLockLostError } from './errors.js';
import { graphOf } from './testing/graph-of.js';
import { useTestDir } from './testing/test-dir.js';
import { RecordingExecutor } from './testing/recording-executor.js';

const test = useTestDir('sdp-lock-lost-');

/** What another process that took the lock over leaves in the lock file. */
function foreignLock(): string {
  return JSON.stringify({ pid: 4_000_000, host: 'other-host', since: new Date(test.clock.now()).toISOString(), token: 'f'.repeat(32) });
}

async function filesOf(directory: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(directory)).sort()) files[name] = await readFile(join(directory, name), 'utf8');
  return files;
}

describe('A run that loses its lock', () => {
  it('starts nothing more, aborts what runs (grace period), writes nothing and ends lock-lost', async () => {
    const graph = graphOf({ a: [], slow: [], b: ['a'], c: [], d: [] });
    const store = new CheckpointStore({ featureId: 'F001', dir: test.dir });
    const dispatcher = new Dispatcher(graph, { featureId: 'F001', checkpoint: store, clock: test.clock, concurrency: 2, graceMs: 1000 });
    let saves = 0;
    dispatcher.onCheckpoint((event) => {
      if (event.ok) saves += 1;
    });
    const executor = new RecordingExecutor();
    const running = dispatcher.run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.inFlight.sort()).toEqual(['a', 'slow']);
      expect(saves).toBeGreaterThan(0);
    });
    await settle();

    // Another run takes the lock over (this one was paused past the lock's staleness, say).
    await writeFile(store.lockPath, foreignLock());
    const before = await filesOf(test.dir);
    // The store learns it at its next look (a heartbeat, or a write like this one).
    await expect(store.compact()).rejects.toMatchObject({ code: 'CHECKPOINT_LOCK_LOST' });
    await vi.waitFor(() => {
      expect(executor.signals.get('a')?.aborted).toBe(true);
    });
    expect(isLockLostError(executor.signals.get('slow')?.reason)).toBe(true);
    executor.resolve('a'); // a slot comes free, and b is ready: still nothing starts
    await test.clock.advance(999);
    expect(executor.started.sort()).toEqual(['a', 'slow']); // neither b (now ready) nor c nor d started
    await test.clock.advance(1); // slow ignores its abort: abandoned after the grace period
    const report = await running;

    expect(report.outcome).toBe('lock-lost');
    expect(report.lockLost?.reason).toContain('taken over by pid 4000000 on other-host');
    expect(report.abandoned.map((event) => event.id)).toEqual(['slow']);
    expect(report.results.map((result) => [result.id, result.status])).toEqual([
      ['a', 'completed'],
      ['slow', 'cancelled'],
      ['b', 'not-run'],
      ['c', 'not-run'],
      ['d', 'not-run'],
    ]);
    expect(report.checkpointErrors).toEqual([]);
    expect(report.checkpoint).toEqual({ path: store.path, kept: true });
    // Not a byte written after the loss: the new holder's lock and the last checkpoint stay as they were.
    expect(await filesOf(test.dir)).toEqual(before);
    expect(executor.started).toHaveLength(2);
  });

  it('starts nothing at all when the lock is lost before the first start', async () => {
    const graph = graphOf({ a: [] });
    const store = new CheckpointStore({ featureId: 'F001', dir: test.dir });
    const dispatcher = new Dispatcher(graph, {
      featureId: 'F001',
      checkpoint: store,
      clock: test.clock,
      endInDoubt: async () => {
        await writeFile(store.lockPath, foreignLock());
        await store.compact().catch(() => undefined); // a write that finds the lock gone
        return 'gone';
      },
    });
    await store.acquire();
    await store.save({
      version: '1.0',
      feature_id: 'F001',
      timestamp: new Date(test.clock.now()).toISOString(),
      completed: [],
      failed: [],
      graph: graph.snapshot(),
      circuit_breaker: null,
      running: ['a'],
      attempt_handles: { a: { pgid: 7 } },
    });
    await store.release();
    const executor = new RecordingExecutor(() => true);
    const report = await dispatcher.run(executor.execute);
    expect(report.outcome).toBe('lock-lost');
    expect(executor.started).toEqual([]);
  });
});
