import { hasErrorCode } from '@sdp/internal';

/** The stable codes of {@link DispatcherError}: every error of this package carries one. */
export type DispatcherErrorCode =
  | 'DISPATCHER_FEATURE_MISMATCH'
  | 'DISPATCHER_CHECKPOINT_GRAPH'
  | 'DISPATCHER_ATTEMPT_TIMEOUT'
  | 'DISPATCHER_BUSY'
  | 'DISPATCHER_LOCK_LOST'
  | 'DISPATCHER_IN_DOUBT';

const DISPATCHER_ERROR_CODES: ReadonlySet<string> = new Set<DispatcherErrorCode>([
  'DISPATCHER_FEATURE_MISMATCH',
  'DISPATCHER_CHECKPOINT_GRAPH',
  'DISPATCHER_ATTEMPT_TIMEOUT',
  'DISPATCHER_BUSY',
  'DISPATCHER_LOCK_LOST',
  'DISPATCHER_IN_DOUBT',
]);

/** The base of every error of `@sdp/dispatcher`; `code` says which one. */
export class DispatcherError extends Error {
  override readonly name: string = 'DispatcherError';
  readonly code: DispatcherErrorCode;

  constructor(code: DispatcherErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

export function isDispatcherError(value: unknown): value is DispatcherError {
  return hasErrorCode(value, undefined, DISPATCHER_ERROR_CODES);
}

/** The checkpoint on disk belongs to another feature than the one being run. */
export class CheckpointFeatureMismatchError extends DispatcherError {
  override readonly name = 'CheckpointFeatureMismatchError';
  declare readonly code: 'DISPATCHER_FEATURE_MISMATCH';
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super('DISPATCHER_FEATURE_MISMATCH', `checkpoint ${path} belongs to feature "${found}", not "${expected}"`);
  }
}

export function isCheckpointFeatureMismatchError(value: unknown): value is CheckpointFeatureMismatchError {
  return hasErrorCode(value, 'CheckpointFeatureMismatchError', new Set(['DISPATCHER_FEATURE_MISMATCH']));
}

/** The checkpoint's graph snapshot is not a valid graph (e.g. a hand-edited or Go-written file). */
export class CheckpointGraphError extends DispatcherError {
  override readonly name = 'CheckpointGraphError';
  declare readonly code: 'DISPATCHER_CHECKPOINT_GRAPH';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('DISPATCHER_CHECKPOINT_GRAPH', `checkpoint ${path} holds an invalid graph: ${reason}`, { cause });
  }
}

export function isCheckpointGraphError(value: unknown): value is CheckpointGraphError {
  return hasErrorCode(value, 'CheckpointGraphError', new Set(['DISPATCHER_CHECKPOINT_GRAPH']));
}

/** An attempt ran longer than `attemptTimeoutMs`; it counts as a failure. */
export class AttemptTimeoutError extends DispatcherError {
  override readonly name = 'AttemptTimeoutError';
  declare readonly code: 'DISPATCHER_ATTEMPT_TIMEOUT';
  constructor(
    readonly workstream: string,
    readonly timeoutMs: number,
  ) {
    super('DISPATCHER_ATTEMPT_TIMEOUT', `workstream ${workstream} timed out after ${timeoutMs} ms`);
  }
}

export function isAttemptTimeoutError(value: unknown): value is AttemptTimeoutError {
  return hasErrorCode(value, 'AttemptTimeoutError', new Set(['DISPATCHER_ATTEMPT_TIMEOUT']));
}

/** @deprecated Renamed {@link AttemptTimeoutError} (code `DISPATCHER_ATTEMPT_TIMEOUT`); this alias goes in the next minor release. */
export const WorkstreamTimeoutError = AttemptTimeoutError;
/** @deprecated Renamed {@link AttemptTimeoutError}. */
export type WorkstreamTimeoutError = AttemptTimeoutError;
/** @deprecated Renamed {@link isAttemptTimeoutError}. */
export const isWorkstreamTimeoutError = isAttemptTimeoutError;

/** `run()` was called while the same dispatcher was still running. */
export class DispatcherBusyError extends DispatcherError {
  override readonly name = 'DispatcherBusyError';
  declare readonly code: 'DISPATCHER_BUSY';
  constructor() {
    super('DISPATCHER_BUSY', 'this dispatcher is already running; wait for run() to settle before calling it again');
  }
}

export function isDispatcherBusyError(value: unknown): value is DispatcherBusyError {
  return hasErrorCode(value, 'DispatcherBusyError', new Set(['DISPATCHER_BUSY']));
}

/**
 * Another process took the checkpoint's lock over: the run stopped starting work and aborted its
 * attempts with this reason. The run ends with `outcome: 'lock-lost'`.
 */
export class LockLostError extends DispatcherError {
  override readonly name = 'LockLostError';
  declare readonly code: 'DISPATCHER_LOCK_LOST';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super('DISPATCHER_LOCK_LOST', `lost the lock of checkpoint ${path} (${reason}); this run stopped`);
  }
}

export function isLockLostError(value: unknown): value is LockLostError {
  return hasErrorCode(value, 'LockLostError', new Set(['DISPATCHER_LOCK_LOST']));
}

/**
 * A workstream recorded as running by an earlier process could not be confirmed ended (`endInDoubt`
 * threw, or no `endInDoubt` was given): it is not started in this run, since a survivor may still live.
 */
export class InDoubtError extends DispatcherError {
  override readonly name = 'InDoubtError';
  declare readonly code: 'DISPATCHER_IN_DOUBT';
  constructor(
    readonly workstream: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super('DISPATCHER_IN_DOUBT', `workstream ${workstream} may still be running from an earlier run (${reason}); not started`, options);
  }
}

export function isInDoubtError(value: unknown): value is InDoubtError {
  return hasErrorCode(value, 'InDoubtError', new Set(['DISPATCHER_IN_DOUBT']));
}
