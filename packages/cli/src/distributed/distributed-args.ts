import { UsageError, parseDuration } from '../args.js';

/** `sdp-dispatch worker --redis <url> --exec '<command>'`: runs jobs of any coordinator on this queue. */
export interface WorkerArgs {
  readonly redis: string;
  readonly queue: string;
  readonly exec: string;
  readonly concurrency: number;
  readonly lockMs: number;
  readonly graceMs: number;
  readonly verbose: boolean;
}

/** The coordinator's side of `run <dir> --redis <url>`. */
export interface RemoteArgs {
  readonly url: string;
  readonly queue: string;
}

export interface DistributedValues {
  redis?: string | undefined;
  queue?: string | undefined;
  lock?: string | undefined;
  exec?: string | undefined;
  concurrency?: string | undefined;
  grace?: string | undefined;
  verbose?: boolean | undefined;
}

const workerFlags = new Set(['redis', 'queue', 'lock', 'exec', 'concurrency', 'grace', 'verbose', 'help', 'version']);

export function parseWorkerArgs(values: DistributedValues & Record<string, unknown>, positionals: readonly string[]): WorkerArgs {
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0] ?? ''}": a worker takes no folder (jobs carry their files)`);
  const misplaced = Object.keys(values).find((name) => values[name] !== undefined && !workerFlags.has(name));
  if (misplaced !== undefined) throw new UsageError(`--${misplaced} does not apply to "worker"`);
  if (values.redis === undefined)
    throw new UsageError(`"worker" needs --redis <url>, e.g. sdp-dispatch worker --redis redis://10.0.0.5:6379 --exec '…'`);
  if (values.exec === undefined || values.exec.trim() === '') throw new UsageError(`"worker" needs --exec '<command>'`);
  const concurrency = values.concurrency ?? '1';
  if (!/^\d+$/.test(concurrency) || Number(concurrency) < 1)
    throw new UsageError(`--concurrency must be a whole number >= 1, got "${concurrency}"`);
  return {
    redis: values.redis,
    queue: values.queue ?? 'sdp',
    exec: values.exec,
    concurrency: Number(concurrency),
    lockMs: values.lock === undefined ? 10_000 : parseDuration('--lock', values.lock, 500),
    graceMs: values.grace === undefined ? 10_000 : parseDuration('--grace', values.grace, 0),
    verbose: values.verbose === true,
  };
}

/** `run --redis`: the coordinator runs no command itself. Undefined without --redis. */
export function parseRemoteArgs(values: DistributedValues): RemoteArgs | undefined {
  if (values.lock !== undefined) throw new UsageError('--lock applies to "worker" only');
  if (values.redis === undefined) {
    if (values.queue !== undefined) throw new UsageError('--queue needs --redis');
    return undefined;
  }
  if (values.exec !== undefined)
    throw new UsageError('with --redis the workers run the command: give --exec to "sdp-dispatch worker", not to "run"');
  return { url: values.redis, queue: values.queue ?? 'sdp' };
}

export const distributedHelp = `Across machines (BullMQ on Redis; see the @sdp/bullmq README):
  sdp-dispatch worker --redis <url> --exec '<command>' [--concurrency n] [--queue q] [--lock 10s]
                                                        run jobs on this machine until stopped
  sdp-dispatch run <dir> --redis <url> [options]        coordinate the run: the workers run the command
      --redis <url>             redis://[user:password@]host:port[/db]
      --queue <name>            queue shared by the coordinator and its workers (default sdp)
      --lock <duration>         worker: job lock; a dead worker's job restarts elsewhere after about 1.25x (default 10s)
`;
