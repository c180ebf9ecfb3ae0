import { Listeners, type Clock, type Dispose } from '@sdp/internal';
import type { Checkpoint, CheckpointUpdate } from './checkpoint.js';
import { digestOf, encodeCheckpoint } from './checkpoint-codec.js';
import { checkpointFiles, type CheckpointFiles } from './checkpoint-files.js';
import { CheckpointJournal, nodeIdsOf } from './checkpoint-journal.js';
import { readStoredFiles, readStoredTempFiles, type FileIdentity } from './checkpoint-reader.js';
import { conclude, type CheckpointFinding, type CheckpointReading } from './checkpoint-reading.js';
import { repair, type RecoverEvent } from './checkpoint-repair.js';
import { resolveStoreOptions, type CheckpointStoreOptions } from './checkpoint-store-options.js';
import { disk, removeFile } from './disk.js';
import { checkReplaceable, commitCheckpoint } from './durable-commit.js';
import { CheckpointLockLostError, isCheckpointLockLostError } from './errors.js';
import { LockFile } from './lock-file.js';
import { OperationQueue } from './operation-queue.js';
import { validateCheckpointUpdate } from './validate-checkpoint.js';

export type { RecoverEvent } from './checkpoint-repair.js';

/** Another process took this store's lock over (it judged it stale), or the lock file was removed. */
export interface LockCompromisedEvent {
  readonly reason: string;
}

/**
 * The checkpoint of one feature on disk: crash-safe saves, a second copy as backup, a journal of updates,
 * self-checking content, and a single-writer lock across processes. See the README for the guarantees.
 *
 * Readers (`inspect`, and `load` without the lock) never change anything on disk. Only the writer, holding the
 * lock, repairs (`load` under the lock), and says what it recovered and from where (`onRecover`).
 * Every operation of one store runs after the previous one finished, in call order.
 */
export class CheckpointStore {
  /** `<dir>/<featureId>-checkpoint.json`, absolute. */
  readonly path: string;
  /** A second copy of the checkpoint file, on its own inode: `path + '.bak'`. */
  readonly backupPath: string;
  /** The single-writer lock: `path + '.lock'`. */
  readonly lockPath: string;
  /** The updates since the checkpoint file was last written whole: `path + '.journal'`. */
  readonly journalPath: string;
  readonly featureId: string;

  readonly #files: CheckpointFiles;
  readonly #clock: Clock;
  readonly #lock: LockFile;
  readonly #journal: CheckpointJournal;
  readonly #queue = new OperationQueue();
  readonly #onRecover = new Listeners<RecoverEvent>('CheckpointStore');
  readonly #onLockCompromised = new Listeners<LockCompromisedEvent>('CheckpointStore');
  /** The checkpoint file as this store last wrote or verified it; a match needs no re-reading before a save. */
  #knownGood: FileIdentity | undefined;
  /** Set once the lock was lost: every later write is refused, until the lock is taken again. */
  #lost: string | undefined;

  constructor(options: CheckpointStoreOptions) {
    const resolved = resolveStoreOptions(options);
    this.#files = checkpointFiles(resolved.dir, resolved.featureId);
    this.featureId = resolved.featureId;
    this.path = this.#files.path;
    this.backupPath = this.#files.backupPath;
    this.lockPath = this.#files.lockPath;
    this.journalPath = this.#files.journalPath;
    this.#clock = resolved.clock;
    this.#journal = new CheckpointJournal(this.#files);
    this.#lock = new LockFile({
      lockPath: this.lockPath,
      staleMs: resolved.staleMs,
      heartbeatMs: resolved.heartbeatMs,
      hostname: resolved.hostname,
      clock: resolved.clock,
      onLost: (reason) => {
        this.#lost = reason;
        this.#onLockCompromised.emit({ reason });
      },
    });
  }

  /** True while this store holds the lock. */
  get isLocked(): boolean {
    return this.#lock.held;
  }

  /**
   * What a reader concludes from the files, changing nothing on disk: the checkpoint a run would resume from,
   * where it comes from, and every damaged, foreign or leftover file (and the lock) with what a run would do
   * about it. Needs no lock. Never throws for what it finds (see `unusable`); only for I/O errors.
   */
  async inspect(signal?: AbortSignal): Promise<CheckpointReading> {
    return this.#queue.run(async () => {
      const reading = conclude(this.#files, await readStoredFiles(this.#files, signal));
      const lock = this.#lock.held ? { kind: 'free' as const } : await this.#lock.inspect();
      if (lock.kind === 'free') return strip(reading);
      const { pid, host, since } = lock.holder;
      const finding: CheckpointFinding =
        lock.kind === 'stale'
          ? {
              kind: 'lock-stale',
              path: this.lockPath,
              problem: `left by pid ${pid} on ${host} (since ${since}), which is gone`,
              action: 'a run takes it over',
            }
          : {
              kind: 'lock-held',
              path: this.lockPath,
              problem: `held by pid ${pid} on ${host} since ${since}`,
              action: 'a run stops (exit 2) while that one is going',
            };
      return strip({ ...reading, findings: [...reading.findings, finding] });
    });
  }

  /**
   * The checkpoint: `null` when there is none. Without the lock, a reader's load: what {@link inspect} concludes,
   * changing nothing; throws its `unusable` error (`CheckpointCorruptError`, `CheckpointVersionError`). Holding
   * the lock, the writer's open: it also repairs what the reading found (`onRecover` says what it recovered and
   * from where; damaged files are kept under `.corrupt` names) and makes the result the current checkpoint that
   * `update` applies to. A checkpoint it cannot use is left as it is, and the error thrown.
   */
  async load(signal?: AbortSignal): Promise<Checkpoint | null> {
    return this.#queue.run(async () => {
      if (!this.#lock.held) return readOnly(conclude(this.#files, await readStoredFiles(this.#files, signal)));
      return this.#open(signal);
    });
  }

  /**
   * Replaces the checkpoint durably (the checkpoint file and its backup), as the base of a fresh journal.
   * Validates and serializes `checkpoint` at call time (a bad one rejects with `CheckpointValidationError`).
   * Needs the lock (`CheckpointNotLockedError`, `CheckpointLockLostError`). When it rejects (a full disk, an I/O
   * error, `CheckpointWriteError`), the previous checkpoint is still in place.
   */
  async save(checkpoint: Checkpoint, signal?: AbortSignal): Promise<void> {
    const bytes = encodeCheckpoint(checkpoint);
    const nodeIds = nodeIdsOf(checkpoint);
    return this.#queue.run(async () => {
      signal?.throwIfAborted();
      await this.#verifyLock();
      await checkReplaceable(this.#files, this.#knownGood, this.#clock);
      await this.#commit(bytes, nodeIds, signal);
    });
  }

  /**
   * Applies `update` to the current checkpoint durably: resolved means a crash at any later instant loads the
   * updated checkpoint. One journal record (a write and an fdatasync, off the main thread); when the journal
   * would outgrow the checkpoint file, a compaction instead. Validated and serialized at call time
   * (`CheckpointValidationError` naming the path, e.g. `$.completed[2]`). Needs the lock and a checkpoint this
   * store saved, or loaded while holding the lock, since it took the lock (`CheckpointMissingError`). On
   * rejection nothing changed in the store's current checkpoint; on disk the update may still be found (a record
   * whose fdatasync failed and could not be cut off, a compaction that failed after its file was in place).
   */
  async update(update: CheckpointUpdate, signal?: AbortSignal): Promise<void> {
    const payload = JSON.stringify(validateCheckpointUpdate(update));
    // The store's own copy, read from the very JSON the journal gets: a replay applies exactly the same.
    const owned = JSON.parse(payload) as CheckpointUpdate;
    return this.#queue.run(async () => {
      signal?.throwIfAborted();
      await this.#verifyLock();
      // Handles may name only workstreams of the current checkpoint's graph.
      validateCheckpointUpdate(owned, this.#journal.nodeIds);
      await this.#journal.update(payload, owned, (bytes) => this.#commit(bytes, this.#journal.nodeIds, signal));
    });
  }

  /**
   * Writes the current checkpoint as one file (and its backup) and removes the journal, so the checkpoint file
   * alone is the whole checkpoint. No-op when there is no journal. A store that has not saved or loaded since it
   * took the lock opens first, so a journal left by a killed writer is merged too. Needs the lock.
   */
  async compact(signal?: AbortSignal): Promise<void> {
    return this.#queue.run(async () => {
      signal?.throwIfAborted();
      await this.#verifyLock();
      if (!this.#journal.known) await this.#open(signal);
      if (!this.#journal.known || !this.#journal.pending) return;
      await this.#commit(encodeCheckpoint(this.#journal.materialize()), this.#journal.nodeIds, signal);
    });
  }

  /**
   * Removes exactly the files this store writes for the feature: the checkpoint, its backup, journal and temp
   * files; keeps the lock and any `.corrupt` files. Resolves to the paths it removed. Needs the lock.
   */
  async delete(): Promise<string[]> {
    return this.#queue.run(async () => {
      await this.#verifyLock();
      await this.#journal.forget();
      const files = this.#files;
      const stored = await readStoredFiles(files);
      // The backup and journal first: a delete cut short leaves a checkpoint, never a backup taken for one.
      const removed: string[] = [];
      for (const path of [...stored.tempFiles, files.journalPath, files.backupPath, files.path]) {
        if (await removeFile(path)) removed.push(path);
      }
      await disk.syncDirectory(files.dir);
      this.#knownGood = undefined;
      return removed;
    });
  }

  /**
   * Takes the single-writer lock, or throws `CheckpointLockedError` at once naming the live holder. Takes over a
   * lock whose holder died, and removes the temp files a killed writer left (they hold no progress); changes no
   * other file: the next `load` repairs. Idempotent.
   */
  async acquire(): Promise<void> {
    return this.#queue.run(async () => {
      if (this.#lock.held) return;
      await this.#lock.acquire();
      this.#lost = undefined;
      this.#knownGood = undefined;
      try {
        const { tempFiles } = await readStoredTempFiles(this.#files);
        let removed = false;
        for (const path of tempFiles) removed = (await removeFile(path)) || removed;
        if (removed) await disk.syncDirectory(this.#files.dir);
      } catch (error) {
        await this.#lock.release();
        throw error;
      }
    });
  }

  /** Waits for this store's pending operations, then gives the lock up. Does not compact. Idempotent. */
  async release(): Promise<void> {
    return this.#queue.run(async () => {
      await this.#journal.forget();
      await this.#lock.release();
    });
  }

  /** The writer repaired damage it found, or restored a missing checkpoint file from its backup. */
  onRecover(listener: (event: RecoverEvent) => void): Dispose {
    return this.#onRecover.add(listener, 'onRecover');
  }

  /** The lock is no longer this store's: every later write rejects with `CheckpointLockLostError`. */
  onLockCompromised(listener: (event: LockCompromisedEvent) => void): Dispose {
    return this.#onLockCompromised.add(listener, 'onLockCompromised');
  }

  async #verifyLock(): Promise<void> {
    if (this.#lost !== undefined) throw new CheckpointLockLostError(this.lockPath, this.#lost);
    await this.#lock.verify();
  }

  /** The writer's open: read, repair, and adopt the result as the current checkpoint. */
  async #open(signal: AbortSignal | undefined): Promise<Checkpoint | null> {
    signal?.throwIfAborted();
    await this.#verifyLock();
    await this.#journal.forget();
    const conclusion = conclude(this.#files, await readStoredFiles(this.#files, signal));
    const { base, journal } = conclusion;
    this.#knownGood = conclusion.source === 'checkpoint' ? base?.identity : undefined;
    if (base !== undefined) {
      // A journal that holds more than its records (damage, a torn tail) is never appended to: compacted first.
      const end = journal?.kind === 'ok' ? journal.end : undefined;
      this.#journal.adopt(base.bytes, base.digest, [...conclusion.updates], end, nodeIdsOf(base.checkpoint));
    }
    // A checkpoint of another feature under this name is not this store's to repair: the caller decides.
    if (conclusion.checkpoint !== null && conclusion.checkpoint.feature_id !== this.featureId) return conclusion.checkpoint;
    const events = await repair(
      {
        files: this.#files,
        clock: this.#clock,
        verifyLock: () => this.#verifyLock(),
        commit: (checkpoint) => this.#commit(encodeCheckpoint(checkpoint), nodeIdsOf(checkpoint), signal),
      },
      conclusion,
    );
    for (const event of events) this.#onRecover.emit(event);
    // The reading's object was built for this call alone: the journal keeps the file's bytes and the updates.
    return conclusion.checkpoint;
  }

  /** The durable commit of `bytes`, which then are the current checkpoint, without a journal. */
  async #commit(bytes: Buffer, nodeIds: ReadonlySet<string> | undefined, signal: AbortSignal | undefined): Promise<void> {
    // From here on the files change under the journal: if this fails, it is compacted, never appended to.
    await this.#journal.abandon();
    try {
      this.#knownGood = await commitCheckpoint(this.#files, bytes, signal);
    } catch (error) {
      if (isCheckpointLockLostError(error)) this.#lost ??= error.reason;
      throw error;
    }
    this.#journal.adopt(bytes, digestOf(bytes), [], undefined, nodeIds);
  }
}

/** The public part of a reading. */
function strip(reading: CheckpointReading): CheckpointReading {
  const { path, checkpoint, source, journalRecords, lostRecords, unusable, findings } = reading;
  return { path, checkpoint, source, journalRecords, lostRecords, unusable, findings };
}

function readOnly(reading: CheckpointReading): Checkpoint | null {
  if (reading.unusable !== undefined) throw reading.unusable;
  return reading.checkpoint;
}
