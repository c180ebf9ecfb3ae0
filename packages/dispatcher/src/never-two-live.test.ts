import { CheckpointStore } from '@sdp/checkpoint';
import { DependencyGraph } from '@sdp/graph';
import { deferred, randomDag, SeededRandom, settle, type Deferred } from '@sdp/internal/testing';
import { describe, expect, it, vi } from 'vitest';
import type { Execute } from './attempt.js';
import { Dispatcher } from './dispatcher.js';
import { isAttemptTimeoutError } from './errors.js';
import type { AbandonEvent } from './events.js';
import type { DispatcherOptions } from './options.js';
import { graphOf } from './testing/graph-of.js';
import { useTestDir } from './testing/test-dir.js';

const test = useTestDir('sdp-live-');

/**
 * An executor that ignores its abort signal and keeps going until the test settles it, as an agent that
 * traps SIGTERM would. It logs every attempt's life and proves two things a user cares about: no two
 * live attempts of one workstream, and never more than `concurrency` attempts the dispatcher still counts.
 */
class StubbornExecutor {
  readonly started: string[] = [];
  /** Live attempts: id -> its settle handle. */
  readonly #live = new Map<string, Deferred<unknown>>();
  readonly #abandoned = new Set<string>();
  overlaps = 0;
  maxCounted = 0;

  readonly execute: Execute = (id, { setHandle }) => {
    if (this.#live.has(id)) this.overlaps += 1;
    this.started.push(id);
    setHandle({ pgid: 1000 + this.started.length, host: 'test-host' });
    const attempt = deferred<unknown>();
    this.#live.set(id, attempt);
    this.maxCounted = Math.max(this.maxCounted, this.counted());
    return attempt.promise.finally(() => {
      this.#live.delete(id);
      this.#abandoned.delete(id);
    });
  };

  readonly abandoned = (event: AbandonEvent) => {
    this.#abandoned.add(event.id);
  };

  isLive(id: string): boolean {
    return this.#live.has(id);
  }

  resolve(id: string): void {
    this.#take(id).resolve(undefined);
  }

  reject(id: string, error: Error): void {
    this.#take(id).reject(error);
  }

  counted(): number {
    return [...this.#live.keys()].filter((id) => !this.#abandoned.has(id)).length;
  }

  #take(id: string): Deferred<unknown> {
    const attempt = this.#live.get(id);
    if (attempt === undefined) throw new Error(`${id} is not running`);
    return attempt;
  }
}

function stubborn(graph: DependencyGraph, options: Partial<DispatcherOptions>) {
  const executor = new StubbornExecutor();
  const dispatcher = new Dispatcher(graph, { featureId: 'F001', checkpoint: { dir: test.dir }, clock: test.clock, ...options });
  const abandoned: AbandonEvent[] = [];
  dispatcher.onAbandon((event) => {
    abandoned.push(event);
    executor.abandoned(event);
  });
  return { executor, dispatcher, abandoned };
}

describe('Never two live attempts of one workstream', () => {
  it('keeps a timed-out attempt that ignores its abort in its slot for the grace period, then abandons and counts it, and never retries beside it', async () => {
    const { executor, dispatcher, abandoned } = stubborn(graphOf({ a: [], b: [] }), {
      concurrency: 1,
      attemptTimeoutMs: 100,
      graceMs: 1000,
      retries: 3,
      retryDelayMs: 0,
    });
    const running = dispatcher.run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.started).toEqual(['a']);
    });
    await test.clock.advance(100); // the deadline: a's signal aborts, a goes on
    await test.clock.advance(999);
    expect(executor.started).toEqual(['a']); // its slot is still taken and no retry started
    await test.clock.advance(1); // the grace period is over: a is abandoned, its slot given up
    await vi.waitFor(() => {
      expect(executor.started).toEqual(['a', 'b']);
    });
    expect(executor.isLive('a')).toBe(true);
    executor.resolve('b');
    const report = await running;

    expect(executor.started).toEqual(['a', 'b']); // three retries left, none taken while a lives
    expect(executor.overlaps).toBe(0);
    expect(executor.maxCounted).toBe(1);
    expect(abandoned).toEqual([{ id: 'a', attempt: 1, abandonedAt: test.clock.now(), handle: { pgid: 1001, host: 'test-host' } }]);
    expect(report.abandoned).toEqual(abandoned);
    const a = report.results[0];
    expect(a?.status).toBe('failed');
    expect(isAttemptTimeoutError(a?.error)).toBe(true);
    expect(a?.attemptRecords).toEqual([
      {
        attempt: 1,
        startedAt: test.clock.now() - 1100,
        endedAt: test.clock.now(),
        outcome: 'abandoned',
        error: { name: 'AttemptTimeoutError', message: 'workstream a timed out after 100 ms' },
        handle: { pgid: 1001, host: 'test-host' },
      },
    ]);
    // The checkpoint a resume reads still says a may be running, and how to find it.
    const saved = await new CheckpointStore({ featureId: 'F001', dir: test.dir }).load();
    expect(saved).toMatchObject({ failed: ['a'], running: ['a'], attempt_handles: { a: { pgid: 1001, host: 'test-host' } } });
    executor.resolve('a');
    await settle();
    expect(executor.started).toEqual(['a', 'b']);
  });

  it('retries only once the timed-out attempt has settled, never beside it', async () => {
    const { executor, dispatcher, abandoned } = stubborn(graphOf({ a: [], b: [] }), {
      concurrency: 1,
      attemptTimeoutMs: 100,
      graceMs: 1000,
      retries: 1,
      retryDelayMs: 0,
      checkpoint: false,
    });
    const running = dispatcher.run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.started).toEqual(['a']);
    });
    await test.clock.advance(600); // 500 ms past its deadline, a still runs
    expect(executor.started).toEqual(['a']);
    executor.reject('a', new Error('terminated'));
    await test.clock.advance(0); // the retry delay
    await vi.waitFor(() => {
      expect(executor.started).toEqual(['a', 'a']);
    });
    executor.resolve('a');
    await vi.waitFor(() => {
      expect(executor.started).toEqual(['a', 'a', 'b']);
    });
    executor.resolve('b');
    const report = await running;
    expect(executor.overlaps).toBe(0);
    expect(executor.maxCounted).toBe(1);
    expect(abandoned).toEqual([]);
    const start = test.clock.now() - 600;
    expect(report.results[0]?.attemptRecords).toEqual([
      {
        attempt: 1,
        startedAt: start,
        endedAt: start + 600,
        outcome: 'timed-out',
        error: { name: 'AttemptTimeoutError', message: 'workstream a timed out after 100 ms' },
        handle: { pgid: 1001, host: 'test-host' },
      },
      { attempt: 2, startedAt: start + 600, endedAt: start + 600, outcome: 'completed', handle: { pgid: 1002, host: 'test-host' } },
    ]);
  });

  it('on cancellation, keeps every stubborn attempt in its slot for the grace period, then abandons and counts each', async () => {
    const { executor, dispatcher, abandoned } = stubborn(graphOf({ a: [], b: [], c: ['a'] }), { concurrency: 2, graceMs: 5000 });
    const controller = new AbortController();
    const running = dispatcher.run(executor.execute, { signal: controller.signal });
    await vi.waitFor(() => {
      expect(executor.started).toEqual(['a', 'b']);
    });
    controller.abort(new Error('Ctrl-C'));
    await test.clock.advance(4999);
    let returned = false;
    void running.then(() => (returned = true));
    await settle();
    expect(returned).toBe(false);
    await test.clock.advance(1);
    const report = await running;
    expect(report.outcome).toBe('cancelled');
    expect(abandoned.map((event) => event.id)).toEqual(['a', 'b']);
    expect(report.results.map((result) => [result.id, result.status, result.attemptRecords.map((record) => record.outcome)])).toEqual([
      ['a', 'cancelled', ['abandoned']],
      ['b', 'cancelled', ['abandoned']],
      ['c', 'not-run', []],
    ]);
    expect(report.results[0]?.attemptRecords[0]?.error).toEqual({ name: 'Error', message: 'Ctrl-C' });
    // A cancelled attempt's time is not a measurement of the work.
    expect(report.results[0]?.durationMs).toBeUndefined();
    const saved = await new CheckpointStore({ featureId: 'F001', dir: test.dir }).load();
    expect(saved).toMatchObject({ running: ['a', 'b'], attempt_handles: { a: { pgid: 1001 }, b: { pgid: 1002 } } });
    expect(test.clock.pendingTimers).toBe(0);
    executor.resolve('a');
    executor.resolve('b');
  });

  it('records what an attempt that settles within the grace period did: cancelled, not abandoned', async () => {
    const { executor, dispatcher, abandoned } = stubborn(graphOf({ a: [] }), { graceMs: 5000, checkpoint: false });
    const controller = new AbortController();
    const running = dispatcher.run(executor.execute, { signal: controller.signal });
    await vi.waitFor(() => {
      expect(executor.started).toEqual(['a']);
    });
    await test.clock.advance(300);
    controller.abort(new Error('stop'));
    await test.clock.advance(200);
    executor.reject('a', new Error('terminated by SIGTERM'));
    const report = await running;
    expect(abandoned).toEqual([]);
    const start = test.clock.now() - 500;
    expect(report.results[0]?.attemptRecords).toEqual([
      {
        attempt: 1,
        startedAt: start,
        endedAt: start + 500,
        outcome: 'cancelled',
        error: { name: 'Error', message: 'terminated by SIGTERM' },
        handle: { pgid: 1001, host: 'test-host' },
      },
    ]);
  });

  it('holds on a random graph of stubborn, slow and failing executors, with retries, timeouts and a cancellation', async () => {
    for (const seed of [1, 2, 3]) {
      const random = new SeededRandom(seed);
      // Every third workstream depends on one of the five before it; the rest are free to run.
      const nodes = randomDag(40, seed, { maxDependencies: 1, window: 5 });
      const graph = DependencyGraph.fromNodes(nodes.map((node, index) => (index % 3 === 0 ? node : { id: node.id, dependsOn: [] })));
      const dispatcher = new Dispatcher(graph, {
        featureId: 'F001',
        checkpoint: false,
        clock: test.clock,
        concurrency: 3,
        retries: 2,
        retryDelayMs: 10,
        attemptTimeoutMs: 100,
        graceMs: 50,
        breaker: { threshold: 50, window: 50 },
      });
      const live = new Set<string>();
      const abandoned = new Set<string>();
      const neverSettled: (() => void)[] = [];
      let overlaps = 0;
      let maxCounted = 0;
      let startsAfterAbandon = 0;
      dispatcher.onAbandon(({ id }) => abandoned.add(id));
      const controller = new AbortController();
      const running = dispatcher.run(
        (id) => {
          if (live.has(id)) overlaps += 1;
          if (abandoned.has(id)) startsAfterAbandon += 1;
          live.add(id);
          maxCounted = Math.max(maxCounted, [...live].filter((other) => !abandoned.has(other)).length);
          // Settles before its deadline, within the grace period after it, or not until the test ends.
          const kind = random.next();
          const fails = random.next() < 0.3;
          const settled = () => {
            live.delete(id);
          };
          if (kind > 0.85) return new Promise<void>((resolve) => neverSettled.push(resolve)).finally(settled);
          const after = kind < 0.6 ? 20 + Math.floor(random.next() * 70) : 110 + Math.floor(random.next() * 35);
          return test.clock
            .sleep(after)
            .then(() => {
              if (fails) throw new Error(`${id} failed`);
            })
            .finally(settled);
        },
        { signal: controller.signal },
      );
      const state = { finished: false };
      void running.then(() => (state.finished = true));
      for (let step = 0; !state.finished && step < 2000; step++) {
        if (step === 60) controller.abort(new Error('stop'));
        await test.clock.advance(10);
      }
      const report = await running;
      expect({ seed, overlaps, startsAfterAbandon }).toEqual({ seed, overlaps: 0, startsAfterAbandon: 0 });
      expect(maxCounted).toBeLessThanOrEqual(3);
      expect(report.abandoned.map((event) => event.id).sort()).toEqual([...abandoned].sort());
      for (const result of report.results) {
        const records = result.attemptRecords;
        expect(records.map((record) => record.attempt)).toEqual(records.map((_, index) => index + 1));
        // One attempt after another: each starts once the one before it is over.
        for (let i = 1; i < records.length; i++) expect(records[i]?.startedAt).toBeGreaterThanOrEqual(records[i - 1]?.endedAt ?? 0);
        if (records.some((record) => record.outcome === 'abandoned')) expect(records.at(-1)?.outcome).toBe('abandoned');
      }
      for (const resolve of neverSettled) resolve();
      await settle();
    }
  });

  it('does not start again, in a later run of the same dispatcher, a workstream whose abandoned attempt still runs', async () => {
    const { executor, dispatcher, abandoned } = stubborn(graphOf({ a: [], b: [] }), { graceMs: 100, checkpoint: false });
    const inDoubt: string[] = [];
    dispatcher.onInDoubt((event) => inDoubt.push(`${event.id}: ${event.error ?? event.outcome}`));
    const controller = new AbortController();
    const first = dispatcher.run(executor.execute, { signal: controller.signal });
    await vi.waitFor(() => {
      expect(executor.started).toEqual(['a', 'b']);
    });
    executor.resolve('b');
    await settle();
    controller.abort(new Error('stop'));
    await test.clock.advance(100);
    expect((await first).outcome).toBe('cancelled');
    expect(abandoned.map((event) => event.id)).toEqual(['a']);

    // No checkpoint tells the next run about a, but this process knows it still runs.
    const running = dispatcher.run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.started).toEqual(['a', 'b', 'b']);
    });
    executor.resolve('b');
    const second = await running;
    expect(second.results[0]?.status).toBe('failed');
    expect(inDoubt).toEqual(['a: an attempt of it abandoned by an earlier run of this dispatcher is still running']);
    expect(executor.overlaps).toBe(0);

    executor.resolve('a'); // gone now: the next run may start it
    await settle();
    const third = dispatcher.run(executor.execute);
    await vi.waitFor(() => {
      expect(executor.started).toEqual(['a', 'b', 'b', 'a', 'b']);
    });
    executor.resolve('a');
    executor.resolve('b');
    expect((await third).outcome).toBe('completed');
  });
});
