import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointStore, isCheckpointLockedError } from '@sdp/checkpoint';
import type { DependencyGraph } from '@sdp/graph';
import { describe, expect, it, vi } from 'vitest';
import { Dispatcher } from './dispatcher.js';
import { isCheckpointFeatureMismatchError, isCheckpointGraphError, isAttemptTimeoutError } from './errors.js';
import type { DispatcherOptions } from './options.js';
import { settle } from '@sdp/internal/testing';
import { graphOf } from './testing/graph-of.js';
import { useTestDir } from './testing/test-dir.js';
import { RecordingExecutor } from './testing/recording-executor.js';

const test = useTestDir('sdp-dispatcher-');

function dispatcher(graph: DependencyGraph, options: Partial<DispatcherOptions> = {}): Dispatcher {
  return new Dispatcher(graph, { featureId: 'F001', checkpoint: { dir: test.dir }, clock: test.clock, ...options });
}

const succeed = () => true as const;

describe('Dispatcher scheduling', () => {
  it('never runs more than `concurrency` workstreams at once and reaches the limit on a wide graph', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `w${i}`);
    const graph = graphOf(Object.fromEntries(ids.map((id) => [id, []])));
    const executor = new RecordingExecutor();
    const running = dispatcher(graph, { concurrency: 4 }).run(executor.execute);

    await vi.waitFor(() => {
      expect(executor.inFlight).toHaveLength(4);
    });
    while (executor.started.length < ids.length || executor.inFlight.length > 0) {
      const [first] = executor.inFlight;
      if (first !== undefined) executor.resolve(first);
      await settle();
    }
    const report = await running;
    expect(executor.maxInFlight).toBe(4);
    expect(report.outcome).toBe('completed');
    expect(report.totals.completed).toBe(12);
  });

  it('starts a dependent the moment its dependencies complete, without waiting for a batch', async () => {
    const graph = graphOf({ a: [], slow: [], b: ['a'] });
    const executor = new RecordingExecutor();
    const running = dispatcher(graph, { concurrency: 3 }).run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.inFlight.sort()).toEqual(['a', 'slow']);
    });
    executor.resolve('a');
    await vi.waitFor(() => {
      expect(executor.inFlight.sort()).toEqual(['b', 'slow']);
    });
    executor.resolve('b');
    executor.resolve('slow');
    expect((await running).outcome).toBe('completed');
  });

  it('starts the ready workstream with the longest remaining chain first, ties by insertion order', async () => {
    const graph = graphOf({ short: [], tie: [], long1: [], long2: ['long1'], long3: ['long2'] });
    const executor = new RecordingExecutor(succeed);
    await dispatcher(graph, { concurrency: 1, checkpoint: false }).run(executor.execute);
    // long1 and long2 head longer chains; then long3, short and tie all head a chain of 1: insertion order.
    expect(executor.started).toEqual(['long1', 'long2', 'short', 'tie', 'long3']);
  });

  it('gives each attempt a signal, kept when the context is spread, that a cancellation aborts', async () => {
    const graph = graphOf({ a: [] });
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const running = dispatcher(graph, { graceMs: 0 }).run(
      (_id, context) => {
        const { signal } = { ...context };
        seen = signal;
        return new Promise((_resolve, reject) => {
          if (signal.aborted) reject(signal.reason as Error);
          signal.addEventListener('abort', () => {
            reject(signal.reason as Error);
          });
        });
      },
      { signal: controller.signal },
    );
    await vi.waitFor(() => {
      expect(seen).toBeDefined();
    });
    expect(seen?.aborted).toBe(false);
    controller.abort(new Error('stop'));
    const report = await running;
    expect(seen?.aborted).toBe(true);
    expect(report.outcome).toBe('cancelled');
    expect(report.results[0]?.status).toBe('cancelled');
  });

  it('lets every running executor listen to its signal without a MaxListenersExceededWarning', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `w${i}`);
    const graph = graphOf(Object.fromEntries(ids.map((id) => [id, []])));
    const warnings = vi.spyOn(process, 'emitWarning');
    const controller = new AbortController();
    let listening = 0;
    const running = dispatcher(graph, { concurrency: 20, graceMs: 0 }).run(
      (_id, { signal }) =>
        new Promise((_resolve, reject) => {
          listening += 1;
          signal.addEventListener('abort', () => {
            reject(signal.reason as Error);
          });
        }),
      { signal: controller.signal },
    );
    await vi.waitFor(() => {
      expect(listening).toBe(20);
    });
    controller.abort(new Error('stop'));
    const report = await running;
    expect(report.totals.cancelled).toBe(20);
    expect(warnings).not.toHaveBeenCalled();
    warnings.mockRestore();
  });

  it('gives each attempt with a timeout its own signal: a timeout aborts only that one, a cancellation all running', async () => {
    const graph = graphOf({ quick: [], slow: [], held: ['quick'] });
    const executor = new RecordingExecutor();
    const controller = new AbortController();
    const running = dispatcher(graph, { concurrency: 2, attemptTimeoutMs: 1000, graceMs: 0 }).run(executor.execute, {
      signal: controller.signal,
    });
    await vi.waitFor(() => {
      expect(executor.inFlight.sort()).toEqual(['quick', 'slow']);
    });
    await test.clock.advance(500);
    executor.resolve('quick');
    await vi.waitFor(() => {
      expect(executor.inFlight.sort()).toEqual(['held', 'slow']);
    });
    await test.clock.advance(500); // slow's deadline; held has 500 ms left
    expect(executor.signals.get('slow')?.aborted).toBe(true);
    expect(executor.signals.get('held')?.aborted).toBe(false);
    expect(executor.signals.get('quick')?.aborted).toBe(false);
    controller.abort(new Error('stop'));
    await test.clock.advance(0); // the grace period: held ignores its abort
    const report = await running;
    expect(report.outcome).toBe('cancelled');
    expect(executor.signals.get('held')?.reason).toEqual(new Error('stop'));
    expect(executor.signals.get('quick')?.aborted).toBe(false);
  });

  it('rejects invalid options with precise messages', () => {
    const graph = graphOf({ a: [] });
    expect(() => dispatcher(graph, { concurrency: 0 })).toThrow(new RangeError('concurrency must be an integer >= 1, got 0'));
    expect(() => dispatcher(graph, { concurrency: 2.5 })).toThrow(RangeError);
    expect(() => dispatcher(graph, { retries: -1 })).toThrow('retries must be an integer >= 0, got -1');
    expect(() => dispatcher(graph, { featureId: '' })).toThrow(TypeError);
    expect(() => dispatcher(graph, { onBreakerOpen: 'later' as 'wait' })).toThrow(`onBreakerOpen must be 'wait' or 'stop', got "later"`);
    expect(() => dispatcher(graph, { attemptTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => dispatcher(graph, { checkpoint: new CheckpointStore({ featureId: 'F002', dir: test.dir }) })).toThrow(
      'checkpoint store is for feature "F002", not "F001"',
    );
  });
});

describe('Dispatcher failures', () => {
  it('skips the transitive dependents of a failure, naming it, while independent branches finish', async () => {
    const graph = graphOf({ a: [], b: ['a'], c: ['b'], d: [], e: ['d'] });
    const executor = new RecordingExecutor((id) => (id === 'a' ? new Error('a broke') : true));
    const skips: string[] = [];
    const d = dispatcher(graph, { concurrency: 2 });
    d.onSkip((event) => skips.push(`${event.id}<-${event.blockedBy}`));
    const report = await d.run(executor.execute);

    expect(report.outcome).toBe('failed');
    expect(executor.started.sort()).toEqual(['a', 'd', 'e']);
    const byId = new Map(report.results.map((result) => [result.id, result]));
    expect(byId.get('a')).toMatchObject({ status: 'failed', attempts: 1 });
    expect((byId.get('a')?.error as Error).message).toBe('a broke');
    expect(byId.get('b')).toMatchObject({ status: 'skipped', blockedBy: 'a', attempts: 0 });
    expect(byId.get('c')).toMatchObject({ status: 'skipped', blockedBy: 'a' });
    expect(byId.get('e')).toMatchObject({ status: 'completed' });
    expect(skips.sort()).toEqual(['b<-a', 'c<-a']);
    expect(report.totals).toEqual({ completed: 2, failed: 1, skipped: 2, cancelled: 0, 'not-run': 0 });
    expect(report.checkpoint).toEqual({ path: join(test.dir, 'F001-checkpoint.json'), kept: true });
  });

  it('retries a failed attempt after the backoff and succeeds', async () => {
    const graph = graphOf({ a: [] });
    const executor = new RecordingExecutor((_, { attempt }) => (attempt === 1 ? new Error('flaky') : true));
    const fails: boolean[] = [];
    const d = dispatcher(graph, { retries: 2, retryDelayMs: 500, checkpoint: false });
    d.onFailure((event) => fails.push(event.willRetry));
    const running = d.run(executor.execute);
    await vi.waitFor(() => {
      expect(test.clock.pendingTimers).toBe(1);
    });
    expect(executor.runs('a')).toBe(1);
    await test.clock.advance(500);
    const report = await running;
    expect(executor.runs('a')).toBe(2);
    expect(fails).toEqual([true]);
    expect(report.results[0]).toMatchObject({ status: 'completed', attempts: 2 });
  });

  it('fails an attempt at its timeout, aborting its signal, even if the executor ignores it', async () => {
    const graph = graphOf({ a: [], b: [] });
    const executor = new RecordingExecutor();
    const running = dispatcher(graph, { attemptTimeoutMs: 1000, graceMs: 0, checkpoint: false }).run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.inFlight).toHaveLength(2);
    });
    executor.resolve('b');
    await test.clock.advance(1000);
    const report = await running;
    expect(executor.signals.get('a')?.aborted).toBe(true);
    const a = report.results.find((result) => result.id === 'a');
    expect(a?.status).toBe('failed');
    expect(isAttemptTimeoutError(a?.error)).toBe(true);
    expect(a?.durationMs).toBe(1000);
  });
});

describe('Dispatcher edge cases', () => {
  it('keeps a timed-out attempt in its slot until it settles or the grace period ends', async () => {
    const graph = graphOf({ a: [], b: [] });
    const executor = new RecordingExecutor();
    const running = dispatcher(graph, { concurrency: 1, attemptTimeoutMs: 100, graceMs: 1000, checkpoint: false }).run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.inFlight).toEqual(['a']);
    });
    await test.clock.advance(100);
    expect(executor.signals.get('a')?.aborted).toBe(true);
    await test.clock.advance(999);
    expect(executor.started).toEqual(['a']); // the slot is still a's: concurrency 1 holds
    await test.clock.advance(1);
    await vi.waitFor(() => {
      expect(executor.started).toEqual(['a', 'b']);
    });
    executor.resolve('b');
    const report = await running;
    expect(isAttemptTimeoutError(report.results[0]?.error)).toBe(true);
  });

  it('fails the workstream, without an unhandled rejection, when retryDelay throws or returns nonsense', async () => {
    const graph = graphOf({ a: [], b: ['a'], c: [] });
    const executor = new RecordingExecutor((id) => (id === 'c' ? true : new Error('no')));
    const report = await dispatcher(graph, { retries: 1, retryDelayMs: () => Number.NaN, checkpoint: false }).run(executor.execute);
    expect(report.results.map((result) => result.status)).toEqual(['failed', 'skipped', 'completed']);
    expect(String(report.results[0]?.error)).toContain('retryDelayMs(1) must return a finite number of milliseconds >= 0');

    const broken = new Error('delay broke');
    const throwing = await dispatcher(graphOf({ a: [], b: ['a'] }), {
      retries: 1,
      retryDelayMs: () => {
        throw broken;
      },
      checkpoint: false,
    }).run(new RecordingExecutor(() => new Error('no')).execute);
    expect(throwing.results.map((result) => result.status)).toEqual(['failed', 'skipped']);
    expect(throwing.results[0]?.error).toBe(broken);
  });

  it('does not wait out a retry backoff once the breaker stops the run', async () => {
    const graph = graphOf({ a: [], b: [] });
    const executor = new RecordingExecutor((id) => new Error(`${id} down`));
    const report = await dispatcher(graph, {
      concurrency: 2,
      retries: 3,
      retryDelayMs: 60_000,
      breaker: { threshold: 1, window: 1 },
      onBreakerOpen: 'stop',
      checkpoint: false,
    }).run(executor.execute);
    expect(report.outcome).toBe('breaker-open');
    expect(test.clock.pendingTimers).toBe(0);
    expect(report.results.map((result) => result.status)).toEqual(['failed', 'failed']);
    expect(executor.started).toEqual(['a', 'b']);
  });

  it("wakes up when a shared breaker's trial, run by someone else, closes it", async () => {
    const { CircuitBreaker } = await import('@sdp/circuit-breaker');
    const shared = new CircuitBreaker({ threshold: 1, window: 1, halfOpenAfterMs: 1000, now: () => test.clock.now() });
    await shared.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    await test.clock.advance(1000);
    let finishTrial!: () => void;
    const trial = shared.execute(() => new Promise<void>((resolve) => (finishTrial = resolve)));
    const executor = new RecordingExecutor(succeed);
    const running = dispatcher(graphOf({ a: [] }), { breaker: shared, checkpoint: false }).run(executor.execute);
    await settle();
    expect(executor.started).toEqual([]);
    finishTrial();
    await trial;
    expect((await running).outcome).toBe('completed');
    expect(executor.started).toEqual(['a']);
  });
});

describe('Dispatcher and the circuit breaker', () => {
  const breaker = { threshold: 1, window: 1, halfOpenAfterMs: 1000 };

  it("'wait': starts nothing while open, then sends one trial at the half-open moment", async () => {
    const graph = graphOf({ a: [], b: [], c: [] });
    const executor = new RecordingExecutor();
    const states: string[] = [];
    const d = dispatcher(graph, { concurrency: 1, breaker });
    d.onBreakerStateChange((event) => states.push(event.to));
    const running = d.run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.inFlight).toEqual(['a']);
    });
    executor.reject('a');
    await settle();
    expect(d.breaker.state).toBe('open');
    await test.clock.advance(999);
    expect(executor.started).toEqual(['a']);
    await test.clock.advance(1);
    expect(executor.inFlight).toEqual(['b']);
    executor.resolve('b');
    await vi.waitFor(() => {
      expect(executor.inFlight).toEqual(['c']);
    });
    executor.resolve('c');
    const report = await running;
    expect(states).toEqual(['open', 'half-open', 'closed']);
    expect(report.totals).toMatchObject({ completed: 2, failed: 1 });
  });

  it("'stop': ends the run with the rest not-run and the checkpoint saved", async () => {
    const graph = graphOf({ a: [], b: [], c: [] });
    const executor = new RecordingExecutor((id) => (id === 'a' ? new Error('down') : true));
    const report = await dispatcher(graph, { concurrency: 1, breaker, onBreakerOpen: 'stop' }).run(executor.execute);
    expect(executor.started).toEqual(['a']);
    expect(report.outcome).toBe('breaker-open');
    expect(report.results.map((result) => result.status)).toEqual(['failed', 'not-run', 'not-run']);
    const saved = await new CheckpointStore({ featureId: 'F001', dir: test.dir }).load();
    expect(saved?.failed).toEqual(['a']);
    expect(saved?.circuit_breaker?.state).toBe(1);
  });
});

/** A store whose saves fail, like a full disk; everything else is the real store. */
class FailingStore extends CheckpointStore {
  override save(): Promise<void> {
    return Promise.reject(new Error('ENOSPC: no space left on device'));
  }
}

/** Counts the store calls a run makes; `failUpdates` makes that many updates fail first. */
class CountingStore extends CheckpointStore {
  saves = 0;
  updates = 0;
  compactions = 0;
  failUpdates = 0;

  override save(...args: Parameters<CheckpointStore['save']>): Promise<void> {
    this.saves += 1;
    return super.save(...args);
  }

  override update(...args: Parameters<CheckpointStore['update']>): Promise<void> {
    this.updates += 1;
    if (this.failUpdates > 0) {
      this.failUpdates -= 1;
      return Promise.reject(new Error('EIO: i/o error, write'));
    }
    return super.update(...args);
  }

  override compact(...args: Parameters<CheckpointStore['compact']>): Promise<void> {
    this.compactions += 1;
    return super.compact(...args);
  }
}

describe('Dispatcher checkpoints and resume', () => {
  it('saves the whole checkpoint once, then only updates, and leaves one JSON file when it stops', async () => {
    const graph = graphOf({ a: [], b: ['a'], c: ['b'], d: [], e: ['d'] });
    const store = new CountingStore({ featureId: 'F001', dir: test.dir });
    const executor = new RecordingExecutor((id) => (id === 'd' ? new Error('d broke') : true));
    const report = await dispatcher(graph, { checkpoint: store, concurrency: 1 }).run(executor.execute);
    expect(report.totals).toMatchObject({ completed: 3, failed: 1, skipped: 1 });
    expect(store.saves).toBe(1);
    expect(store.updates).toBeGreaterThan(0);
    expect(store.compactions).toBe(1);
    expect((await readdir(test.dir)).filter((name) => !name.endsWith('.bak'))).toEqual(['F001-checkpoint.json']);
    const saved = await new CheckpointStore({ featureId: 'F001', dir: test.dir }).load();
    expect(saved).toMatchObject({
      completed: ['a', 'b', 'c'],
      failed: ['d'],
      skipped: { e: 'd' },
      running: [],
      attempts: { a: 1, b: 1, c: 1, d: 1 },
      graph_fingerprint: graph.fingerprint(),
    });
    expect(Object.keys(saved?.durations_ms ?? {}).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(saved?.graph).toEqual(graph.snapshot(['a', 'b', 'c']));
  });

  it('writes the whole checkpoint again after a failed update, so no change is lost', async () => {
    const graph = graphOf({ a: [], b: ['a'], c: ['b'], x: ['c'] });
    const store = new CountingStore({ featureId: 'F001', dir: test.dir });
    store.failUpdates = 1;
    const executor = new RecordingExecutor((id) => (id === 'x' ? new Error('x broke') : true));
    const report = await dispatcher(graph, { checkpoint: store, concurrency: 1 }).run(executor.execute);
    expect(report.checkpointErrors.map(String)).toEqual(['Error: EIO: i/o error, write']);
    expect(store.saves).toBe(2);
    const saved = await new CheckpointStore({ featureId: 'F001', dir: test.dir }).load();
    expect(saved).toMatchObject({ completed: ['a', 'b', 'c'], failed: ['x'], attempts: { a: 1, b: 1, c: 1, x: 1 } });
  });

  it('reports a failed closing compaction as an event and in the report, keeping JSON and journal loadable', async () => {
    const graph = graphOf({ a: [], b: ['a'] });
    class FailingCompaction extends CheckpointStore {
      override compact(): Promise<void> {
        return Promise.reject(new Error('ENOSPC: no space left on device'));
      }
    }
    const d = dispatcher(graph, { checkpoint: new FailingCompaction({ featureId: 'F001', dir: test.dir }) });
    const failures: unknown[] = [];
    d.onCheckpoint((event) => {
      if (!event.ok) failures.push(event.error);
    });
    const report = await d.run(new RecordingExecutor((id) => (id === 'b' ? new Error('b broke') : true)).execute);
    expect(report.checkpointErrors.map(String)).toEqual(['Error: ENOSPC: no space left on device']);
    expect(failures).toEqual(report.checkpointErrors);
    expect(await new CheckpointStore({ featureId: 'F001', dir: test.dir }).load()).toMatchObject({ completed: ['a'], failed: ['b'] });
  });

  it('resolves with the report when giving the lock up fails, the error in checkpointErrors', async () => {
    const graph = graphOf({ a: [] });
    class FailingRelease extends CheckpointStore {
      override async release(): Promise<void> {
        await super.release();
        throw new Error('EIO: i/o error, fsync');
      }
    }
    const report = await dispatcher(graph, { checkpoint: new FailingRelease({ featureId: 'F001', dir: test.dir }) }).run(
      new RecordingExecutor(succeed).execute,
    );
    expect(report.outcome).toBe('completed');
    expect(report.checkpointErrors.map(String)).toEqual(['Error: EIO: i/o error, fsync']);
  });

  it('shows its progress to a reader without the lock while it runs', async () => {
    const graph = graphOf({ a: [], b: ['a'], c: ['b'] });
    const executor = new RecordingExecutor();
    const running = dispatcher(graph).run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.inFlight).toEqual(['a']);
    });
    executor.resolve('a');
    await vi.waitFor(() => {
      expect(executor.inFlight).toEqual(['b']);
    });
    const reader = new CheckpointStore({ featureId: 'F001', dir: test.dir });
    await vi.waitFor(async () => {
      expect(await reader.load()).toMatchObject({ completed: ['a'], running: ['b'] });
    });
    executor.resolve('b');
    await vi.waitFor(() => {
      expect(executor.inFlight).toEqual(['c']);
    });
    executor.resolve('c');
    expect((await running).outcome).toBe('completed');
  });

  it('goes on when a save fails, reporting it as an event and in the report', async () => {
    const graph = graphOf({ a: [], b: ['a'] });
    const events: boolean[] = [];
    const d = dispatcher(graph, { checkpoint: new FailingStore({ featureId: 'F001', dir: test.dir }) });
    d.onCheckpoint((event) => events.push(event.ok));
    const report = await d.run(new RecordingExecutor(succeed).execute);
    expect(report.outcome).toBe('completed');
    expect(report.checkpointErrors.length).toBeGreaterThan(0);
    expect(String(report.checkpointErrors[0])).toContain('ENOSPC');
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((ok) => !ok)).toBe(true);
  });

  it('stops the run on a failed save when stopOnCheckpointError is set', async () => {
    const graph = graphOf({ a: [], b: ['a'], c: ['b'] });
    const executor = new RecordingExecutor();
    const running = dispatcher(graph, {
      checkpoint: new FailingStore({ featureId: 'F001', dir: test.dir }),
      stopOnCheckpointError: true,
      graceMs: 0,
    }).run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.inFlight).toEqual(['a']);
    });
    await vi.waitFor(() => {
      expect(executor.signals.get('a')?.aborted).toBe(true);
    });
    executor.reject('a', new Error('aborted'));
    const report = await running;
    expect(report.outcome).toBe('checkpoint-error');
    expect(report.results.map((result) => result.status)).toEqual(['cancelled', 'not-run', 'not-run']);
    expect(executor.started).toEqual(['a']);
  });

  it('deletes the checkpoint when everything completed and leaves nothing behind', async () => {
    const graph = graphOf({ a: [], b: ['a'] });
    const report = await dispatcher(graph).run(new RecordingExecutor(succeed).execute);
    expect(report.checkpoint?.kept).toBe(false);
    expect(await readdir(test.dir)).toEqual([]);
  });

  it('runs the graph as it was at the start: a node added mid-run waits for the next run, which runs only it', async () => {
    const graph = graphOf({ a: [], b: ['a'] });
    const first = new RecordingExecutor((id) => {
      if (id === 'a') graph.addNode('c', ['a']);
      return true;
    });
    const report = await dispatcher(graph).run(first.execute);
    expect(report.results.map((result) => [result.id, result.status])).toEqual([
      ['a', 'completed'],
      ['b', 'completed'],
    ]);
    expect(first.started).toEqual(['a', 'b']);
    // Not the whole graph: the checkpoint stays, so that nothing completed runs again.
    expect(report.checkpoint?.kept).toBe(true);
    const second = new RecordingExecutor(succeed);
    const next = await dispatcher(graph).run(second.execute);
    expect(second.started).toEqual(['c']);
    expect(next.results.map((result) => [result.id, result.status, result.alreadyCompleted])).toEqual([
      ['a', 'completed', true],
      ['b', 'completed', true],
      ['c', 'completed', false],
    ]);
    expect(next.checkpoint?.kept).toBe(false);
  });

  it('keeps an earlier failure recorded until this run retries it (a stop before the retry loses no failure)', async () => {
    const graph = graphOf({ a: [], b: [], x: [] });
    const first = await dispatcher(graph, { concurrency: 1 }).run(
      new RecordingExecutor((id) => (id === 'a' ? true : new Error(`${id} broke`))).execute,
    );
    expect(first.totals).toMatchObject({ completed: 1, failed: 2 });

    // The resume stops while it retries b: x, failed before, has not been retried yet.
    const controller = new AbortController();
    const second = await dispatcher(graph, { concurrency: 1, graceMs: 0 }).run(
      (_id, { signal }) => {
        controller.abort(new Error('stop'));
        return new Promise((_resolve, reject) => {
          if (signal.aborted) reject(signal.reason as Error);
          signal.addEventListener('abort', () => {
            reject(signal.reason as Error);
          });
        });
      },
      { signal: controller.signal },
    );
    expect(second.outcome).toBe('cancelled');
    const saved = await new CheckpointStore({ featureId: 'F001', dir: test.dir }).load();
    expect(saved).toMatchObject({ completed: ['a'], failed: ['x'] });
  });

  it('resumes after a failed run: completed ones are not executed again, failed and skipped ones are', async () => {
    const graph = graphOf({ a: [], b: ['a'], c: [], d: ['c'] });
    let broken = true;
    const executor = new RecordingExecutor((id) => (id === 'c' && broken ? new Error('c broke') : true));
    const first = await dispatcher(graph).run(executor.execute);
    expect(first.totals).toMatchObject({ completed: 2, failed: 1, skipped: 1 });

    broken = false;
    const second = await dispatcher(graph).run(executor.execute);
    expect(second.resumed).toBe(true);
    expect(second.outcome).toBe('completed');
    expect(executor.runs('a')).toBe(1);
    expect(executor.runs('b')).toBe(1);
    expect(executor.runs('c')).toBe(2);
    expect(executor.runs('d')).toBe(1);
    expect(second.results.find((result) => result.id === 'a')).toMatchObject({ status: 'completed', alreadyCompleted: true, attempts: 0 });
    expect(second.checkpoint?.kept).toBe(false);
  });

  it('resumes after an aborted run: running ones are cancelled, the rest not-run, and nothing completed reruns', async () => {
    const graph = graphOf({ a: [], b: ['a'], c: ['b'], x: [] });
    const executor = new RecordingExecutor();
    const controller = new AbortController();
    const running = dispatcher(graph, { concurrency: 2, graceMs: 5000 }).run(executor.execute, { signal: controller.signal });
    await vi.waitFor(() => {
      expect(executor.inFlight.sort()).toEqual(['a', 'x']);
    });
    executor.resolve('a');
    await vi.waitFor(() => {
      expect(executor.inFlight.sort()).toEqual(['b', 'x']);
    });
    controller.abort(new Error('user pressed Ctrl-C'));
    await settle();
    expect(executor.signals.get('b')?.aborted).toBe(true);
    executor.reject('b', new Error('aborted'));
    await test.clock.advance(5000); // x ignores the abort: abandoned after the grace period
    const report = await running;
    expect(report.outcome).toBe('cancelled');
    expect(report.results.map((result) => [result.id, result.status])).toEqual([
      ['a', 'completed'],
      ['b', 'cancelled'],
      ['c', 'not-run'],
      ['x', 'cancelled'],
    ]);
    const saved = await new CheckpointStore({ featureId: 'F001', dir: test.dir }).load();
    expect(saved?.completed).toEqual(['a']);
    expect(saved?.running).toEqual(['x']);

    const resumed = new RecordingExecutor(succeed);
    const second = await dispatcher(graph).run(resumed.execute);
    expect(second.outcome).toBe('completed');
    expect(resumed.started.sort()).toEqual(['b', 'c', 'x']);
    expect(second.results.find((result) => result.id === 'x')?.rerunAfterCrash).toBe(true);
    expect(second.results.find((result) => result.id === 'b')?.rerunAfterCrash).toBe(false);
  });

  it('keeps completion only where the graph did not change, and reports the changes', async () => {
    const before = graphOf({ a: [], b: ['a'], c: ['b'], gone: [], e: [] });
    const first = await dispatcher(before).run(new RecordingExecutor((id) => (id === 'e' ? new Error('no') : true)).execute);
    expect(first.totals.completed).toBe(4);

    // b gains a dependency, so b and its dependent c must run again; a stays done.
    const after = graphOf({ a: [], n: [], b: ['a', 'n'], c: ['b'], e: [] });
    const executor = new RecordingExecutor(succeed);
    const report = await dispatcher(after).run(executor.execute);
    expect(executor.started.sort()).toEqual(['b', 'c', 'e', 'n']);
    expect(report.graphChanges).toEqual({ added: ['n'], removed: ['gone'], changed: ['b'], invalidated: ['b', 'c'] });
  });

  it('restores the breaker from the checkpoint', async () => {
    const graph = graphOf({ a: [], b: [] });
    const breaker = { threshold: 1, window: 1, halfOpenAfterMs: 60_000 };
    await dispatcher(graph, { concurrency: 1, breaker, onBreakerOpen: 'stop' }).run(
      new RecordingExecutor((id) => (id === 'a' ? new Error('down') : true)).execute,
    );
    const d = dispatcher(graph, { breaker, onBreakerOpen: 'stop' });
    const report = await d.run(new RecordingExecutor(succeed).execute);
    expect(report.outcome).toBe('breaker-open');
    expect(d.breaker.state).toBe('open');
  });

  it("refuses another feature's checkpoint", async () => {
    const graph = graphOf({ a: [] });
    const store = new CheckpointStore({ featureId: 'F001', dir: test.dir });
    await store.acquire();
    await store.save({
      version: '1.0',
      feature_id: 'F999',
      timestamp: new Date(test.clock.now()).toISOString(),
      completed: [],
      failed: [],
      graph: null,
      circuit_breaker: null,
    });
    await store.release();
    const error: unknown = await dispatcher(graph)
      .run(new RecordingExecutor(succeed).execute)
      .catch((e: unknown) => e);
    expect(isCheckpointFeatureMismatchError(error)).toBe(true);
  });

  it('refuses a checkpoint whose graph is invalid, naming the file', async () => {
    const store = new CheckpointStore({ featureId: 'F001', dir: test.dir });
    await store.acquire();
    await store.save({
      version: '1.0',
      feature_id: 'F001',
      timestamp: new Date(test.clock.now()).toISOString(),
      completed: ['a'],
      failed: [],
      graph: { nodes: [{ id: 'a', depends_on: [], indegree: 0, completed: true }], edges: { a: ['ghost'] } },
      circuit_breaker: null,
    });
    await store.release();
    const error: unknown = await dispatcher(graphOf({ a: [] }))
      .run(new RecordingExecutor(succeed).execute)
      .catch((e: unknown) => e);
    expect(isCheckpointGraphError(error)).toBe(true);
    expect((error as Error).message).toContain(`checkpoint ${store.path} holds an invalid graph`);
  });

  it('holds the lock for the whole run, so a second dispatcher of the feature is refused', async () => {
    const graph = graphOf({ a: [] });
    const executor = new RecordingExecutor();
    const running = dispatcher(graph).run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.inFlight).toEqual(['a']);
    });
    const error: unknown = await dispatcher(graph)
      .run(executor.execute)
      .catch((e: unknown) => e);
    expect(isCheckpointLockedError(error)).toBe(true);
    expect((error as { holder: { pid: number } }).holder.pid).toBe(process.pid);
    executor.resolve('a');
    expect((await running).outcome).toBe('completed');
  });

  it('reports makespan and its lower bound from measured durations', async () => {
    const graph = graphOf({ a: [], b: ['a'], c: [] });
    const executor = new RecordingExecutor();
    const running = dispatcher(graph, { concurrency: 2, checkpoint: false }).run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.inFlight.sort()).toEqual(['a', 'c']);
    });
    await test.clock.advance(100);
    executor.resolve('a');
    await vi.waitFor(() => {
      expect(executor.inFlight.sort()).toEqual(['b', 'c']);
    });
    await test.clock.advance(100);
    executor.resolve('b');
    executor.resolve('c');
    const report = await running;
    // a=100, b=100, c=200: critical path 200, total work 400 / 2 = 200.
    expect(report.makespanMs).toBe(200);
    expect(report.lowerBoundMs).toBe(200);
  });
});
