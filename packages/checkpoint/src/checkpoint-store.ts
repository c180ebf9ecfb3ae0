import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint } from './checkpoint.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-codec.js';
import { checkpointFiles, type CheckpointFiles } from './checkpoint-files.js';
import { resolveStoreOptions, type CheckpointStoreOptions } from './checkpoint-store-options.js';
import type { Clock } from './clock.js';
import { disk, hasErrorCode, linkOver, removeFile, statIfExists } from './disk.js';
import {
  CheckpointCorruptError,
  CheckpointVersionError,
  CheckpointWriteError,
  isCheckpointNotLockedError,
} from './errors.js';
import { Listeners, type Dispose } from './listeners.js';
import { LockFile } from './lock-file.js';

/** `load` found the checkpoint damaged, moved it aside and fell back to the backup. */
export interface RecoverEvent {
  readonly from: 'backup';
  /** Where the damaged checkpoint is now. */
  readonly movedTo: string;
  /** What was wrong with it. */
  readonly reason: string;
}

/** Another process took this store's lock over (it judged it stale), or the lock file was removed. */
export interface LockCompromisedEvent {
  readonly reason: string;
}

/** Enough of a file's `stat` to tell that it is still the file this store wrote or verified. */
interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

type CheckpointFileContent =
  | { readonly kind: 'missing' }
  | { readonly kind: 'ok'; readonly checkpoint: Checkpoint; readonly identity: FileIdentity }
  | { readonly kind: 'damaged'; readonly reason: string }
  | { readonly kind: 'unsupported-version'; readonly version: string };

// `.corrupt` names carry the time and a counter; this many in one millisecond means something else is wrong.
const MAX_CORRUPT_NAMES = 1000;

function identityOf(stats: Stats): FileIdentity {
  const { dev, ino, size, mtimeMs, ctimeMs } = stats;
  return { dev, ino, size, mtimeMs, ctimeMs };
}

function sameFile(stats: Stats, identity: FileIdentity | undefined): boolean {
  if (identity === undefined) return false;
  return (
    stats.dev === identity.dev &&
    stats.ino === identity.ino &&
    stats.size === identity.size &&
    stats.mtimeMs === identity.mtimeMs &&
    stats.ctimeMs === identity.ctimeMs
  );
}

function describeMismatch(written: Buffer, expected: Buffer): string {
  return written.length === expected.length
    ? `${expected.length} bytes with different content`
    : `${written.length} of ${expected.length} bytes`;
}

/**
 * The checkpoint of one feature on disk: crash-safe saves, a backup of the previous good checkpoint,
 * self-checking content, and a single-writer lock across processes. See the README for the guarantees.
 *
 * Every operation of one store runs after the previous one finished, in call order.
 */
export class CheckpointStore {
  /** `<dir>/<featureId>-checkpoint.json`, absolute. */
  readonly path: string;
  /** The previous good checkpoint: `path + '.bak'`. */
  readonly backupPath: string;
  /** The single-writer lock: `path + '.lock'`. */
  readonly lockPath: string;
  readonly featureId: string;

  readonly #files: CheckpointFiles;
  readonly #clock: Clock;
  readonly #lock: LockFile;
  readonly #onRecover = new Listeners<RecoverEvent>();
  readonly #onLockCompromised = new Listeners<LockCompromisedEvent>();
  #queue: Promise<void> = Promise.resolve();
  /** The checkpoint file as this store last wrote or verified it; a match needs no re-reading before a save. */
  #knownGood: FileIdentity | undefined;

  constructor(options: CheckpointStoreOptions) {
    const resolved = resolveStoreOptions(options);
    this.#files = checkpointFiles(resolved.dir, resolved.featureId);
    this.featureId = resolved.featureId;
    this.path = this.#files.path;
    this.backupPath = this.#files.backupPath;
    this.lockPath = this.#files.lockPath;
    this.#clock = resolved.clock;
    this.#lock = new LockFile({
      lockPath: this.lockPath,
      staleMs: resolved.staleMs,
      heartbeatMs: resolved.heartbeatMs,
      hostname: resolved.hostname,
      clock: resolved.clock,
      onLost: (reason) => {
        this.#onLockCompromised.emit({ reason });
      },
    });
  }

  /** True while this store holds the lock. */
  get isLocked(): boolean {
    return this.#lock.held;
  }

  /**
   * Reads the checkpoint: `null` when there is none. Needs no lock. A damaged checkpoint is moved aside
   * and the backup is used (`onRecover`); with no good backup, {@link CheckpointCorruptError}. A file of
   * another format version: {@link CheckpointVersionError}, the file untouched. Moving files needs the
   * lock: a store without it takes it for the repair, and when another process holds it, returns the
   * backup without moving anything (as it does when it may not write to the directory).
   */
  async load(signal?: AbortSignal): Promise<Checkpoint | null> {
    return this.#serialized(() => (this.#lock.held ? this.#loadLocked(signal) : this.#loadUnlocked(signal)));
  }

  /**
   * Replaces the checkpoint durably. Validates and serializes `checkpoint` at call time (a bad one rejects
   * with `CheckpointValidationError`). Needs the lock (`CheckpointNotLockedError`). When it rejects (a full
   * disk, an I/O error, `CheckpointWriteError`), the previous checkpoint is still in place.
   */
  async save(checkpoint: Checkpoint, signal?: AbortSignal): Promise<void> {
    const bytes = encodeCheckpoint(checkpoint);
    return this.#serialized(() => this.#save(bytes, signal));
  }

  /** Removes the checkpoint, its backup and temp files; keeps the lock and any `.corrupt` files. Needs the lock. */
  async delete(): Promise<void> {
    return this.#serialized(() => this.#delete());
  }

  /**
   * Takes the single-writer lock, or throws `CheckpointLockedError` at once naming the live holder.
   * Takes over a lock whose holder died, and removes temp files a killed writer left. Idempotent.
   */
  async acquire(): Promise<void> {
    return this.#serialized(() => this.#acquire());
  }

  /** Waits for this store's pending operations, then gives the lock up. Idempotent. */
  async release(): Promise<void> {
    return this.#serialized(() => this.#lock.release());
  }

  onRecover(listener: (event: RecoverEvent) => void): Dispose {
    return this.#onRecover.add(listener, 'onRecover');
  }

  onLockCompromised(listener: (event: LockCompromisedEvent) => void): Dispose {
    return this.#onLockCompromised.add(listener, 'onLockCompromised');
  }

  #serialized<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    // Neither a failure nor the value (a large checkpoint, say) carries over to the next operation.
    this.#queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  async #acquire(): Promise<void> {
    if (this.#lock.held) return;
    await this.#lock.acquire();
    try {
      await this.#removeLeftovers();
    } catch (error) {
      await this.#lock.release();
      throw error;
    }
  }

  /** Temp files of a writer killed mid-save, and a backup whose checkpoint is gone (an interrupted delete). */
  async #removeLeftovers(): Promise<void> {
    this.#knownGood = undefined;
    const { dir } = this.#files;
    let removed = false;
    for (const name of await disk.readdir(dir)) {
      if (this.#files.isTempFile(name)) removed = (await removeFile(join(dir, name))) || removed;
    }
    if ((await statIfExists(this.path)) === undefined) removed = (await removeFile(this.backupPath)) || removed;
    if (removed) await disk.syncDirectory(dir);
  }

  async #read(path: string, signal?: AbortSignal): Promise<CheckpointFileContent> {
    let handle;
    try {
      handle = await disk.open(path, 'r');
    } catch (error) {
      if (hasErrorCode(error, 'ENOENT')) return { kind: 'missing' };
      throw naming(path, error);
    }
    try {
      const stats = await handle.stat();
      let bytes;
      try {
        bytes = await handle.readFile(signal === undefined ? {} : { signal });
      } catch (error) {
        throw signal?.aborted === true ? error : naming(path, error);
      }
      const decoded = decodeCheckpoint(bytes);
      return decoded.kind === 'ok' ? { ...decoded, identity: identityOf(stats) } : decoded;
    } finally {
      await handle.close();
    }
  }

  async #loadUnlocked(signal: AbortSignal | undefined): Promise<Checkpoint | null> {
    signal?.throwIfAborted();
    const main = await this.#read(this.path, signal);
    if (main.kind === 'missing') return null;
    if (main.kind === 'ok') return main.checkpoint;
    if (main.kind === 'unsupported-version') throw new CheckpointVersionError(this.path, main.version);
    try {
      await this.#acquire();
    } catch {
      // Held by another process (which will replace the damaged file), or a directory we may only read.
      return this.#readBackupInstead(main.reason, signal);
    }
    try {
      return await this.#loadLocked(signal);
    } finally {
      await this.#lock.release();
    }
  }

  /** For a store that may not move files: the backup if it is good, else the damaged file stays where it is. */
  async #readBackupInstead(reason: string, signal: AbortSignal | undefined): Promise<Checkpoint> {
    const backup = await this.#read(this.backupPath, signal);
    if (backup.kind === 'ok') return backup.checkpoint;
    if (backup.kind === 'unsupported-version') throw new CheckpointVersionError(this.backupPath, backup.version);
    throw new CheckpointCorruptError(this.path, this.path, reason);
  }

  async #loadLocked(signal: AbortSignal | undefined): Promise<Checkpoint | null> {
    signal?.throwIfAborted();
    const main = await this.#read(this.path, signal);
    switch (main.kind) {
      case 'missing':
        this.#knownGood = undefined;
        return null;
      case 'unsupported-version':
        throw new CheckpointVersionError(this.path, main.version);
      case 'ok':
        this.#knownGood = main.identity;
        return main.checkpoint;
      case 'damaged':
        return this.#recover(main.reason, signal);
    }
  }

  /** The checkpoint is damaged: keep it as evidence, and put the backup in its place if there is a good one. */
  async #recover(reason: string, signal: AbortSignal | undefined): Promise<Checkpoint> {
    try {
      await this.#lock.verify();
    } catch (error) {
      if (!isCheckpointNotLockedError(error)) throw error;
      // The lock was lost meanwhile: moving files is its new holder's business now.
      return this.#readBackupInstead(reason, signal);
    }
    const backup = await this.#read(this.backupPath, signal);
    if (backup.kind === 'unsupported-version') throw new CheckpointVersionError(this.backupPath, backup.version);
    const movedTo = await this.#moveAside(this.path);
    if (backup.kind === 'ok') {
      // One rename replaces the damaged file: at no instant is there no checkpoint.
      await linkOver(this.backupPath, this.path);
      await disk.syncDirectory(this.#files.dir);
      this.#knownGood = identityOf(await disk.stat(this.path));
      this.#onRecover.emit({ from: 'backup', movedTo, reason });
      return backup.checkpoint;
    }
    await removeFile(this.path);
    let detail = 'no backup';
    if (backup.kind === 'damaged') {
      const backupMovedTo = await this.#moveAside(this.backupPath);
      await removeFile(this.backupPath);
      detail = `backup damaged too (${backup.reason}), moved to ${backupMovedTo}`;
    }
    await disk.syncDirectory(this.#files.dir);
    this.#knownGood = undefined;
    throw new CheckpointCorruptError(this.path, movedTo, `${reason}; ${detail}`);
  }

  /** Gives a damaged file a second, `.corrupt` name; `link` never replaces an existing name. */
  async #moveAside(source: string): Promise<string> {
    for (let attempt = 0; attempt < MAX_CORRUPT_NAMES; attempt += 1) {
      const target = this.#files.corruptName(source, this.#clock.now(), attempt);
      try {
        await disk.link(source, target);
        return target;
      } catch (error) {
        if (!hasErrorCode(error, 'EEXIST')) throw error;
      }
    }
    throw new Error(`Could not find a free .corrupt name for ${source}`);
  }

  /**
   * write-file-atomic writes a temp file, fsyncs it and renames it, but (checked in 7.0.1) it issues a
   * single write() and ignores a short count, which a full disk produces; it fsyncs no directory; and its
   * temp files survive a SIGKILL. So it writes a staging file, which we read back before renaming it over
   * the checkpoint, then we fsync the directory; `acquire` removes the temp files.
   */
  async #save(bytes: Buffer, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    await this.#lock.verify();
    const { stagingPath, dir } = this.#files;
    try {
      await disk.writeFileAtomic(stagingPath, bytes);
      const written = await disk.readFile(stagingPath);
      if (!written.equals(bytes)) throw new CheckpointWriteError(this.path, describeMismatch(written, bytes));
      signal?.throwIfAborted();
      await this.#keepBackup();
      await disk.rename(stagingPath, this.path);
    } catch (error) {
      await removeFile(stagingPath).catch(() => undefined);
      throw error;
    }
    await disk.syncDirectory(dir);
    this.#knownGood = identityOf(await disk.stat(this.path));
  }

  /** Makes the backup the current checkpoint, if that one is good, before it is replaced. */
  async #keepBackup(): Promise<void> {
    const current = await statIfExists(this.path);
    if (current === undefined) {
      // A backup without a checkpoint belongs to an earlier, deleted one.
      await removeFile(this.backupPath);
      return;
    }
    if (!sameFile(current, this.#knownGood)) {
      const main = await this.#read(this.path);
      if (main.kind === 'unsupported-version') throw new CheckpointVersionError(this.path, main.version);
      if (main.kind === 'missing') return;
      if (main.kind === 'damaged') {
        // The backup stays the last good checkpoint.
        await this.#moveAside(this.path);
        return;
      }
    }
    await linkOver(this.path, this.backupPath);
  }

  async #delete(): Promise<void> {
    await this.#lock.verify();
    const { dir } = this.#files;
    // The checkpoint first: once it is gone, there is no checkpoint, whatever else a crash leaves.
    await removeFile(this.path);
    for (const name of await disk.readdir(dir)) {
      if (this.#files.isTempFile(name)) await removeFile(join(dir, name));
    }
    await removeFile(this.backupPath);
    await disk.syncDirectory(dir);
    this.#knownGood = undefined;
  }
}

/** A system error that says which file it is about (some, like EISDIR from a read, do not). */
function naming(path: string, error: unknown): unknown {
  if (!(error instanceof Error) || error.message.includes(path)) return error;
  const { code } = error as NodeJS.ErrnoException;
  return Object.assign(new Error(`cannot read checkpoint ${path}: ${error.message}`, { cause: error }), { code, path });
}
