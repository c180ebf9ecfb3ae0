import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint, CheckpointUpdate } from './checkpoint.js';
import { decodeCheckpoint, digestOf, encodeCheckpoint } from './checkpoint-codec.js';
import { checkpointFiles, type CheckpointFiles } from './checkpoint-files.js';
import { CheckpointModel } from './checkpoint-model.js';
import { resolveStoreOptions, type CheckpointStoreOptions } from './checkpoint-store-options.js';
import type { Clock } from '@sdp/internal';
import { disk, hasErrorCode, linkOver, removeFile, statIfExists } from './disk.js';
import {
  CheckpointCorruptError,
  CheckpointMissingError,
  CheckpointVersionError,
  CheckpointWriteError,
  isCheckpointNotLockedError,
} from './errors.js';
import { decodeJournal, type DecodedJournal, type JournalEnd } from './journal-codec.js';
import { JournalFile, readJournalBase } from './journal-file.js';
import { Listeners, type Dispose } from '@sdp/internal';
import { LockFile } from './lock-file.js';
import { validateCheckpointUpdate } from './validate-checkpoint.js';

/** `load` repaired damage it found, keeping the damaged file as evidence. */
export type RecoverEvent =
  | {
      /** The checkpoint was damaged: the backup, the checkpoint before it, took its place; the journal was dropped. */
      readonly from: 'backup';
      /** Where the damaged checkpoint is now. */
      readonly movedTo: string;
      /** What was wrong with it. */
      readonly reason: string;
    }
  | {
      /**
       * The journal was damaged: the updates before the damage were kept (written into the checkpoint), the
       * ones after it are lost.
       */
      readonly from: 'journal';
      /** Where the damaged journal is now. */
      readonly movedTo: string;
      /** What was wrong with it. */
      readonly reason: string;
    };

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
  | {
      readonly kind: 'ok';
      readonly checkpoint: Checkpoint;
      readonly bytes: Buffer;
      readonly digest: string;
      readonly identity: FileIdentity;
    }
  | { readonly kind: 'damaged'; readonly reason: string }
  | { readonly kind: 'unsupported-version'; readonly version: string };

/**
 * What this store knows of the checkpoint on disk. Known only while it holds the lock, from its last save or
 * load on: nobody else writes the files meanwhile. The current checkpoint is `base` with `updates` applied;
 * it is materialized (in O(1) per changed id, see `CheckpointModel`) only to be compacted.
 */
type Current =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'known';
      /** The checkpoint file the journal applies to, byte for byte: nothing can change it. */
      readonly base: Buffer;
      /** The updates resolved since, in order: what the journal holds. */
      readonly updates: CheckpointUpdate[];
      readonly journal: JournalFile;
    };

// `.corrupt` names carry the time and a counter; this many in one millisecond means something else is wrong.
const MAX_CORRUPT_NAMES = 1000;

/**
 * The journal is compacted once it would outgrow the checkpoint file it applies to, or this, whichever is
 * larger: a run then writes a small multiple of its final checkpoint in all, and a tiny checkpoint is not
 * rewritten at every other update.
 */
const COMPACTION_FLOOR = 64 * 1024;

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
  /** The updates since the checkpoint file was last written whole: `path + '.journal'`. */
  readonly journalPath: string;
  readonly featureId: string;

  readonly #files: CheckpointFiles;
  readonly #clock: Clock;
  readonly #lock: LockFile;
  readonly #onRecover = new Listeners<RecoverEvent>('CheckpointStore');
  readonly #onLockCompromised = new Listeners<LockCompromisedEvent>('CheckpointStore');
  #queue: Promise<void> = Promise.resolve();
  /** The checkpoint file as this store last wrote or verified it; a match needs no re-reading before a save. */
  #knownGood: FileIdentity | undefined;
  #current: Current = { kind: 'none' };

  constructor(options: CheckpointStoreOptions) {
    const resolved = resolveStoreOptions(options);
    this.#files = checkpointFiles(resolved.dir, resolved.featureId);
    this.featureId = resolved.featureId;
    this.path = this.#files.path;
    this.backupPath = this.#files.backupPath;
    this.lockPath = this.#files.lockPath;
    this.journalPath = this.#files.journalPath;
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
   * Reads the checkpoint: `null` when there is none. The checkpoint file plus the journal records that belong
   * to it, applied in order; a fresh object each time. Needs no lock. A damaged checkpoint is moved aside
   * and the backup is used, without the journal (`onRecover`); with no good backup, {@link CheckpointCorruptError}.
   * A file of another format version: {@link CheckpointVersionError}, the file untouched. Moving files needs the
   * lock: a store without it takes it for the repair, and when another process holds it, returns the
   * backup without moving anything (as it does when it may not write to the directory). A damaged journal
   * gives the updates before the damage; with the lock, it is moved aside and they are written into the
   * checkpoint (`onRecover`). A stale journal (of an earlier checkpoint file) is ignored, and removed with the lock.
   */
  async load(signal?: AbortSignal): Promise<Checkpoint | null> {
    return this.#serialized(() => (this.#lock.held ? this.#loadLocked(signal) : this.#loadUnlocked(signal)));
  }

  /**
   * Replaces the checkpoint durably, as the base of a fresh journal (the old one never applies to it).
   * Validates and serializes `checkpoint` at call time (a bad one rejects with `CheckpointValidationError`).
   * Needs the lock (`CheckpointNotLockedError`). When it rejects (a full disk, an I/O error,
   * `CheckpointWriteError`), the previous checkpoint is still in place.
   */
  async save(checkpoint: Checkpoint, signal?: AbortSignal): Promise<void> {
    const bytes = encodeCheckpoint(checkpoint);
    return this.#serialized(async () => {
      signal?.throwIfAborted();
      await this.#lock.verify();
      await this.#commit(bytes, signal);
    });
  }

  /**
   * Applies `update` to the current checkpoint durably: resolved means a crash at any later instant loads the
   * updated checkpoint. One journal record (a write and an fdatasync, off the main thread); when the journal
   * would outgrow the checkpoint file, a compaction instead. Validated and serialized at call time
   * (`CheckpointValidationError` naming the path, e.g. `$.completed[2]`). Needs the lock
   * (`CheckpointNotLockedError`) and a checkpoint this store saved, or loaded while holding the lock, since it
   * took the lock (`CheckpointMissingError`). On rejection nothing changed in the store's current checkpoint.
   * On disk the update may still be found in two cases, as a save may leave its file: a record whose fdatasync
   * failed and which could not be cut off again, and a compaction that failed after its file was in place.
   * Either holds a state the caller reached; the next write (a compaction first) supersedes it.
   */
  async update(update: CheckpointUpdate, signal?: AbortSignal): Promise<void> {
    const payload = JSON.stringify(validateCheckpointUpdate(update));
    // The store's own copy, read from the very JSON the journal gets: a replay applies exactly the same.
    const owned = JSON.parse(payload) as CheckpointUpdate;
    return this.#serialized(() => this.#update(payload, owned, signal));
  }

  /**
   * Writes the current checkpoint as one file (the save path, backup and all) and removes the journal, so the
   * checkpoint file alone is the whole checkpoint. No-op when there is no journal. A store that has not saved or
   * loaded since it took the lock loads first, so a journal left by a killed writer is merged too. Needs the lock.
   */
  async compact(signal?: AbortSignal): Promise<void> {
    return this.#serialized(() => this.#compact(signal));
  }

  /** Removes the checkpoint, its journal, backup and temp files; keeps the lock and any `.corrupt` files. Needs the lock. */
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

  /** Waits for this store's pending operations, then gives the lock up. Does not compact. Idempotent. */
  async release(): Promise<void> {
    return this.#serialized(() => this.#releaseLock());
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

  /** Forgets the current checkpoint (closing the journal), then gives the lock up. */
  async #releaseLock(): Promise<void> {
    await this.#forget();
    await this.#lock.release();
  }

  /** From now on, what is on disk decides: the next update needs a save or load first. */
  async #forget(): Promise<void> {
    const current = this.#current;
    this.#current = { kind: 'none' };
    if (current.kind === 'known') await current.journal.close();
  }

  /**
   * Temp files of a writer killed mid-save, and a backup and journal whose checkpoint is gone (an interrupted
   * delete).
   */
  async #removeLeftovers(): Promise<void> {
    this.#knownGood = undefined;
    const { dir } = this.#files;
    let removed = false;
    for (const name of await disk.readdir(dir)) {
      if (this.#files.isTempFile(name)) removed = (await removeFile(join(dir, name))) || removed;
    }
    if ((await statIfExists(this.path)) === undefined) {
      removed = (await removeFile(this.backupPath)) || removed;
      removed = (await removeFile(this.journalPath)) || removed;
    }
    if (removed) await disk.syncDirectory(dir);
  }

  #newJournal(base: string, end: JournalEnd | undefined): JournalFile {
    return new JournalFile({ path: this.journalPath, dir: this.#files.dir, checkpointPath: this.path, base, end });
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
      return decoded.kind === 'ok' ? { ...decoded, bytes, identity: identityOf(stats) } : decoded;
    } finally {
      await handle.close();
    }
  }

  /** The checkpoint file and the bytes of the journal, if there is one. */
  async #readWithJournal(signal: AbortSignal | undefined): Promise<{ main: CheckpointFileContent; journal: Buffer | undefined }> {
    // The journal is opened first: when a compaction replaces the checkpoint file in between, the journal read
    // is the one it replaced, stale to the new file, which holds all of it. Never an older state than before.
    const handle = await openIfExists(this.journalPath);
    try {
      const main = await this.#read(this.path, signal);
      try {
        return { main, journal: await handle?.readFile(signal === undefined ? {} : { signal }) };
      } catch (error) {
        throw signal?.aborted === true ? error : naming(this.journalPath, error);
      }
    } finally {
      await handle?.close();
    }
  }

  async #loadUnlocked(signal: AbortSignal | undefined): Promise<Checkpoint | null> {
    signal?.throwIfAborted();
    const { main, journal } = await this.#readWithJournal(signal);
    if (main.kind === 'missing') return null;
    if (main.kind === 'ok') {
      // Without the lock nothing is moved or removed: a stale or damaged journal is left to its writer.
      return applyAll(main.checkpoint, replayable(journal === undefined ? undefined : decodeJournal(journal, main.digest)));
    }
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
      await this.#releaseLock();
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
    await this.#forget();
    const { main, journal } = await this.#readWithJournal(signal);
    switch (main.kind) {
      case 'missing':
        this.#knownGood = undefined;
        // A journal without its checkpoint (an interrupted delete) applies to nothing.
        if (journal !== undefined && (await this.#stillLocked())) await this.#removeJournal();
        return null;
      case 'unsupported-version':
        throw new CheckpointVersionError(this.path, main.version);
      case 'ok': {
        this.#knownGood = main.identity;
        const decoded = journal === undefined ? undefined : decodeJournal(journal, main.digest);
        const updates = [...replayable(decoded)];
        const current = {
          kind: 'known',
          base: main.bytes,
          updates,
          journal: this.#newJournal(main.digest, decoded?.kind === 'ok' ? decoded.end : undefined),
        } as const;
        this.#current = current;
        // The store keeps the file's bytes and the updates, so the object returned is the caller's alone.
        const checkpoint = applyAll(main.checkpoint, updates);
        if (decoded?.kind === 'foreign' && (await this.#stillLocked())) await this.#removeJournal();
        if (decoded?.kind === 'damaged') await this.#setJournalAside(current, main.digest, decoded, signal);
        return checkpoint;
      }
      case 'damaged':
        return this.#recover(main.reason, signal);
    }
  }

  /** False when the lock turned out to be lost: files are then its new holder's to change. */
  async #stillLocked(): Promise<boolean> {
    try {
      await this.#lock.verify();
      return true;
    } catch (error) {
      if (isCheckpointNotLockedError(error)) return false;
      throw error;
    }
  }

  async #removeJournal(): Promise<void> {
    await removeFile(this.journalPath);
    await disk.syncDirectory(this.#files.dir);
  }

  /**
   * Keeps a damaged journal as evidence, and writes the updates before the damage into the checkpoint (the
   * save path), which retires the journal. Until that is done, the journal is not appended to.
   */
  async #setJournalAside(
    current: Extract<Current, { kind: 'known' }>,
    base: string,
    damaged: Extract<DecodedJournal, { kind: 'damaged' }>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    await current.journal.abandon();
    if (!(await this.#stillLocked())) return;
    const movedTo = await this.#moveAside(this.journalPath);
    if (damaged.updates.length === 0) {
      await this.#removeJournal();
      this.#current = { ...current, journal: this.#newJournal(base, undefined) };
    } else {
      await this.#commit(encodeCheckpoint(this.#materialize(current)), signal);
    }
    this.#onRecover.emit({ from: 'journal', movedTo, reason: damaged.reason });
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
    // The journal applies to the damaged file: never to the backup.
    await removeFile(this.journalPath);
    if (backup.kind === 'ok') {
      // One rename replaces the damaged file: at no instant is there no checkpoint.
      await linkOver(this.backupPath, this.path);
      await disk.syncDirectory(this.#files.dir);
      this.#knownGood = identityOf(await disk.stat(this.path));
      this.#current = { kind: 'known', base: backup.bytes, updates: [], journal: this.#newJournal(backup.digest, undefined) };
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

  async #update(payload: string, update: CheckpointUpdate, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    await this.#lock.verify();
    const current = this.#current;
    if (current.kind === 'none') throw new CheckpointMissingError(this.path);
    const { base, updates, journal } = current;
    if (journal.dirty || journal.sizeAfter(payload) > Math.max(base.length, COMPACTION_FLOOR)) {
      await this.#commit(encodeCheckpoint(this.#materialize(current, update)), signal);
      return;
    }
    await journal.append(payload);
    updates.push(update);
  }

  /** The current checkpoint, and `extra` applied to it: the only O(checkpoint) step of updating, for compactions. */
  #materialize(current: Extract<Current, { kind: 'known' }>, extra?: CheckpointUpdate): Checkpoint {
    const decoded = decodeCheckpoint(current.base);
    // These bytes were read back or written by this store, and nothing can change them.
    if (decoded.kind !== 'ok') throw new Error(`Checkpoint ${this.path}: the bytes in memory no longer decode`);
    return applyAll(decoded.checkpoint, extra === undefined ? current.updates : [...current.updates, extra]);
  }

  async #compact(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    await this.#lock.verify();
    if (this.#current.kind === 'none') await this.#loadLocked(signal);
    const current = this.#current;
    if (current.kind === 'none' || !current.journal.pending) return;
    await this.#commit(encodeCheckpoint(this.#materialize(current)), signal);
  }

  /**
   * Makes `bytes` the checkpoint file, and the current checkpoint, without a journal: the save path, for
   * `save` and for compactions.
   *
   * write-file-atomic writes a temp file, fsyncs it and renames it, but (checked in 7.0.1) it issues a
   * single write() and ignores a short count, which a full disk produces; it fsyncs no directory; and its
   * temp files survive a SIGKILL. So it writes a staging file, which we read back before renaming it over
   * the checkpoint, then we fsync the directory; `acquire` removes the temp files.
   */
  async #commit(bytes: Buffer, signal: AbortSignal | undefined): Promise<void> {
    const { stagingPath, dir } = this.#files;
    const digest = digestOf(bytes);
    try {
      await disk.writeFileAtomic(stagingPath, bytes);
      const written = await disk.readFile(stagingPath);
      if (!written.equals(bytes)) throw new CheckpointWriteError(this.path, describeMismatch(written, bytes));
      signal?.throwIfAborted();
      await this.#keepBackup();
      // From here on the files change under the journal: if this fails, it is compacted, never appended to.
      if (this.#current.kind === 'known') await this.#current.journal.abandon();
      // The rename makes any journal stale (it names the old file), but one on identical content would
      // apply to the new file as well: that one goes first.
      if ((await readJournalBase(this.journalPath)) === digest) await removeFile(this.journalPath);
      await disk.rename(stagingPath, this.path);
    } catch (error) {
      await removeFile(stagingPath).catch(() => undefined);
      throw error;
    }
    await removeFile(this.journalPath);
    await disk.syncDirectory(dir);
    this.#knownGood = identityOf(await disk.stat(this.path));
    this.#current = { kind: 'known', base: bytes, updates: [], journal: this.#newJournal(digest, undefined) };
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
    await this.#forget();
    const { dir } = this.#files;
    // The checkpoint first: once it is gone, there is no checkpoint, whatever else a crash leaves.
    await removeFile(this.path);
    for (const name of await disk.readdir(dir)) {
      if (this.#files.isTempFile(name)) await removeFile(join(dir, name));
    }
    await removeFile(this.journalPath);
    await removeFile(this.backupPath);
    await disk.syncDirectory(dir);
    this.#knownGood = undefined;
  }
}

/** `checkpoint` (which this takes over) with `updates` applied. */
function applyAll(checkpoint: Checkpoint, updates: readonly CheckpointUpdate[]): Checkpoint {
  if (updates.length === 0) return checkpoint;
  const model = new CheckpointModel(checkpoint);
  for (const update of updates) model.apply(update);
  return model.current;
}

/** The updates of a journal that apply to its checkpoint file (those before any damage). */
function replayable(decoded: DecodedJournal | undefined): readonly CheckpointUpdate[] {
  return decoded === undefined || decoded.kind === 'foreign' ? [] : decoded.updates;
}

async function openIfExists(path: string): Promise<FileHandle | undefined> {
  try {
    return await disk.open(path, 'r');
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return undefined;
    throw naming(path, error);
  }
}

/** A system error that says which file it is about (some, like EISDIR from a read, do not). */
function naming(path: string, error: unknown): unknown {
  if (!(error instanceof Error) || error.message.includes(path)) return error;
  const { code } = error as NodeJS.ErrnoException;
  return Object.assign(new Error(`cannot read checkpoint ${path}: ${error.message}`, { cause: error }), { code, path });
}
