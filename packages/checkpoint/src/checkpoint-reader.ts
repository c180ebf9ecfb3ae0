import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint } from './checkpoint.js';
import { decodeCheckpoint } from './checkpoint-codec.js';
import type { CheckpointFiles } from './checkpoint-files.js';
import { disk, hasErrorCode, openIfExists } from './disk.js';

/** Enough of a file's `stat` to tell that it is still the file a store wrote or verified. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

export function identityOf(stats: Stats): FileIdentity {
  const { dev, ino, size, mtimeMs, ctimeMs } = stats;
  return { dev, ino, size, mtimeMs, ctimeMs };
}

export function sameFile(stats: Stats, identity: FileIdentity | undefined): boolean {
  if (identity === undefined) return false;
  return (
    stats.dev === identity.dev &&
    stats.ino === identity.ino &&
    stats.size === identity.size &&
    stats.mtimeMs === identity.mtimeMs &&
    stats.ctimeMs === identity.ctimeMs
  );
}

/** What one checkpoint file (the checkpoint or its backup) holds. */
export type CheckpointFileContent =
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

/** Every file of one feature's checkpoint, as read at one moment. Reading changes nothing. */
export interface StoredFiles {
  readonly main: CheckpointFileContent;
  readonly backup: CheckpointFileContent;
  /** The journal's bytes; `undefined`: there is none. */
  readonly journal: Buffer | undefined;
  /** Names (in the directory) of temp files an interrupted write left. */
  readonly tempFiles: readonly string[];
}

function readOptions(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

/** A system error that says which file it is about (some, like EISDIR from a read, do not). */
export function naming(path: string, error: unknown): unknown {
  if (!(error instanceof Error) || error.message.includes(path)) return error;
  const { code } = error as NodeJS.ErrnoException;
  return Object.assign(new Error(`cannot read checkpoint ${path}: ${error.message}`, { cause: error }), { code, path });
}

/** Reads and decodes one checkpoint file. */
export async function readCheckpointFile(path: string, signal?: AbortSignal): Promise<CheckpointFileContent> {
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
      bytes = await handle.readFile(readOptions(signal));
    } catch (error) {
      throw signal?.aborted === true ? error : naming(path, error);
    }
    const decoded = decodeCheckpoint(bytes);
    return decoded.kind === 'ok' ? { ...decoded, bytes, identity: identityOf(stats) } : decoded;
  } finally {
    await handle.close();
  }
}

/** The temp files an interrupted write of this checkpoint left, as paths. */
export async function readStoredTempFiles(files: CheckpointFiles): Promise<{ tempFiles: string[] }> {
  let names;
  try {
    names = await disk.readdir(files.dir);
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return { tempFiles: [] };
    throw naming(files.dir, error);
  }
  return {
    tempFiles: names
      .filter((name) => files.isTempFile(name))
      .sort()
      .map((name) => join(files.dir, name)),
  };
}

/**
 * Reads the checkpoint, its journal and its backup, without a lock and without changing anything. The journal is
 * opened first: when a compaction replaces the checkpoint in between, the journal read is the one it replaced,
 * stale to the new file, which holds all of it; never an older state than before.
 */
export async function readStoredFiles(files: CheckpointFiles, signal?: AbortSignal): Promise<StoredFiles> {
  signal?.throwIfAborted();
  let handle;
  try {
    handle = await openIfExists(files.journalPath);
  } catch (error) {
    throw naming(files.journalPath, error);
  }
  try {
    const main = await readCheckpointFile(files.path, signal);
    let journal;
    try {
      journal = await handle?.readFile(readOptions(signal));
    } catch (error) {
      throw signal?.aborted === true ? error : naming(files.journalPath, error);
    }
    const backup = await readCheckpointFile(files.backupPath, signal);
    return { main, backup, journal, ...(await readStoredTempFiles(files)) };
  } finally {
    await handle?.close();
  }
}
