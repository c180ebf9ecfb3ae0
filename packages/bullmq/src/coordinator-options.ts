import { describeValue } from '@sdp/internal';
import type { ConnectionOptions } from 'bullmq';
import { assertConnection, assertDuration, assertInteger, resolveQueueName } from './worker-options.js';

export interface CoordinatorOptions {
  /** Redis to use: ioredis options (see `connectionOf(url)`). */
  readonly connection: ConnectionOptions;
  /** Queue name, shared with the workers. Default `'sdp'`. */
  readonly queue?: string;
  /** The feature being run: part of every job id. */
  readonly featureId: string;
  /** The run's concurrency, enforced across all workers (BullMQ global concurrency). Use the dispatcher's. */
  readonly concurrency: number;
  /** The workstream file's text, carried by its job (workers need no copy of the folder). */
  readonly textOf: (id: string) => string | Promise<string>;
  /** Remaining chain length per workstream (`graph.chainLengths()`): the longest runs first. Default: no priority. */
  readonly chainLengths?: ReadonlyMap<string, number>;
  /** How often the coordinator looks at awaited jobs in case a queue event was missed, in ms. Default 1000. */
  readonly pollMs?: number;
}

export interface ResolvedCoordinatorOptions {
  readonly connection: ConnectionOptions;
  readonly queue: string;
  readonly featureId: string;
  readonly concurrency: number;
  readonly textOf: (id: string) => string | Promise<string>;
  readonly chainLengths: ReadonlyMap<string, number>;
  readonly pollMs: number;
}

export function resolveCoordinatorOptions(options: CoordinatorOptions): ResolvedCoordinatorOptions {
  const given: unknown = options;
  if (typeof given !== 'object' || given === null)
    throw new TypeError(`coordinator options must be an object, got ${describeValue(given)}`);
  assertConnection(options.connection);
  const queue = resolveQueueName(options.queue);
  const { featureId } = options;
  if (typeof featureId !== 'string' || featureId.trim() === '') {
    throw new TypeError(`featureId must be a non-empty string, got ${describeValue(featureId)}`);
  }
  assertInteger('concurrency', options.concurrency, 1);
  if (typeof options.textOf !== 'function') throw new TypeError(`textOf must be a function, got ${describeValue(options.textOf)}`);
  const chainLengths = options.chainLengths ?? new Map<string, number>();
  if (!(chainLengths instanceof Map)) throw new TypeError(`chainLengths must be a Map, got ${describeValue(chainLengths)}`);
  const pollMs = options.pollMs ?? 1000;
  assertDuration('pollMs', pollMs, 10);
  return {
    connection: options.connection,
    queue,
    featureId,
    concurrency: options.concurrency,
    textOf: options.textOf,
    chainLengths,
    pollMs,
  };
}
