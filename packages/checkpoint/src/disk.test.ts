import { link, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { disk, linkOver, makeDirectoryDurably, removeFile, writeCandidate } from './disk.js';
import { listDir, makeTempDir } from './test-support.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});

afterEach(async () => {
  vi.restoreAllMocks();
  await cleanup();
});

describe('linkOver', () => {
  it('points the target at the existing file and leaves no temp name', async () => {
    await writeFile(join(dir, 'a'), 'new');
    await writeFile(join(dir, 'b'), 'old');
    await linkOver(join(dir, 'a'), join(dir, 'b'));
    expect(await readFile(join(dir, 'b'), 'utf8')).toBe('new');
    expect(await listDir(dir)).toEqual(['a', 'b']);
  });

  it('leaves no temp name when the target already is a link to the same file (rename does nothing then)', async () => {
    await writeFile(join(dir, 'a'), 'same');
    await link(join(dir, 'a'), join(dir, 'b'));
    await linkOver(join(dir, 'a'), join(dir, 'b'));
    expect(await listDir(dir)).toEqual(['a', 'b']);
  });

  it('removes its temp name when the rename fails', async () => {
    await writeFile(join(dir, 'a'), 'new');
    vi.spyOn(disk, 'rename').mockRejectedValue(Object.assign(new Error('injected'), { code: 'EIO' }));
    await expect(linkOver(join(dir, 'a'), join(dir, 'b'))).rejects.toMatchObject({ code: 'EIO' });
    expect(await listDir(dir)).toEqual(['a']);
  });
});

describe('makeDirectoryDurably', () => {
  it('creates missing parents and fsyncs the parent of each directory it created', async () => {
    const synced: string[] = [];
    vi.spyOn(disk, 'syncDirectory').mockImplementation(async (path) => {
      synced.push(path);
      await Promise.resolve();
    });
    await makeDirectoryDurably(join(dir, 'a', 'b', 'c'));
    expect(synced).toEqual([dir, join(dir, 'a'), join(dir, 'a', 'b')]);
    synced.length = 0;
    await makeDirectoryDurably(join(dir, 'a', 'b', 'c'));
    expect(synced).toEqual([]);
  });
});

describe('writeCandidate and removeFile', () => {
  it('writes the whole content with the given mtime, and refuses an existing name', async () => {
    const path = join(dir, 'candidate');
    await writeCandidate(path, '{"x":1}', Date.UTC(2026, 1, 7));
    expect(await readFile(path, 'utf8')).toBe('{"x":1}');
    expect((await disk.stat(path)).mtimeMs).toBe(Date.UTC(2026, 1, 7));
    await expect(writeCandidate(path, 'other', 0)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await removeFile(path)).toBe(true);
    expect(await removeFile(path)).toBe(false);
  });
});
