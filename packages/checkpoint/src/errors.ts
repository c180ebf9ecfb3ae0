/** Who holds a checkpoint's lock, as written in the lock file. */
export interface LockHolder {
  /** Process id on `host`. */
  readonly pid: number;
  /** `os.hostname()` of the holder. */
  readonly host: string;
  /** ISO-8601 UTC time the lock was taken. */
  readonly since: string;
}

function hasCodeAndName(value: unknown, code: string, name: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { code?: unknown; name?: unknown };
  return candidate.code === code && candidate.name === name;
}

/**
 * The checkpoint file was damaged (truncated, altered, not a checkpoint) and no good backup was left.
 * The damaged file was moved aside to `movedTo`, so the next load starts fresh.
 */
export class CheckpointCorruptError extends Error {
  override readonly name = 'CheckpointCorruptError';
  readonly code = 'CORRUPT';
  /** The checkpoint file. */
  readonly path: string;
  /** Where the damaged file is now; equal to `path` when it stayed (this store could not take the lock to move it). */
  readonly movedTo: string;
  /** What is wrong with it. */
  readonly reason: string;

  constructor(path: string, movedTo: string, reason: string) {
    super(
      movedTo === path
        ? `Checkpoint ${path} is damaged (${reason}) and has no usable backup; left in place, as this store could not take the lock to move it aside`
        : `Checkpoint ${path} is damaged (${reason}) and has no usable backup; moved it to ${movedTo}`,
    );
    this.path = path;
    this.movedTo = movedTo;
    this.reason = reason;
  }
}

/** True for a {@link CheckpointCorruptError}, also one from another copy of this package. */
export function isCheckpointCorruptError(value: unknown): value is CheckpointCorruptError {
  return value instanceof CheckpointCorruptError || hasCodeAndName(value, 'CORRUPT', 'CheckpointCorruptError');
}

/** The checkpoint file has a format version this package does not read. The file is left untouched. */
export class CheckpointVersionError extends Error {
  override readonly name = 'CheckpointVersionError';
  readonly code = 'VERSION';
  /** The file with the unsupported version. */
  readonly path: string;
  /** Its `version`. */
  readonly version: string;

  constructor(path: string, version: string) {
    super(`Checkpoint ${path} has format version "${version}"; this package reads "1.0". The file was left untouched`);
    this.path = path;
    this.version = version;
  }
}

/** True for a {@link CheckpointVersionError}, also one from another copy of this package. */
export function isCheckpointVersionError(value: unknown): value is CheckpointVersionError {
  return value instanceof CheckpointVersionError || hasCodeAndName(value, 'VERSION', 'CheckpointVersionError');
}

/** Another live process (or another store in this one) holds the checkpoint's lock. */
export class CheckpointLockedError extends Error {
  override readonly name = 'CheckpointLockedError';
  readonly code = 'LOCKED';
  /** The lock file. */
  readonly path: string;
  /** Who holds it. */
  readonly holder: LockHolder;

  constructor(path: string, holder: LockHolder) {
    super(
      `Checkpoint lock ${path} is held by pid ${holder.pid} on ${holder.host} since ${holder.since}; ` +
        'wait for that run to finish or stop it',
    );
    this.path = path;
    this.holder = holder;
  }
}

/** True for a {@link CheckpointLockedError}, also one from another copy of this package. */
export function isCheckpointLockedError(value: unknown): value is CheckpointLockedError {
  return value instanceof CheckpointLockedError || hasCodeAndName(value, 'LOCKED', 'CheckpointLockedError');
}

/** A write (`save`, `update`, `compact`, `delete`) without holding the lock: never acquired, released, or lost to another process. */
export class CheckpointNotLockedError extends Error {
  override readonly name = 'CheckpointNotLockedError';
  readonly code = 'NOT_LOCKED';
  /** The lock file. */
  readonly path: string;

  constructor(path: string, detail: string) {
    super(`Checkpoint lock ${path} is not held by this store: ${detail}`);
    this.path = path;
  }
}

/** True for a {@link CheckpointNotLockedError}, also one from another copy of this package. */
export function isCheckpointNotLockedError(value: unknown): value is CheckpointNotLockedError {
  return value instanceof CheckpointNotLockedError || hasCodeAndName(value, 'NOT_LOCKED', 'CheckpointNotLockedError');
}

/**
 * `update` has no current checkpoint to apply to: this store has not saved one, nor loaded one while holding
 * the lock, since it took the lock (or it deleted it). Nothing was written.
 */
export class CheckpointMissingError extends Error {
  override readonly name = 'CheckpointMissingError';
  readonly code = 'MISSING';
  /** The checkpoint file. */
  readonly path: string;

  constructor(path: string) {
    super(
      `Checkpoint ${path} has nothing to update: this store has not saved a checkpoint, nor loaded one while holding ` +
        'the lock, since it took the lock; call save() or load() first',
    );
    this.path = path;
  }
}

/** True for a {@link CheckpointMissingError}, also one from another copy of this package. */
export function isCheckpointMissingError(value: unknown): value is CheckpointMissingError {
  return value instanceof CheckpointMissingError || hasCodeAndName(value, 'MISSING', 'CheckpointMissingError');
}

/**
 * A save wrote a file that did not read back as written, or an update's journal record could not be written
 * whole (a short write on a full disk, say). Nothing changed: the previous checkpoint is still in place.
 */
export class CheckpointWriteError extends Error {
  override readonly name = 'CheckpointWriteError';
  readonly code = 'WRITE';
  /** The checkpoint file that was not replaced or updated. */
  readonly path: string;
  /** What was written, e.g. `65536 of 262144 bytes`. */
  readonly reason: string;

  constructor(path: string, reason: string, operation: 'save' | 'update' = 'save') {
    super(
      operation === 'save'
        ? `Checkpoint ${path} was not replaced: the new file did not read back as written (${reason})`
        : `Checkpoint ${path} was not updated: its journal record could not be written whole (${reason})`,
    );
    this.path = path;
    this.reason = reason;
  }
}

/** True for a {@link CheckpointWriteError}, also one from another copy of this package. */
export function isCheckpointWriteError(value: unknown): value is CheckpointWriteError {
  return value instanceof CheckpointWriteError || hasCodeAndName(value, 'WRITE', 'CheckpointWriteError');
}

/** A value is not a valid checkpoint; `jsonPath` says where (`$.graph.nodes[3].depends_on`). */
export class CheckpointValidationError extends TypeError {
  override readonly name = 'CheckpointValidationError';
  readonly code = 'INVALID';
  /** Where in the checkpoint the bad value is. */
  readonly jsonPath: string;

  constructor(message: string, jsonPath: string) {
    super(message);
    this.jsonPath = jsonPath;
  }
}

/** True for a {@link CheckpointValidationError}, also one from another copy of this package. */
export function isCheckpointValidationError(value: unknown): value is CheckpointValidationError {
  return value instanceof CheckpointValidationError || hasCodeAndName(value, 'INVALID', 'CheckpointValidationError');
}
