import { hostname as osHostname } from 'node:os';
import { describeValue, systemClock, type Clock } from '@sdp/internal';

/** Options of a {@link CheckpointStore}. */
export interface CheckpointStoreOptions {
  /**
   * The feature whose checkpoint this is, used in the file name: any name that is safe as one file-name
   * component (`F052`, `00-052`, `F10ü`): at most 128 bytes of UTF-8, no `/` or `\\`, no `..`, no control
   * characters, not `.`.
   */
  featureId: string;
  /** Directory of the checkpoint files, relative to `process.cwd()` at construction. Default `.sdp/checkpoints`. */
  dir?: string | undefined;
  /**
   * A lock whose heartbeat is older than this many ms is taken over. It must exceed the longest stall of
   * the holder's event loop and the clock skew between hosts sharing the directory. Default 30 000.
   */
  staleMs?: number | undefined;
  /** How often the holder refreshes its heartbeat, in ms; at most half of `staleMs`. Default `staleMs / 3`. */
  heartbeatMs?: number | undefined;
  /** This host's name in the lock file; a lock of this host with a dead pid is taken over at once. Default `os.hostname()`. */
  hostname?: string | undefined;
  /** Time for heartbeats, staleness and `.corrupt` names. Default `Date.now`. */
  clock?: Clock | undefined;
}

/** {@link CheckpointStoreOptions} with every default applied. */
export interface ResolvedStoreOptions {
  readonly featureId: string;
  readonly dir: string;
  readonly staleMs: number;
  readonly heartbeatMs: number;
  readonly hostname: string;
  readonly clock: Clock;
}

const MAX_FEATURE_ID_BYTES = 128;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const UNSAFE_IN_FEATURE_ID = /[/\\\u0000-\u001f\u007f-\u009f]|\.\./u;

/** Why `featureId` is not safe as one file-name component, or `undefined` when it is. */
export function featureIdProblem(featureId: unknown): string | undefined {
  if (typeof featureId !== 'string' || featureId === '') return 'must be a non-empty string';
  if (Buffer.byteLength(featureId, 'utf8') > MAX_FEATURE_ID_BYTES) return `must be at most ${MAX_FEATURE_ID_BYTES} bytes of UTF-8`;
  if (featureId === '.' || UNSAFE_IN_FEATURE_ID.test(featureId)) {
    return 'must be one file-name component: no "/" or "\\", no "..", no control characters';
  }
  // With the u flag this matches only lone surrogates, which no file name can hold.
  if (/[\uD800-\uDFFF]/u.test(featureId)) return 'must be well-formed Unicode';
  return undefined;
}
// setInterval's limit; a longer staleness would be a lock nobody can recover in practice anyway.
const MAX_MS = 2 ** 31 - 1;

function fail(message: string): never {
  throw new TypeError(`CheckpointStore: ${message}`);
}

function milliseconds(name: string, value: unknown, min: number, max: number, maxText = String(max)): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(`${name} must be an integer, got ${describeValue(value)}`);
  if (value < min) throw new RangeError(`CheckpointStore: ${name} must be at least ${min}, got ${value}`);
  if (value > max) throw new RangeError(`CheckpointStore: ${name} must be at most ${maxText}, got ${value}`);
  return value;
}

/** Validates `options` up front, naming the option and the bad value, and applies the defaults. */
export function resolveStoreOptions(options: unknown): ResolvedStoreOptions {
  if (typeof options !== 'object' || options === null) fail(`options must be an object, got ${describeValue(options)}`);
  const { featureId, dir, staleMs, heartbeatMs, hostname, clock } = options as Record<string, unknown>;
  const problem = featureIdProblem(featureId);
  if (problem !== undefined) fail(`featureId ${problem}, got ${describeValue(featureId)}`);
  if (dir !== undefined && (typeof dir !== 'string' || dir === '')) {
    fail(`dir must be a non-empty string, got ${describeValue(dir)}`);
  }
  const stale = staleMs === undefined ? 30_000 : milliseconds('staleMs', staleMs, 3, MAX_MS);
  const heartbeat =
    heartbeatMs === undefined
      ? Math.floor(stale / 3)
      : milliseconds('heartbeatMs', heartbeatMs, 1, Math.floor(stale / 2), `half of staleMs (${Math.floor(stale / 2)})`);
  if (hostname !== undefined && (typeof hostname !== 'string' || hostname === '')) {
    fail(`hostname must be a non-empty string, got ${describeValue(hostname)}`);
  }
  if (clock !== undefined && (typeof clock !== 'object' || clock === null || typeof (clock as Clock).now !== 'function')) {
    fail(`clock must be an object with a now() method, got ${describeValue(clock)}`);
  }
  return {
    featureId: featureId as string,
    dir: dir ?? '.sdp/checkpoints',
    staleMs: stale,
    heartbeatMs: heartbeat,
    hostname: hostname ?? osHostname(),
    clock: (clock as Clock | undefined) ?? systemClock,
  };
}
