/** Guards check the stable `code` , not `instanceof` alone, so they hold across duplicated package copies. */
function isErrorWithCode(value: unknown, code: string): boolean {
  return value instanceof Error && (value as { code?: unknown }).code === code;
}

/** The checkpoint on disk belongs to another feature than the one being run. */
export class CheckpointFeatureMismatchError extends Error {
  override readonly name = 'CheckpointFeatureMismatchError';
  readonly code = 'FEATURE_MISMATCH' as const;
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`checkpoint ${path} belongs to feature "${found}", not "${expected}"`);
  }
}

export function isCheckpointFeatureMismatchError(value: unknown): value is CheckpointFeatureMismatchError {
  return isErrorWithCode(value, 'FEATURE_MISMATCH');
}

/** The checkpoint's graph snapshot is not a valid graph (e.g. a hand-edited or Go-written file). */
export class CheckpointGraphError extends Error {
  override readonly name = 'CheckpointGraphError';
  readonly code = 'CHECKPOINT_GRAPH' as const;
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`checkpoint ${path} holds an invalid graph: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export function isCheckpointGraphError(value: unknown): value is CheckpointGraphError {
  return isErrorWithCode(value, 'CHECKPOINT_GRAPH');
}

/** A workstream attempt ran longer than the `timeout` option; it counts as a failure. */
export class WorkstreamTimeoutError extends Error {
  override readonly name = 'WorkstreamTimeoutError';
  readonly code = 'WORKSTREAM_TIMEOUT' as const;
  constructor(
    readonly workstream: string,
    readonly timeoutMs: number,
  ) {
    super(`workstream ${workstream} timed out after ${timeoutMs} ms`);
  }
}

export function isWorkstreamTimeoutError(value: unknown): value is WorkstreamTimeoutError {
  return isErrorWithCode(value, 'WORKSTREAM_TIMEOUT');
}

/** `run()` was called while the same dispatcher was still running. */
export class DispatcherBusyError extends Error {
  override readonly name = 'DispatcherBusyError';
  readonly code = 'DISPATCHER_BUSY' as const;
  constructor() {
    super('this dispatcher is already running; wait for run() to settle before calling it again');
  }
}

export function isDispatcherBusyError(value: unknown): value is DispatcherBusyError {
  return isErrorWithCode(value, 'DISPATCHER_BUSY');
}
