import type { FileHandle } from 'node:fs/promises';
import { disk, hasErrorCode, openIfExists, randomHex, removeFile } from './disk.js';
import { CheckpointWriteError } from './errors.js';
import { journalBase, journalHeader, journalRecord, journalRecordSize, type JournalEnd } from './journal-codec.js';

/** More than a journal header takes (about 200 bytes). */
const HEADER_READ = 512;

export interface JournalFileOptions {
  /** `<checkpoint>.journal`. */
  readonly path: string;
  /** Its directory, fsynced when the file is created. */
  readonly dir: string;
  /** The checkpoint file, for error messages. */
  readonly checkpointPath: string;
  /** Digest of the checkpoint file the journal applies to. */
  readonly base: string;
  /** Where the journal on disk ends, as a load found it; `undefined`: there is none. */
  readonly end: JournalEnd | undefined;
}

/**
 * The journal of one base checkpoint file, for appending. An update is one write (looping on short writes:
 * a full disk writes less than asked without an error) and one fdatasync, both on libuv's thread pool; a new
 * file also gets its directory fsynced, once. A failed append is cut off again, so that the next record never
 * follows a torn one; when even that fails, the journal is `dirty` and must be compacted away (which removes
 * the file) before anything is appended.
 */
export class JournalFile {
  readonly #options: JournalFileOptions;
  /** `undefined` while there is no file. */
  #end: JournalEnd | undefined;
  #handle: FileHandle | undefined;
  #dirty = false;

  constructor(options: JournalFileOptions) {
    this.#options = options;
    this.#end = options.end;
  }

  /** True when the file may hold bytes past its last good record: compact before appending. */
  get dirty(): boolean {
    return this.#dirty;
  }

  /** True when compacting would change the files: there is a journal, or a failed one's leftovers. */
  get pending(): boolean {
    return this.#end !== undefined || this.#dirty;
  }

  /** The journal's size in bytes once the update whose JSON is `payload` is appended. */
  sizeAfter(payload: string): number {
    const start = this.#end ?? journalHeader(this.#options.base, '0'.repeat(32)).end;
    return start.length + journalRecordSize(start, payload);
  }

  /**
   * Appends the update whose JSON is `payload`, durably: resolved means it survives a crash or a power cut.
   * Not while `dirty`.
   */
  async append(payload: string): Promise<void> {
    const end = this.#end;
    if (end === undefined) {
      await this.#create(payload);
      return;
    }
    const handle = (this.#handle ??= await this.#reopen(end));
    const record = journalRecord(end, payload);
    try {
      await this.#writeFully(handle, record.bytes, end.length);
      await disk.datasync(handle);
    } catch (error) {
      await disk.truncate(handle, end.length).catch(() => {
        this.#dirty = true;
      });
      throw error;
    }
    this.#end = record.end;
  }

  /** Stops appending (the checkpoint is being replaced): from now on the journal only waits to be compacted. */
  async abandon(): Promise<void> {
    this.#dirty = true;
    await this.close();
  }

  /** Closes the file. Every record was synced when appended, so a failing close loses nothing. */
  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  async #create(payload: string): Promise<void> {
    const { path, dir, base } = this.#options;
    const header = journalHeader(base, randomHex());
    const record = journalRecord(header.end, payload);
    let handle;
    try {
      handle = await disk.open(path, 'wx');
    } catch (error) {
      // A file this journal does not know of: only a compaction may remove it.
      if (hasErrorCode(error, 'EEXIST')) this.#dirty = true;
      throw error;
    }
    try {
      await this.#writeFully(handle, Buffer.concat([header.bytes, record.bytes]), 0);
      await disk.datasync(handle);
      // The new name must survive a power cut as well as the data.
      await disk.syncDirectory(dir);
    } catch (error) {
      await handle.close().catch(() => undefined);
      // Its record did not resolve, so the file must not stay to be replayed.
      try {
        await removeFile(path);
        await disk.syncDirectory(dir);
      } catch {
        this.#dirty = true;
      }
      throw error;
    }
    this.#handle = handle;
    this.#end = record.end;
  }

  /** Opens the journal a load found, cutting off a torn last record (one that never resolved). */
  async #reopen(end: JournalEnd): Promise<FileHandle> {
    const handle = await disk.open(this.#options.path, 'r+');
    try {
      if ((await handle.stat()).size > end.length) await disk.truncate(handle, end.length);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    return handle;
  }

  async #writeFully(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await disk.write(handle, bytes, written, bytes.length - written, position + written);
      // A write that makes no progress would loop forever.
      if (bytesWritten <= 0) {
        throw new CheckpointWriteError(this.#options.checkpointPath, `${written} of ${bytes.length} bytes`, 'update');
      }
      written += bytesWritten;
    }
  }
}

/** The digest of the checkpoint file the journal at `path` names, if there is one with a complete header. */
export async function readJournalBase(path: string): Promise<string | undefined> {
  const handle = await openIfExists(path);
  if (handle === undefined) return undefined;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEADER_READ), 0, HEADER_READ, 0);
    return journalBase(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
