import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { disk } from './disk.js';
import { decodeJournal, type JournalEnd } from './journal-codec.js';
import { JournalFile, readJournalBase } from './journal-file.js';
import { listDir, makeTempDir } from './test-support.js';

let dir: string;
let cleanup: () => Promise<void>;
let path: string;
const journals: JournalFile[] = [];
const base = 'c'.repeat(64);

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  path = join(dir, 'F052-checkpoint.json.journal');
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const journal of journals.splice(0)) await journal.close();
  await cleanup();
});

function journalFile(end?: JournalEnd): JournalFile {
  const created = new JournalFile({ path, dir, checkpointPath: join(dir, 'F052-checkpoint.json'), base, end });
  journals.push(created);
  return created;
}

const payload = (seq: number): string => JSON.stringify({ timestamp: '2026-02-07T12:00:00Z', completed: [`ws-${seq}`] });

async function decoded(): Promise<ReturnType<typeof decodeJournal>> {
  return decodeJournal(await readFile(path), base);
}

describe('JournalFile', () => {
  it('creates the file with its header and first record in one write, and fsyncs the directory once', async () => {
    const writes = vi.spyOn(disk, 'write');
    const syncs = vi.spyOn(disk, 'syncDirectory');
    const journal = journalFile();
    expect(journal.pending).toBe(false);
    const firstSize = journal.sizeAfter(payload(1));
    await journal.append(payload(1));
    expect((await readFile(path)).length).toBe(firstSize);
    const secondSize = journal.sizeAfter(payload(2));
    await journal.append(payload(2));
    expect((await readFile(path)).length).toBe(secondSize);
    expect(writes).toHaveBeenCalledTimes(2);
    expect(syncs).toHaveBeenCalledTimes(1);
    expect(journal.pending).toBe(true);
    expect(await decoded()).toMatchObject({ kind: 'ok', updates: [{ completed: ['ws-1'] }, { completed: ['ws-2'] }], end: { seq: 2 } });
    expect(await readJournalBase(path)).toBe(base);
  });

  it('goes on from where a load found it, cutting off a torn last record', async () => {
    await journalFile().append(payload(1));
    const found = await decoded();
    if (found.kind !== 'ok') throw new Error('expected a journal');
    await appendFile(path, '{"seq":2,"timestamp":"2026-02-');
    const reopened = journalFile(found.end);
    await reopened.append(payload(3));
    expect(await decoded()).toMatchObject({ kind: 'ok', updates: [{ completed: ['ws-1'] }, { completed: ['ws-3'] }] });
  });

  it('cuts a failed append off, and turns dirty only when that fails too', async () => {
    const journal = journalFile();
    await journal.append(payload(1));
    const before = await readFile(path);
    vi.spyOn(disk, 'datasync').mockRejectedValueOnce(Object.assign(new Error('EIO'), { code: 'EIO' }));
    await expect(journal.append(payload(2))).rejects.toMatchObject({ code: 'EIO' });
    expect(await readFile(path)).toEqual(before);
    expect(journal.dirty).toBe(false);
    vi.spyOn(disk, 'datasync').mockRejectedValueOnce(Object.assign(new Error('EIO'), { code: 'EIO' }));
    vi.spyOn(disk, 'truncate').mockRejectedValueOnce(Object.assign(new Error('EIO'), { code: 'EIO' }));
    await expect(journal.append(payload(2))).rejects.toMatchObject({ code: 'EIO' });
    expect(journal.dirty).toBe(true);
  });

  it('turns dirty when a file it does not know of is in the way, and leaves that file alone', async () => {
    await writeFile(path, 'someone else’s');
    const journal = journalFile();
    await expect(journal.append(payload(1))).rejects.toMatchObject({ code: 'EEXIST' });
    expect(journal.dirty).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('someone else’s');
  });

  it('abandoned, only waits to be compacted', async () => {
    const journal = journalFile();
    await journal.append(payload(1));
    await journal.abandon();
    expect({ dirty: journal.dirty, pending: journal.pending }).toEqual({ dirty: true, pending: true });
    expect(await listDir(dir)).toEqual(['F052-checkpoint.json.journal']);
  });
});

describe('readJournalBase', () => {
  it('names the base of a complete header only', async () => {
    expect(await readJournalBase(path)).toBeUndefined();
    await writeFile(path, '{"journal":1,"base":"');
    expect(await readJournalBase(path)).toBeUndefined();
  });
});
