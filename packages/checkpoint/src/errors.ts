import { hasErrorCode } from '@sdp/internal';

/** Who holds a checkpoint's lock, as written in the lock file. */
export interface LockHolder {
  /** Process id on `host`. */
  readonly pid: number;
  /** `os.hostname()` of the holder. */
  readonly host: string;
  /** ISO-8601 UTC time the lock was taken. */
  readonly since: string;
}

/** Every `code` an error of this package carries. */
export type CheckpointErrorCode =
  | 'CHECKPOINT_CORRUPT'
  | 'CHECKPOINT_VERSION'
  | 'CHECKPOINT_LOCKED'
  | 'CHECKPOINT_NOT_LOCKED'
  | 'CHECKPOINT_LOCK_LOST'
  | 'CHECKPOINT_MISSING'
  | 'CHECKPOINT_WRITE'
  | 'CHECKPOINT_INVALID';

const ALL_CODES: ReadonlySet<string> = new Set<CheckpointErrorCode>([
  'CHECKPOINT_CORRUPT',
  'CHECKPOINT_VERSION',
  'CHECKPOINT_LOCKED',
  'CHECKPOINT_NOT_LOCKED',
  'CHECKPOINT_LOCK_LOST',
  'CHECKPOINT_MISSING',
  'CHECKPOINT_WRITE',
  'CHECKPOINT_INVALID',
]);

/** The base of every error of `@sdp/checkpoint`; `code` says which one. */
export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;

  constructor(code: CheckpointErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** True for any error of this package, also one from another copy of it. */
export function isCheckpointError(value: unknown): value is CheckpointError {
  return value instanceof CheckpointError || hasErrorCode(value, undefined, ALL_CODES);
}

function guard<T extends CheckpointError>(name: string, code: CheckpointErrorCode, type: abstract new (...args: never[]) => T) {
  const codes = new Set([code]);
  return (value: unknown): value is T => value instanceof type || hasErrorCode(value, name, codes);
}

/**
 * The checkpoint file is damaged (truncated, altered, not a checkpoint) and no usable backup is left. Nothing was
 * moved or removed: the files stay as found until the writer is told to discard them.
 */
export class CheckpointCorruptError extends CheckpointError {
  override readonly name = 'CheckpointCorruptError';
  declare readonly code: 'CHECKPOINT_CORRUPT';
  /** The checkpoint file. */
  readonly path: string;
  /** Where the damaged file is now: `path` (it is never moved when it cannot be replaced). */
  readonly movedTo: string;
  /** What is wrong with it, and with its backup. */
  readonly reason: string;

  constructor(path: string, movedTo: string, reason: string) {
    super(
      'CHECKPOINT_CORRUPT',
      `Checkpoint ${path} is damaged (${reason}) and has no usable backup; nothing was moved or removed. ` +
        'To start over, discard it (--fresh on the command line, delete() in the library)',
    );
    this.path = path;
    this.movedTo = movedTo;
    this.reason = reason;
  }
}
export const isCheckpointCorruptError = guard('CheckpointCorruptError', 'CHECKPOINT_CORRUPT', CheckpointCorruptError);

/** The checkpoint file has a format version this package does not read. The file is left untouched. */
export class CheckpointVersionError extends CheckpointError {
  override readonly name = 'CheckpointVersionError';
  declare readonly code: 'CHECKPOINT_VERSION';
  /** The file with the unsupported version. */
  readonly path: string;
  /** Its `version`. */
  readonly version: string;

  constructor(path: string, version: string) {
    super(
      'CHECKPOINT_VERSION',
      `Checkpoint ${path} has format version ${JSON.stringify(version)}; this package reads "1.0" (or no version, as Go ` +
        'writes it). The file was left untouched; a newer tool may read it, or discard it to start over',
    );
    this.path = path;
    this.version = version;
  }
}
export const isCheckpointVersionError = guard('CheckpointVersionError', 'CHECKPOINT_VERSION', CheckpointVersionError);

/** Another live process (or another store in this one) holds the checkpoint's lock. */
export class CheckpointLockedError extends CheckpointError {
  override readonly name = 'CheckpointLockedError';
  declare readonly code: 'CHECKPOINT_LOCKED';
  /** The lock file. */
  readonly path: string;
  /** Who holds it. */
  readonly holder: LockHolder;

  constructor(path: string, holder: LockHolder) {
    super(
      'CHECKPOINT_LOCKED',
      `Checkpoint lock ${path} is held by pid ${holder.pid} on ${holder.host} since ${holder.since}; ` +
        'wait for that run to finish or stop it',
    );
    this.path = path;
    this.holder = holder;
  }
}
export const isCheckpointLockedError = guard('CheckpointLockedError', 'CHECKPOINT_LOCKED', CheckpointLockedError);

/** A write (`save`, `update`, `compact`, `delete`) by a store that never took the lock, or released it. */
export class CheckpointNotLockedError extends CheckpointError {
  override readonly name = 'CheckpointNotLockedError';
  declare readonly code: 'CHECKPOINT_NOT_LOCKED';
  /** The lock file. */
  readonly path: string;

  constructor(path: string, detail: string) {
    super('CHECKPOINT_NOT_LOCKED', `Checkpoint lock ${path} is not held by this store: ${detail}`);
    this.path = path;
  }
}
export const isCheckpointNotLockedError = guard('CheckpointNotLockedError', 'CHECKPOINT_NOT_LOCKED', CheckpointNotLockedError);

/**
 * The lock this store held is no longer its own (another process judged it stale and took it over, or the lock
 * file was removed). Every write after that is refused with this error: the files are the new holder's.
 */
export class CheckpointLockLostError extends CheckpointError {
  override readonly name = 'CheckpointLockLostError';
  declare readonly code: 'CHECKPOINT_LOCK_LOST';
  /** The lock file. */
  readonly path: string;
  /** How the loss was found, e.g. `held by pid 42 on host-b`. */
  readonly reason: string;

  constructor(path: string, reason: string) {
    super('CHECKPOINT_LOCK_LOST', `Checkpoint lock ${path} was lost (${reason}); this store writes nothing more`);
    this.path = path;
    this.reason = reason;
  }
}
export const isCheckpointLockLostError = guard('CheckpointLockLostError', 'CHECKPOINT_LOCK_LOST', CheckpointLockLostError);

/**
 * `update` has no current checkpoint to apply to: this store has not saved one, nor loaded one while holding
 * the lock, since it took the lock (or it deleted it). Nothing was written.
 */
export class CheckpointMissingError extends CheckpointError {
  override readonly name = 'CheckpointMissingError';
  declare readonly code: 'CHECKPOINT_MISSING';
  /** The checkpoint file. */
  readonly path: string;

  constructor(path: string) {
    super(
      'CHECKPOINT_MISSING',
      `Checkpoint ${path} has nothing to update: this store has not saved a checkpoint, nor loaded one while holding ` +
        'the lock, since it took the lock; call save() or load() first',
    );
    this.path = path;
  }
}
export const isCheckpointMissingError = guard('CheckpointMissingError', 'CHECKPOINT_MISSING', CheckpointMissingError);

/**
 * A save wrote a file that did not read back as written, or an update's journal record could not be written
 * whole (a short write on a full disk, say). Nothing changed: the previous checkpoint is still in place.
 */
export class CheckpointWriteError extends CheckpointError {
  override readonly name = 'CheckpointWriteError';
  declare readonly code: 'CHECKPOINT_WRITE';
  /** The checkpoint file that was not replaced or updated. */
  readonly path: string;
  /** What was written, e.g. `65536 of 262144 bytes`. */
  readonly reason: string;

  constructor(path: string, reason: string, operation: 'save' | 'update' = 'save') {
    super(
      'CHECKPOINT_WRITE',
      operation === 'save'
        ? `Checkpoint ${path} was not replaced: the new file did not read back as written (${reason})`
        : `Checkpoint ${path} was not updated: its journal record could not be written whole (${reason})`,
    );
    this.path = path;
    this.reason = reason;
  }
}
export const isCheckpointWriteError = guard('CheckpointWriteError', 'CHECKPOINT_WRITE', CheckpointWriteError);

/** A value is not a valid checkpoint; `jsonPath` says where (`$.graph.nodes[3].depends_on`). */
export class CheckpointValidationError extends CheckpointError {
  override readonly name = 'CheckpointValidationError';
  declare readonly code: 'CHECKPOINT_INVALID';
  /** Where in the checkpoint the bad value is. */
  readonly jsonPath: string;

  constructor(message: string, jsonPath: string) {
    super('CHECKPOINT_INVALID', message);
    this.jsonPath = jsonPath;
  }
}
export const isCheckpointValidationError = guard('CheckpointValidationError', 'CHECKPOINT_INVALID', CheckpointValidationError);
