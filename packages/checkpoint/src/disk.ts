import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * Every file-system call this package makes, in one object so tests can inject faults (a failing
 * fsync, a rename that never happens) between the steps of a save.
 */
export const disk = {
  open: fs.open,
  readFile: fs.readFile,
  readdir: fs.readdir,
  stat: fs.stat,
  mkdir: fs.mkdir,
  link: fs.link,
  rename: fs.rename,
  unlink: fs.unlink,
  /** One `pwrite`; it may write less than asked (a full disk), so callers loop. */
  write: (handle: FileHandle, bytes: Buffer, offset: number, length: number, position: number) =>
    handle.write(bytes, offset, length, position),
  datasync: (handle: FileHandle): Promise<void> => handle.datasync(),
  truncate: (handle: FileHandle, length: number): Promise<void> => handle.truncate(length),
  /** Temp file, write, fsync, rename; see `checkpoint-store.ts` for the gaps closed around it. */
  writeFileAtomic: (path: string, bytes: Buffer): Promise<void> => writeFileAtomic(path, bytes, { fsync: true }),
  /** Makes the directory's entries (a rename, a new or removed name) survive power loss. */
  syncDirectory: async (path: string): Promise<void> => {
    // Windows cannot open a directory for flushing; NTFS journals its metadata instead.
    if (process.platform === 'win32') return;
    const handle = await disk.open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** 32 random hex digits, for names that must not collide. */
export function randomHex(): string {
  return randomBytes(16).toString('hex');
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** True when `error` is a Node.js system error with this `code` (`ENOENT`, `EEXIST`, ...). */
export function hasErrorCode(error: unknown, code: string): boolean {
  return errorCode(error) === code;
}

/** Removes a file; a file that is already gone is fine. Returns whether it removed one. */
export async function removeFile(path: string): Promise<boolean> {
  try {
    await disk.unlink(path);
    return true;
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return false;
    throw error;
  }
}

/** `stat`, or `undefined` when there is no such file. */
export async function statIfExists(path: string): Promise<Stats | undefined> {
  try {
    return await disk.stat(path);
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/** Opens `path` for reading; undefined when there is no such file. */
export async function openIfExists(path: string): Promise<FileHandle | undefined> {
  try {
    return await disk.open(path, 'r');
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/** Creates `dir` and its missing parents, and fsyncs the parent of every directory it created. */
export async function makeDirectoryDurably(dir: string): Promise<void> {
  const first = await disk.mkdir(dir, { recursive: true });
  if (first === undefined) return;
  let created = first;
  await disk.syncDirectory(dirname(created));
  for (const part of relative(first, dir)
    .split(sep)
    .filter((name) => name !== '')) {
    await disk.syncDirectory(created);
    created = join(created, part);
  }
}

/**
 * Points `target` at the file `existing` in one atomic step (hard link under a temp name, then rename
 * over `target`): at every instant `target` is either its old file or `existing`'s, never missing.
 */
export async function linkOver(existing: string, target: string): Promise<void> {
  const temp = `${target}.link-${randomHex()}`;
  await disk.link(existing, temp);
  try {
    await disk.rename(temp, target);
  } catch (error) {
    await removeFile(temp).catch(() => undefined);
    throw error;
  }
  // When `target` already was a link to the same file, rename() does nothing and leaves `temp` (POSIX).
  await removeFile(temp);
}

/**
 * Writes a small file completely (content, mtime, fsync) as `candidate`, a fresh temp name beside the file
 * it is to be linked or renamed to: whoever sees that file sees all of its content.
 */
export async function writeCandidate(candidate: string, content: string, mtimeMs: number): Promise<void> {
  const handle = await disk.open(candidate, 'wx');
  try {
    await handle.writeFile(content);
    const mtime = new Date(mtimeMs);
    await handle.utimes(mtime, mtime);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await removeFile(candidate).catch(() => undefined);
    throw error;
  }
  await handle.close();
}
