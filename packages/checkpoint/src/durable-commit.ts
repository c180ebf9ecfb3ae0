import type { Clock } from '@sdp/internal';
import { digestOf } from './checkpoint-codec.js';
import type { CheckpointFiles } from './checkpoint-files.js';
import { identityOf, readCheckpointFile, sameFile, type FileIdentity } from './checkpoint-reader.js';
import { disk, hasErrorCode, removeFile, statIfExists } from './disk.js';
import { CheckpointVersionError, CheckpointWriteError } from './errors.js';
import { readJournalBase } from './journal-file.js';

// `.corrupt` names carry the time and a counter; this many in one millisecond means something else is wrong.
const MAX_CORRUPT_NAMES = 1000;

function describeMismatch(written: Buffer, expected: Buffer): string {
  return written.length === expected.length
    ? `${expected.length} bytes with different content`
    : `${written.length} of ${expected.length} bytes`;
}

/**
 * Gives a damaged file a second, `.corrupt-<time>-<n>` name with the same content; `link` never replaces an
 * existing name, so no earlier evidence is overwritten. The original name stays until it is replaced or removed.
 */
export async function keepAside(files: CheckpointFiles, source: string, clock: Clock): Promise<string> {
  for (let attempt = 0; attempt < MAX_CORRUPT_NAMES; attempt += 1) {
    const target = files.corruptName(source, clock.now(), attempt);
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
 * write-file-atomic writes a temp file, fsyncs it and renames it, but (checked in 7.0.1) it issues a single
 * write() and ignores a short count, which a full disk produces; it fsyncs no directory; and its temp files
 * survive a SIGKILL. So each copy is written to a staging file and read back before it is renamed into place.
 */
async function stage(path: string, bytes: Buffer, checkpointPath: string): Promise<void> {
  await disk.writeFileAtomic(path, bytes);
  const written = await disk.readFile(path);
  if (!written.equals(bytes)) throw new CheckpointWriteError(checkpointPath, describeMismatch(written, bytes));
}

/**
 * Before the checkpoint file is replaced: a file of a newer format is never overwritten, and a damaged one is
 * kept aside as evidence. `knownGood`: the file as the writer last wrote or verified it, which needs no reading.
 */
export async function checkReplaceable(files: CheckpointFiles, knownGood: FileIdentity | undefined, clock: Clock): Promise<void> {
  const current = await statIfExists(files.path);
  if (current === undefined || sameFile(current, knownGood)) return;
  const main = await readCheckpointFile(files.path);
  if (main.kind === 'unsupported-version') throw new CheckpointVersionError(files.path, main.version);
  if (main.kind === 'damaged') await keepAside(files, files.path, clock);
}

/**
 * The durable commit: makes `bytes` the checkpoint file and its backup, two copies on two inodes (so that one
 * flipped byte on disk spoils one of them only), and removes the journal, whose updates `bytes` hold or replace.
 *
 * Both copies are written and verified first: when that fails, nothing changed. Then the checkpoint is renamed
 * into place, then the backup, then the directory is fsynced. A crash between the two renames leaves the new
 * checkpoint and the old backup with the old journal, which applies to that backup: either file rebuilds a state
 * the caller reached. Resolves to the identity of the new checkpoint file.
 */
export async function commitCheckpoint(files: CheckpointFiles, bytes: Buffer, signal: AbortSignal | undefined): Promise<FileIdentity> {
  const { stagingPath, backupStagingPath, dir } = files;
  try {
    await stage(stagingPath, bytes, files.path);
    await stage(backupStagingPath, bytes, files.path);
    signal?.throwIfAborted();
    // The rename makes any journal stale (it names the old file), but one on identical content would apply to
    // the new file as well: that one goes first.
    if ((await readJournalBase(files.journalPath)) === digestOf(bytes)) await removeFile(files.journalPath);
    await disk.rename(stagingPath, files.path);
  } catch (error) {
    await removeFile(stagingPath).catch(() => undefined);
    await removeFile(backupStagingPath).catch(() => undefined);
    throw error;
  }
  try {
    await disk.rename(backupStagingPath, files.backupPath);
  } catch (error) {
    await removeFile(backupStagingPath).catch(() => undefined);
    throw error;
  }
  await removeFile(files.journalPath);
  await disk.syncDirectory(dir);
  return identityOf(await disk.stat(files.path));
}
