import { once } from 'node:events';
import { Dispatcher } from '@sdp/dispatcher';
import { DependencyGraph } from '@sdp/graph';
import { deferred, rejectionOf } from '@sdp/internal/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectionOf } from './connection.js';
import { Coordinator } from './coordinator.js';
import { isAttemptFailedError, isBullmqError, isLockLostError } from './errors.js';
import { jobIdOf, type JobData } from './job-id.js';
import { startRedisServer, type RedisServer } from './testing/redis-server.js';
import { startWorker, type WorkerExecute, type WorkerHandle } from './worker.js';

let redis: RedisServer;
let queueNumber = 0;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});
afterAll(async () => {
  await redis.stop();
});

/** A fresh queue per test, so that no test sees another's jobs. */
function setup(featureId = 'F1') {
  const queue = `q${++queueNumber}`;
  const connection = connectionOf(redis.url);
  const coordinator = async (concurrency = 2, texts: Record<string, string> = {}) => {
    const made = await Coordinator.connect({
      connection,
      queue,
      featureId,
      concurrency,
      textOf: (id) => texts[id] ?? `# ${id}`,
      pollMs: 100,
    });
    open.push(made);
    return made;
  };
  const worker = async (execute: WorkerExecute, lockMs = 2000) => {
    const made: WorkerHandle = await startWorker({ connection, queue, execute, lockMs });
    open.push({ close: () => made.close({ cancel: true }) });
    return made;
  };
  const inspect = () => {
    const made = new Queue<JobData, void, string>(queue, { connection });
    open.push(made);
    return made;
  };
  /** Workstream `a` enqueued by a coordinator that then died, once a worker brought its job to `state`. */
  const leftByEarlierCoordinator = async (state: 'active' | 'completed') => {
    const jobs = inspect();
    const jobId = jobIdOf(featureId, 'a', 1);
    await jobs.add('workstream', { featureId, workstream: 'a', text: '# a', sequence: 1 }, { jobId });
    await expect.poll(async () => (await jobs.getJob(jobId))?.getState(), { timeout: 10_000 }).toBe(state);
    return jobs;
  };
  return { queue, connection, coordinator, worker, inspect, leftByEarlierCoordinator, featureId };
}

describe('a run spread over workers', () => {
  it("runs every workstream once, each after its dependencies, and cleans the finished run's jobs", async () => {
    const { coordinator, worker, inspect, featureId } = setup();
    const graph = DependencyGraph.fromNodes([
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'c', dependsOn: ['a'] },
      { id: 'd', dependsOn: ['b', 'c'] },
    ]);
    const finished: string[] = [];
    const runs: string[] = [];
    const execute: WorkerExecute = async (task, context) => {
      runs.push(task.workstream);
      for (const dependency of graph.dependenciesOf(task.workstream)) expect(finished).toContain(dependency);
      await context.log(`output of ${task.workstream}\n`);
      expect(task.text).toBe(`# ${task.workstream}`);
      finished.push(task.workstream);
    };
    await worker(execute);
    await worker(execute);
    const remote = await coordinator();
    const outputs: string[] = [];
    remote.onOutput(({ id, text }) => outputs.push(`${id}: ${text}`));
    const dispatcher = new Dispatcher(graph, { featureId, concurrency: 2, checkpoint: false });
    const report = await dispatcher.run(remote.execute);
    expect(report.outcome).toBe('completed');
    expect(runs.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(outputs.sort()).toEqual(['a: output of a\n', 'b: output of b\n', 'c: output of c\n', 'd: output of d\n']);
    const jobs = inspect();
    expect(await jobs.getJob(jobIdOf(featureId, 'd', 1))).toBeDefined();
    expect(await remote.finish(report.outcome, graph.ids())).toBe(4);
    expect(await jobs.getJob(jobIdOf(featureId, 'd', 1))).toBeUndefined();
  });

  it('adopts a job that completed while no coordinator watched: recorded without running again', async () => {
    const { coordinator, worker, leftByEarlierCoordinator } = setup();
    let runs = 0;
    await worker(() => {
      runs++;
      return Promise.resolve();
    });
    // An earlier coordinator enqueued it and died; a worker completed it.
    await leftByEarlierCoordinator('completed');
    const remote = await coordinator();
    const adopted: string[] = [];
    remote.onAdopt(({ id, state }) => adopted.push(`${id} ${state}`));
    await remote.execute('a', { signal: new AbortController().signal, attempt: 1, setHandle: () => undefined });
    expect(adopted).toEqual(['a completed']);
    expect(runs).toBe(1);
  });

  it('awaits a job still running on a worker instead of enqueueing it again; an edited file runs again', async () => {
    const { coordinator, worker, leftByEarlierCoordinator, featureId } = setup();
    const release = deferred();
    let runs = 0;
    await worker(async () => {
      runs++;
      await release.promise;
    });
    const jobs = await leftByEarlierCoordinator('active');
    const remote = await coordinator();
    const adopted: string[] = [];
    remote.onAdopt(({ state }) => adopted.push(state));
    const done = remote.execute('a', { signal: new AbortController().signal, attempt: 1, setHandle: () => undefined });
    await expect.poll(() => adopted).toEqual(['running']);
    release.resolve();
    await done;
    expect(runs).toBe(1);
    // The same workstream with another text is not the completed one: it gets a new attempt.
    const edited = await coordinator(2, { a: '# a, edited' });
    await edited.execute('a', { signal: new AbortController().signal, attempt: 1, setHandle: () => undefined });
    expect(runs).toBe(2);
    expect(await jobs.getJob(jobIdOf(featureId, 'a', 2))).toBeDefined();
  });

  it("retries a failed job under the next attempt id and reports the worker's reason", async () => {
    const { coordinator, worker, featureId } = setup();
    let runs = 0;
    await worker(() => {
      runs++;
      return runs === 1 ? Promise.reject(new Error('command exited with code 3')) : Promise.resolve();
    });
    const remote = await coordinator();
    const error = await rejectionOf(remote.execute('a', { signal: new AbortController().signal, attempt: 1, setHandle: () => undefined }));
    expect(isAttemptFailedError(error) && isBullmqError(error)).toBe(true);
    expect(String(error)).toContain(`workstream a failed on a worker (job ${jobIdOf(featureId, 'a', 1)}): command exited with code 3`);
    await remote.execute('a', { signal: new AbortController().signal, attempt: 2, setHandle: () => undefined });
    expect(runs).toBe(2);
  });

  it("relays a job's output while the job runs, each entry once and in order", async () => {
    const { coordinator, worker } = setup();
    const finish = deferred();
    await worker(async (_task, context) => {
      await context.log('first line\n');
      await context.log('second line\n');
      await finish.promise;
      await context.log('last line\n');
    });
    const remote = await coordinator(1);
    const outputs: string[] = [];
    remote.onOutput(({ text }) => outputs.push(text));
    const run = remote.execute('a', { signal: new AbortController().signal, attempt: 1, setHandle: () => undefined });
    // Before the job ends (it waits for `finish`), its output so far has reached the coordinator.
    await expect.poll(() => outputs.join(''), { timeout: 10_000 }).toBe('first line\nsecond line\n');
    finish.resolve();
    await run;
    expect(outputs.join('')).toBe('first line\nsecond line\nlast line\n');
  });

  it('relays a cancel to the worker running the job, and removes a job that did not start', async () => {
    const { coordinator, worker, inspect, featureId } = setup();
    const started = deferred();
    let aborted: unknown;
    await worker(async (_task, { signal }) => {
      started.resolve();
      await once(signal, 'abort');
      aborted = signal.reason;
      throw signal.reason;
    });
    const remote = await coordinator(1);
    const running = new AbortController();
    const first = remote.execute('a', { signal: running.signal, attempt: 1, setHandle: () => undefined });
    await started.promise;
    const waiting = new AbortController();
    const second = remote.execute('b', { signal: waiting.signal, attempt: 1, setHandle: () => undefined });
    // The waiting one first: the worker's only slot is still taken, so it cannot have started.
    waiting.abort(new Error('run cancelled'));
    expect(String(await rejectionOf(second))).toBe('Error: run cancelled');
    running.abort(new Error('run cancelled'));
    expect(String(await rejectionOf(first))).toBe('Error: run cancelled');
    expect(String(aborted)).toContain('cancelled by the coordinator');
    expect(await inspect().getJob(jobIdOf(featureId, 'b', 1))).toBeUndefined();
  });

  it('cancels the command of a job whose lock is lost, and the completion is not committed', async () => {
    const { coordinator, worker, inspect, featureId, queue } = setup();
    const reasons: unknown[] = [];
    const started = deferred();
    const handle = await worker(async (_task, { signal }) => {
      started.resolve();
      await once(signal, 'abort');
      reasons.push(signal.reason);
    }, 1000);
    const lost: string[] = [];
    handle.onLockLost(({ jobId }) => lost.push(jobId));
    const remote = await coordinator(1);
    const run = remote.execute('a', { signal: new AbortController().signal, attempt: 1, setHandle: () => undefined });
    await started.promise;
    // Another holder's token in the lock key: this worker's next renewal is refused.
    const client = new Redis(connectionOf(redis.url));
    await client.set(`bull:${queue}:${jobIdOf(featureId, 'a', 1)}:lock`, 'someone-else', 'PX', 60_000);
    client.disconnect();
    await expect.poll(() => reasons.length, { timeout: 10_000 }).toBe(1);
    expect(isLockLostError(reasons[0])).toBe(true);
    expect(lost).toEqual([jobIdOf(featureId, 'a', 1)]);
    // The command ended well, but the lock is someone else's: the completion is refused, the job stays theirs.
    const jobs = inspect();
    await expect.poll(() => handle.running).toBe(0);
    expect(await (await jobs.getJob(jobIdOf(featureId, 'a', 1)))?.getState()).toBe('active');
    void run.catch(() => undefined);
  });

  describe('Redis unreachable for longer than half the lock, but not long enough for it to lapse', () => {
    /** Freezes Redis until the worker gave up on its job's lock (renewals overdue), then lets it go on: the lock never lapsed. */
    async function freezeRedisUntilLockGivenUp(handle: WorkerHandle): Promise<void> {
      const givenUp = deferred();
      const dispose = handle.onLockLost(() => {
        givenUp.resolve();
      });
      process.kill(redis.pid, 'SIGSTOP');
      try {
        await givenUp.promise;
      } finally {
        process.kill(redis.pid, 'SIGCONT');
        dispose();
      }
    }
    const context = () => ({ signal: new AbortController().signal, attempt: 1, setHandle: () => undefined });

    it('a command that ended well before the cancel reached it is committed once, not failed', async () => {
      const { coordinator, worker, inspect, featureId } = setup();
      const started = deferred();
      let runs = 0;
      const handle = await worker(async (_task, { signal }) => {
        runs++;
        started.resolve();
        // The command exits 0 at the very moment the worker gives up on the lock.
        await once(signal, 'abort');
      });
      const remote = await coordinator(1);
      const run = remote.execute('a', context());
      await started.promise;
      await freezeRedisUntilLockGivenUp(handle);
      // The attempt succeeds (the lock was still this worker's, so BullMQ committed the completion).
      await run;
      expect(runs).toBe(1);
      expect(await (await inspect().getJob(jobIdOf(featureId, 'a', 1)))?.getState()).toBe('completed');
    });

    it('a command the cancel killed is handed back and runs again; the attempt does not fail', async () => {
      const { coordinator, worker } = setup();
      const started = deferred();
      let runs = 0;
      const handle = await worker(async (_task, { signal }) => {
        runs++;
        if (runs > 1) return;
        started.resolve();
        await once(signal, 'abort');
        throw signal.reason;
      });
      const remote = await coordinator(1);
      const run = remote.execute('a', context());
      await started.promise;
      await freezeRedisUntilLockGivenUp(handle);
      await run;
      expect(runs).toBe(2);
    });
  });

  it('a worker stopping with cancel hands its job back; another worker completes it and the attempt succeeds', async () => {
    const { coordinator, worker } = setup();
    const started = deferred();
    const first = await worker(async (_task, { signal }) => {
      started.resolve();
      await once(signal, 'abort');
      throw signal.reason;
    });
    const remote = await coordinator(1);
    const run = remote.execute('a', { signal: new AbortController().signal, attempt: 1, setHandle: () => undefined });
    await started.promise;
    await first.close({ cancel: true });
    let secondRuns = 0;
    await worker(() => {
      secondRuns++;
      return Promise.resolve();
    });
    await run;
    expect(secondRuns).toBe(1);
  });

  it('pauses the queue while the breaker is open', async () => {
    const { coordinator, worker, inspect, featureId } = setup();
    await worker(() => Promise.reject(new Error('always fails')));
    const remote = await coordinator(1);
    const graph = DependencyGraph.fromNodes([
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: [] },
      { id: 'c', dependsOn: [] },
    ]);
    const dispatcher = new Dispatcher(graph, {
      featureId,
      concurrency: 1,
      checkpoint: false,
      breaker: { threshold: 1, window: 1 },
      onBreakerOpen: 'stop',
    });
    remote.attach(dispatcher);
    const report = await dispatcher.run(remote.execute);
    expect(report.outcome).not.toBe('completed');
    const jobs = inspect();
    await expect.poll(() => jobs.isPaused()).toBe(true);
    // Nothing more was enqueued once the breaker opened: one job, one failure.
    expect(await jobs.getJobCounts('failed', 'waiting', 'prioritized', 'active')).toEqual({
      failed: 1,
      waiting: 0,
      prioritized: 0,
      active: 0,
    });
  });
});

describe('options', () => {
  it('are validated up front', async () => {
    const connection = connectionOf('redis://127.0.0.1:1');
    await expect(startWorker({ connection, execute: () => Promise.resolve(), lockMs: 10 })).rejects.toThrow(
      'lockMs must be a finite number of milliseconds >= 500, got 10',
    );
    await expect(startWorker({ connection, execute: 'x' as unknown as WorkerExecute })).rejects.toThrow(
      'execute must be a function, got "x"',
    );
    await expect(Coordinator.connect({ connection, featureId: 'F', concurrency: 0, textOf: () => '' })).rejects.toThrow(
      'concurrency must be an integer >= 1, got 0',
    );
    await expect(Coordinator.connect({ connection, featureId: 'F', concurrency: 1, textOf: () => '', queue: 'a b' })).rejects.toThrow(
      'queue must be a name',
    );
    expect(() => connectionOf('http://x')).toThrow('not a Redis URL');
    expect(connectionOf('redis://u:p%40@host:7000/2')).toMatchObject({ host: 'host', port: 7000, username: 'u', password: 'p@', db: 2 });
  });
});
