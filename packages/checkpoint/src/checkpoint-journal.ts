import type { Checkpoint, CheckpointUpdate } from './checkpoint.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-codec.js';
import type { CheckpointFiles } from './checkpoint-files.js';
import { CheckpointModel } from './checkpoint-model.js';
import { CheckpointMissingError } from './errors.js';
import type { JournalEnd } from './journal-codec.js';
import { JournalFile } from './journal-file.js';

/**
 * The journal is compacted once it would outgrow the checkpoint file it applies to, or this, whichever is
 * larger: a run then writes a small multiple of its final checkpoint in all, and a tiny checkpoint is not
 * rewritten at every other update.
 */
const COMPACTION_FLOOR = 64 * 1024;

/** `checkpoint` (which this takes over) with `updates` applied. */
export function applyAll(checkpoint: Checkpoint, updates: readonly CheckpointUpdate[]): Checkpoint {
  if (updates.length === 0) return checkpoint;
  const model = new CheckpointModel(checkpoint);
  for (const update of updates) model.apply(update);
  return model.current;
}

/** The ids of a checkpoint's graph, which `attempt_handles` may name; `undefined` when it has no graph. */
export function nodeIdsOf(checkpoint: Checkpoint): ReadonlySet<string> | undefined {
  return checkpoint.graph === null ? undefined : new Set(checkpoint.graph.nodes.map((node) => node.id));
}

/** What the writer knows of the checkpoint on disk, from its last commit or load under the lock on. */
interface Known {
  /** The checkpoint file the journal applies to, byte for byte: nothing can change it. */
  readonly base: Buffer;
  /** The updates resolved since, in order: what the journal holds. */
  readonly updates: CheckpointUpdate[];
  readonly journal: JournalFile;
  readonly nodeIds: ReadonlySet<string> | undefined;
}

/**
 * The journal and its compaction, for the writer holding the lock. The current checkpoint is `base` with
 * `updates` applied; it is materialized (in O(1) per changed id, see `CheckpointModel`) only to be compacted.
 * Nobody else writes the files meanwhile, so what this knows stays true until the lock is given up.
 */
export class CheckpointJournal {
  readonly #files: CheckpointFiles;
  #known: Known | undefined;

  constructor(files: CheckpointFiles) {
    this.#files = files;
  }

  get known(): boolean {
    return this.#known !== undefined;
  }

  /** The graph ids of the current checkpoint, for validating an update's `attempt_handles`. */
  get nodeIds(): ReadonlySet<string> | undefined {
    return this.#known?.nodeIds;
  }

  /** True when compacting would change the files: there is a journal, or a failed one's leftovers. */
  get pending(): boolean {
    return this.#known?.journal.pending ?? false;
  }

  /** From now on, the current checkpoint is `base` (digest `digest`) with `updates`, and the journal ends at `end`. */
  adopt(
    base: Buffer,
    digest: string,
    updates: CheckpointUpdate[],
    end: JournalEnd | undefined,
    nodeIds: ReadonlySet<string> | undefined,
  ): void {
    const journal = new JournalFile({
      path: this.#files.journalPath,
      dir: this.#files.dir,
      checkpointPath: this.#files.path,
      base: digest,
      end,
    });
    this.#known = { base, updates, journal, nodeIds };
  }

  /** Forgets the current checkpoint and closes the journal: what is on disk decides again. */
  async forget(): Promise<void> {
    const known = this.#known;
    this.#known = undefined;
    await known?.journal.close();
  }

  /** The files are about to change under the journal: it is never appended to again, only compacted away. */
  async abandon(): Promise<void> {
    await this.#known?.journal.abandon();
  }

  /** The current checkpoint, and `extra` applied to it: the only O(checkpoint) step of updating, for compactions. */
  materialize(extra?: CheckpointUpdate): Checkpoint {
    const known = this.#require();
    const decoded = decodeCheckpoint(known.base);
    // These bytes were read back or written by this store, and nothing can change them.
    if (decoded.kind !== 'ok') throw new Error(`Checkpoint ${this.#files.path}: the bytes in memory no longer decode`);
    return applyAll(decoded.checkpoint, extra === undefined ? known.updates : [...known.updates, extra]);
  }

  /**
   * Records `update` (whose JSON is `payload`) durably: one journal record, or, once the journal would outgrow
   * the checkpoint file (or cannot be appended to), `compact` with the current checkpoint and the update.
   */
  async update(payload: string, update: CheckpointUpdate, compact: (bytes: Buffer) => Promise<void>): Promise<void> {
    const { base, updates, journal } = this.#require();
    if (journal.dirty || journal.sizeAfter(payload) > Math.max(base.length, COMPACTION_FLOOR)) {
      await compact(encodeCheckpoint(this.materialize(update)));
      return;
    }
    await journal.append(payload);
    updates.push(update);
  }

  #require(): Known {
    if (this.#known === undefined) throw new CheckpointMissingError(this.#files.path);
    return this.#known;
  }
}
