// A BullMQ worker process for bench/bullmq.ts: `node bullmq-worker.mjs <redis-url> <queue> <work-ms>`.
// Prints `ready`, then `start <job id>` as each job starts; each job sleeps <work-ms> (0: none).
import { setTimeout as sleep } from 'node:timers/promises';
import { connectionOf, startWorker } from '../packages/bullmq/dist/index.js';

const [url, queue, workMs] = process.argv.slice(2);
const work = Number(workMs);
await startWorker({
  connection: connectionOf(url),
  queue,
  lockMs: 2000,
  execute: async (task, { signal }) => {
    process.stdout.write(`start ${task.jobId}\n`);
    if (work > 0) await sleep(work, undefined, { signal });
  },
});
process.stdout.write('ready\n');
