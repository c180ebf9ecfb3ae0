// Runs across machines (issue 19): a Dispatcher with the @sdp/bullmq coordinator, 4 worker processes
// on one loopback redis-server (append-only file, fsync always). Not run by CI: `pnpm bench:bullmq`.
// Needs the packages built (`pnpm build`) and Debian's redis-server.
//
// Measures: makespan against the lower bound max(critical path, work / 4) for 1,000 no-op and
// 200 sleep-50 ms workstreams; the coordinator's CPU time per workstream; and the time from a
// worker's kill -9 to its job starting on another worker (lock 2 s, stalled check every 0.5 s).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Coordinator, connectionOf } from '../packages/bullmq/dist/index.js';
import { startRedisServer } from '../packages/bullmq/dist/testing.js';
import { Dispatcher } from '../packages/dispatcher/dist/index.js';
import { DependencyGraph } from '../packages/graph/dist/index.js';
import { randomDag } from '../packages/internal/src/testing/index.js';

const workerScript = fileURLToPath(new URL('./bullmq-worker.mjs', import.meta.url));
const redis = await startRedisServer();
const connection = connectionOf(redis.url);

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly starts: (listener: (jobId: string) => void) => void;
}

async function startWorkerProcess(queue: string, workMs: number): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [workerScript, redis.url, queue, String(workMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const listeners: ((jobId: string) => void)[] = [];
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve) => {
    lines.on('line', (line) => {
      if (line === 'ready') resolve();
      else if (line.startsWith('start ')) for (const listener of listeners) listener(line.slice(6));
    });
  });
  return { child, starts: (listener) => listeners.push(listener) };
}

async function scenario(name: string, size: number, workMs: number): Promise<void> {
  const queue = `bench-${size}-${workMs}`;
  const workers = await Promise.all(Array.from({ length: 4 }, () => startWorkerProcess(queue, workMs)));
  const graph = DependencyGraph.fromNodes(randomDag(size, 42, { maxDependencies: 3, window: 40 }));
  const featureId = 'BENCH';
  const coordinator = await Coordinator.connect({
    connection,
    queue,
    featureId,
    concurrency: 4,
    textOf: (id) => `# ${id}`,
    chainLengths: graph.chainLengths(),
  });
  const dispatcher = new Dispatcher(graph, { featureId, concurrency: 4, checkpoint: false });
  const cpu = process.cpuUsage();
  const report = await dispatcher.run(coordinator.execute);
  const used = process.cpuUsage(cpu);
  if (report.outcome !== 'completed') throw new Error(`${name}: ${report.outcome}`);
  // The lower bound with the work each job really does (workMs), not the measured attempt durations.
  const chain = Math.max(...graph.chainLengths().values());
  const lowerBound = Math.max(chain * workMs, (size * workMs) / 4);
  const perWs = (used.user + used.system) / 1000 / size;
  console.log(
    `${name.padEnd(28)} makespan ${report.makespanMs.toFixed(0).padStart(6)} ms, lower bound ${lowerBound.toFixed(0).padStart(5)} ms` +
      ` (critical path ${chain} workstreams), ${(report.makespanMs / size).toFixed(2)} ms per workstream;` +
      ` coordinator CPU ${perWs.toFixed(2)} ms per workstream`,
  );
  await coordinator.finish(report.outcome, graph.ids());
  await coordinator.close();
  for (const worker of workers) worker.child.kill('SIGTERM');
}

async function failover(): Promise<void> {
  const queue = 'bench-failover';
  const first = await startWorkerProcess(queue, 60_000);
  const coordinator = await Coordinator.connect({ connection, queue, featureId: 'FAILOVER', concurrency: 1, textOf: () => '# a' });
  const started = new Promise<void>((resolve) => {
    first.starts(() => {
      resolve();
    });
  });
  const run = coordinator.execute('a', { signal: new AbortController().signal, attempt: 1, setHandle: () => undefined });
  await started;
  const second = await startWorkerProcess(queue, 0);
  const restarted = new Promise<number>((resolve) => {
    second.starts(() => {
      resolve(performance.now());
    });
  });
  const killedAt = performance.now();
  first.child.kill('SIGKILL');
  const restartedAt = await restarted;
  await run;
  console.log(
    `kill -9 of a worker to its job starting on another: ${(restartedAt - killedAt).toFixed(0)} ms (lock 2000 ms, stalled check 500 ms)`,
  );
  await coordinator.close();
  second.child.kill('SIGTERM');
}

try {
  await scenario('1,000 no-op workstreams', 1000, 0);
  await scenario('200 sleep-50 ms workstreams', 200, 50);
  await failover();
} finally {
  await redis.stop();
}
