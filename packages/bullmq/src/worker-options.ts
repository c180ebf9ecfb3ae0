import { describeValue } from '@sdp/internal';
import type { ConnectionOptions } from 'bullmq';
import type { WorkerExecute } from './worker.js';

export const defaultQueue = 'sdp';

export interface WorkerOptions {
  /** Redis to use: ioredis options (see `connectionOf(url)`); every BullMQ object opens its own connections from it. */
  readonly connection: ConnectionOptions;
  /** Queue name, shared with the coordinator. Default `'sdp'`. */
  readonly queue?: string;
  /** Runs one job; resolve for success, reject for failure; must stop when its signal aborts. */
  readonly execute: WorkerExecute;
  /** Jobs this worker runs at once. Default 1. The run's own limit is global (set by the coordinator). */
  readonly concurrency?: number;
  /**
   * How long a job's lock lasts without renewal, in ms. Default 10 000. A killed or frozen worker's
   * job is taken over by another worker about `lockMs + stalledIntervalMs` after the last renewal;
   * a worker whose event loop is blocked for more than half of it loses its jobs (a false stall): its
   * commands are cancelled and the jobs run again elsewhere. Minimum 500.
   */
  readonly lockMs?: number;
  /** How often this worker looks for jobs whose lock lapsed, in ms. Default `lockMs / 4`. */
  readonly stalledIntervalMs?: number;
  /** Times one job may be taken over after a lapsed lock before it fails for good. Default 5. */
  readonly maxStalledCount?: number;
}

export interface ResolvedWorkerOptions {
  readonly connection: ConnectionOptions;
  readonly queue: string;
  readonly execute: WorkerExecute;
  readonly concurrency: number;
  readonly lockMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
}

export function resolveWorkerOptions(options: WorkerOptions): ResolvedWorkerOptions {
  const given: unknown = options;
  if (typeof given !== 'object' || given === null) throw new TypeError(`worker options must be an object, got ${describeValue(given)}`);
  assertConnection(options.connection);
  const queue = resolveQueueName(options.queue);
  if (typeof options.execute !== 'function') throw new TypeError(`execute must be a function, got ${describeValue(options.execute)}`);
  const concurrency = options.concurrency ?? 1;
  assertInteger('concurrency', concurrency, 1);
  const lockMs = options.lockMs ?? 10_000;
  assertDuration('lockMs', lockMs, 500);
  const stalledIntervalMs = options.stalledIntervalMs ?? Math.round(lockMs / 4);
  assertDuration('stalledIntervalMs', stalledIntervalMs, 100);
  const maxStalledCount = options.maxStalledCount ?? 5;
  assertInteger('maxStalledCount', maxStalledCount, 0);
  return { connection: options.connection, queue, execute: options.execute, concurrency, lockMs, stalledIntervalMs, maxStalledCount };
}

export function assertConnection(connection: unknown): void {
  if (typeof connection !== 'object' || connection === null) {
    throw new TypeError(`connection must be ioredis options or a client, got ${describeValue(connection)}`);
  }
}

export function resolveQueueName(queue: unknown): string {
  const name = queue ?? defaultQueue;
  if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) {
    throw new TypeError(`queue must be a name of letters, digits, "_", "." or "-", got ${describeValue(name)}`);
  }
  return name;
}

export function assertInteger(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${name} must be a number, got ${describeValue(value)}`);
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
}

export function assertDuration(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number of milliseconds, got ${describeValue(value)}`);
  }
  if (!Number.isFinite(value) || value < min) {
    throw new RangeError(`${name} must be a finite number of milliseconds >= ${min}, got ${value}`);
  }
}
