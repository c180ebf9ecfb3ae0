import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRedisServer, type RedisServer } from '@sdp/bullmq/testing';
import { randomDag, SeededRandom } from '@sdp/internal/testing';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bullmqAgentPath } from './paths.js';
import { Sandbox, type CliRun } from './sandbox.js';

// Short locks keep the suite bounded: a dead worker's job restarts elsewhere after about 2.5 s.
const lockMs = 2000;
const agent = `node ${bullmqAgentPath}`;
const featureId = 'F090';
const idOf = (index: number) => `00-090-${String(index + 1).padStart(3, '0')}`;

let sandbox: Sandbox;
let redis: RedisServer;
let chaosDir: string;

beforeEach(async () => {
  sandbox = await Sandbox.create();
  redis = await startRedisServer();
  chaosDir = join(sandbox.root, 'chaos');
  await mkdir(chaosDir);
});
afterEach(async () => {
  await sandbox.cleanup();
  await redis.stop();
});

/** Writes the feature and the agent's dependency map; returns the folder. */
async function writeFeature(nodes: readonly { id: string; dependsOn: string[] }[]): Promise<string> {
  await writeFile(join(chaosDir, 'deps.json'), JSON.stringify(Object.fromEntries(nodes.map((node) => [node.id, node.dependsOn]))));
  return sandbox.writeFeature('ws', nodes);
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { CHAOS_DIR: chaosDir, CHAOS_DEPS: join(chaosDir, 'deps.json'), ...extra };
}

function startWorker(queue: string, extra: Record<string, string> = {}): CliRun {
  return sandbox.start(['worker', '--redis', redis.url, '--queue', queue, '--exec', agent, '--lock', `${lockMs}ms`], env(extra));
}

async function events(): Promise<string[]> {
  const file = join(chaosDir, 'events.log');
  return existsSync(file) ? (await readFile(file, 'utf8')).trim().split('\n') : [];
}

async function doneCount(): Promise<number> {
  const dir = join(chaosDir, 'done');
  return existsSync(dir) ? (await readdir(dir)).length : 0;
}

/** Every event BullMQ recorded for the queue (the stream survives Redis restarts: append-only file). */
async function queueEvents(queue: string): Promise<Record<string, string>[]> {
  const client = new Redis(redis.url);
  try {
    const entries = await client.xrange(`bull:${queue}:events`, '-', '+');
    return entries.map(([, fields]) => {
      const record: Record<string, string> = {};
      for (let index = 0; index + 1 < fields.length; index += 2) record[fields[index] ?? ''] = fields[index + 1] ?? '';
      return record;
    });
  } finally {
    client.disconnect();
  }
}

/** The queue's lists, locks and settings, to see why a stuck run is stuck. */
async function queueState(queue: string): Promise<string> {
  const client = new Redis(redis.url);
  try {
    const key = (name: string) => `bull:${queue}:${name}`;
    const active = await client.lrange(key('active'), 0, -1);
    const locks = await Promise.all(active.map(async (id) => `${id}=${(await client.get(key(`${id}:lock`))) ?? 'no lock'}`));
    return [
      `active: ${locks.join(', ')}`,
      `wait: ${(await client.lrange(key('wait'), 0, -1)).join(', ')}`,
      `prioritized: ${(await client.zrange(key('prioritized'), 0, -1)).join(', ')}`,
      `stalled: ${(await client.smembers(key('stalled'))).join(', ')}`,
      `meta: ${JSON.stringify(await client.hgetall(key('meta')))}`,
      `marker: ${JSON.stringify(await client.zrange(key('marker'), 0, -1, 'WITHSCORES'))}`,
      `stalled-check: ${String(await client.get(key('stalled-check')))}`,
      ...(await Promise.all(
        (await client.keys(key(`${featureId}*`)))
          .filter((name) => /\/\d+$/.test(name))
          .sort()
          .slice(-12)
          .map(async (name) => `${name}: ${(await client.hmget(name, 'finishedOn', 'failedReason', 'processedOn')).join(' | ')}`),
      )),
    ].join('\n');
  } finally {
    client.disconnect();
  }
}

/** The parent of `pid` (Linux /proc), or 0. */
async function parentOf(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** The pids of the live children of `pid` (Linux /proc). */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const name of await readdir('/proc')) {
    if (/^\d+$/.test(name) && (await parentOf(Number(name))) === pid) children.push(Number(name));
  }
  return children;
}

async function commandLineOf(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
}

/** Index of a worker whose command is running now (agent -> its shell -> its supervisor -> the worker), once there is one. */
async function busyWorker(workers: readonly CliRun[]): Promise<number> {
  let found = -1;
  await until(async () => {
    const dir = join(chaosDir, 'running');
    for (const id of existsSync(dir) ? await readdir(dir) : []) {
      let ancestor = Number(await readFile(join(dir, id), 'utf8').catch(() => '0'));
      for (let level = 0; level < 4 && ancestor > 1; level++) {
        ancestor = await parentOf(ancestor);
        found = workers.findIndex((run) => run.pid === ancestor);
        if (found >= 0) return true;
      }
    }
    return false;
  }, 'a worker running a command');
  return found;
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('a run over BullMQ workers', { timeout: 120_000 }, () => {
  it('completes every workstream exactly once through kills of workers, the coordinator and Redis, and a frozen worker', async () => {
    const seed = 90;
    const random = new SeededRandom(seed);
    const nodes = randomDag(100, seed, { maxDependencies: 5, window: 12, idOf });
    // The shapes flows cannot carry: nodes of many parents, and diamonds (two parents sharing an ancestor).
    const parents = new Map(nodes.map((node) => [node.id, node.dependsOn]));
    expect(nodes.filter((node) => node.dependsOn.length >= 4).length).toBeGreaterThan(20);
    expect(
      nodes.some((node) =>
        node.dependsOn.some((a) =>
          node.dependsOn.some((b) => a !== b && (parents.get(a) ?? []).some((x) => (parents.get(b) ?? []).includes(x))),
        ),
      ),
    ).toBe(true);
    const dir = await writeFeature(nodes);
    const queue = 'chaos';
    const workers = Array.from({ length: 4 }, () => startWorker(queue, { CHAOS_SLEEP_MS: '50' }));
    const coordinatorArgs = ['run', dir, '--redis', redis.url, '--queue', queue, '--concurrency', '4', '--json'];
    let coordinator = sandbox.start(coordinatorArgs, env());
    const kill = async (run: CliRun) => {
      process.kill(run.pid, 'SIGKILL');
      await run.done;
    };
    // Each fault at a seeded moment: when this many workstreams have finished.
    const at = (low: number) => low + random.int(0, 8);
    const faults: [number, string, () => Promise<void>][] = [
      [
        at(6),
        'kill -9 a worker running a command',
        async () => {
          const busy = await busyWorker(workers);
          await kill(workers[busy]!);
          workers[busy] = startWorker(queue, { CHAOS_SLEEP_MS: '50' });
        },
      ],
      [
        at(18),
        'kill -9 the coordinator',
        async () => {
          await kill(coordinator);
          coordinator = sandbox.start(coordinatorArgs, env());
        },
      ],
      [
        at(32),
        'freeze a worker running a command past its lock',
        async () => {
          const frozen = workers[await busyWorker(workers)]!.pid;
          process.kill(frozen, 'SIGSTOP');
          await sleep(lockMs * 2.5);
          process.kill(frozen, 'SIGCONT');
        },
      ],
      [
        at(48),
        'kill -9 Redis',
        async () => {
          await redis.kill();
          await sleep(500);
          await redis.restart();
        },
      ],
      [
        at(64),
        'kill -9 the coordinator again',
        async () => {
          await kill(coordinator);
          coordinator = sandbox.start(coordinatorArgs, env());
        },
      ],
      [
        at(80),
        'kill -9 another worker running a command',
        async () => {
          const busy = await busyWorker(workers);
          await kill(workers[busy]!);
          workers[busy] = startWorker(queue, { CHAOS_SLEEP_MS: '50' });
        },
      ],
    ];
    try {
      for (const [threshold, what, fault] of faults) {
        await until(async () => (await doneCount()) >= threshold, `${threshold} workstreams done before "${what}"`);
        await fault();
      }
    } catch (error) {
      console.log(`chaos failed: ${String(error)}`);
      await sandbox.killAll();
      // What each process said last, to see where the run got stuck.
      for (const run of [coordinator, ...workers]) console.log(`process ${run.pid}:\n${(await run.done).stderr.slice(-3000)}`);
      console.log(`last agent events:\n${(await events()).slice(-30).join('\n')}`);
      console.log(`queue state:\n${await queueState(queue)}`);
      console.log(`coordinator's last events:\n${(await coordinator.done).stdout.trim().split('\n').slice(-15).join('\n')}`);
      throw error;
    }
    const result = await coordinator.done;
    expect(result.code, result.stderr).toBe(0);

    const log = await events();
    // No two live copies of one workstream, none before its dependencies finished, each got its own file.
    expect(log.filter((line) => /^(overlap|early|wrong-file) /.test(line))).toEqual([]);
    // The faults hit running commands: their workstreams started again elsewhere.
    const starts = log.filter((line) => line.startsWith('start ')).map((line) => line.split(' ')[1]);
    expect(starts.length).toBeGreaterThan(nodes.length);
    // Every workstream completed, and BullMQ committed exactly one completion each.
    expect(await doneCount()).toBe(nodes.length);
    const completed = (await queueEvents(queue))
      .filter((event) => event['event'] === 'completed')
      .map((event) => decodeURIComponent(event['jobId']?.split('/')[1] ?? ''));
    expect(completed.sort()).toEqual(nodes.map((node) => node.id).sort());
    // The finished run left nothing: no checkpoint, no jobs.
    expect(existsSync(sandbox.checkpointFile(featureId))).toBe(false);
    const client = new Redis(redis.url);
    expect(await client.keys(`bull:${queue}:${featureId}*`)).toEqual([]);
    client.disconnect();
    for (const worker of workers) process.kill(worker.pid, 'SIGTERM');
    for (const worker of workers) expect((await worker.done).code).toBe(0);
  });

  it('enqueues nothing more once the breaker opens, and pauses the queue', async () => {
    const nodes = Array.from({ length: 8 }, (_, index) => ({ id: idOf(index), dependsOn: [] }));
    const dir = await writeFeature(nodes);
    startWorker('breaker', { CHAOS_FAIL: '1' });
    const result = await sandbox.run(
      [
        'run',
        dir,
        '--redis',
        redis.url,
        '--queue',
        'breaker',
        '--concurrency',
        '1',
        '--breaker-threshold',
        '2',
        '--breaker-window',
        '2',
        '--on-breaker-open',
        'stop',
      ],
      env(),
    );
    expect(result.code).toBe(1);
    const added = (await queueEvents('breaker')).filter((event) => event['event'] === 'added');
    expect(added).toHaveLength(2);
    const client = new Redis(redis.url);
    expect(await client.hexists('bull:breaker:meta', 'paused')).toBe(1);
    client.disconnect();
  });

  it("a second coordinator, even with --fresh, is refused the lock and leaves the live run's jobs and queue alone", async () => {
    const nodes = Array.from({ length: 2 }, (_, index) => ({ id: idOf(index), dependsOn: [] }));
    const dir = await writeFeature(nodes);
    const gate = join(chaosDir, 'gate');
    startWorker('second', { CHAOS_GATE: gate });
    startWorker('second', { CHAOS_GATE: gate });
    const run = ['run', dir, '--redis', redis.url, '--queue', 'second'];
    const live = sandbox.start([...run, '--concurrency', '2'], env());
    await until(async () => (await events()).filter((line) => line.startsWith('start ')).length === 2, 'two jobs running');
    const second = await sandbox.run([...run, '--concurrency', '1', '--fresh'], env());
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('is another run of this feature still going?');
    // The live run's queue keeps its concurrency, and its commands go on: none was cancelled.
    const client = new Redis(redis.url);
    expect(await client.hget('bull:second:meta', 'concurrency')).toBe('2');
    client.disconnect();
    await writeFile(gate, '');
    const result = await live.done;
    expect(result.code, result.stderr).toBe(0);
    const log = await events();
    expect(log.filter((line) => line.startsWith('start '))).toHaveLength(2);
    expect(log.filter((line) => line.startsWith('end '))).toHaveLength(2);
  });

  it("a command's output reaches the coordinator's log file while the command still runs", async () => {
    const nodes = [{ id: idOf(0), dependsOn: [] }];
    const dir = await writeFeature(nodes);
    const gate = join(chaosDir, 'gate');
    const worker = startWorker('output', { CHAOS_GATE: gate });
    const coordinator = sandbox.start(['run', dir, '--redis', redis.url, '--queue', 'output'], env());
    const logFile = join(sandbox.cwd, '.sdp', 'logs', featureId, `${idOf(0)}.log`);
    const logText = async () => (existsSync(logFile) ? readFile(logFile, 'utf8') : '');
    await until(async () => (await logText()).includes(`agent ${idOf(0)} started`), 'the first line in the log');
    expect(await logText()).not.toContain('done');
    await writeFile(gate, '');
    expect((await coordinator.done).code).toBe(0);
    // Each line once: what came while it ran is not sent again at the end.
    const text = await logText();
    expect(text.split(`agent ${idOf(0)} started`)).toHaveLength(2);
    expect(text).toContain(`agent ${idOf(0)} done`);
    // The job left no process behind on the worker: its command's supervisor is gone, and no idle spare waits.
    const supervisors = async () =>
      (await Promise.all((await childrenOf(worker.pid)).map(commandLineOf))).filter((line) => line.includes('supervisor'));
    await until(async () => (await supervisors()).length === 0, 'no supervisor left on the worker');
  });

  it('a cancel (Ctrl-C of the coordinator) aborts the jobs running on the workers', async () => {
    const nodes = Array.from({ length: 6 }, (_, index) => ({ id: idOf(index), dependsOn: [] }));
    const dir = await writeFeature(nodes);
    startWorker('cancel', { CHAOS_SLEEP_MS: '60000' });
    startWorker('cancel', { CHAOS_SLEEP_MS: '60000' });
    const coordinator = sandbox.start(
      ['run', dir, '--redis', redis.url, '--queue', 'cancel', '--concurrency', '2', '--grace', '10s'],
      env(),
    );
    await until(async () => (await events()).filter((line) => line.startsWith('start ')).length === 2, 'two jobs running');
    const pids = (await events()).filter((line) => line.startsWith('start ')).map((line) => Number(line.split(' ')[2]));
    process.kill(coordinator.pid, 'SIGINT');
    const result = await coordinator.done;
    expect(result.code).toBe(130);
    // The commands on the workers are gone (well before their 60 s of work), and none finished.
    for (const pid of pids)
      expect(existsSync(`/proc/${pid}`) && !(await readFile(`/proc/${pid}/stat`, 'utf8')).includes(') Z')).toBe(false);
    expect((await events()).filter((line) => line.startsWith('end '))).toEqual([]);
  });
});
