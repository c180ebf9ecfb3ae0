import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore, type Checkpoint, type CheckpointUpdate, type RecoverEvent } from '@sdp/checkpoint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 17: one flipped byte anywhere in the checkpoint, its backup or one journal record loses at most the
// workstreams that record or that file alone held. A run of six workstreams: a whole save, then one journal
// record per completion, as the dispatcher writes them; then every byte of each file is flipped in turn.

const ids = Array.from({ length: 6 }, (_, index) => `00-076-0${index + 1}`);
const base: Checkpoint = {
  version: '1.0',
  feature_id: 'F076',
  timestamp: '2026-02-07T12:00:00.000Z',
  completed: [],
  failed: [],
  graph: {
    nodes: ids.map((id, index) => ({
      id,
      depends_on: index === 0 ? [] : [ids[index - 1]!],
      indegree: index === 0 ? 0 : 1,
      completed: false,
    })),
    edges: Object.fromEntries(ids.map((id, index) => [id, index + 1 < ids.length ? [ids[index + 1]!] : []])),
  },
  circuit_breaker: null,
};
const record = (index: number): CheckpointUpdate => ({
  timestamp: `2026-02-07T12:00:0${index + 1}.000Z`,
  completed: [ids[index]!],
  attempts: { [ids[index]!]: 1 },
});
const RECORDS = 4;

let dir: string;
let pristine: { main: Buffer; backup: Buffer; journal: Buffer };
const path = (suffix = '') => join(dir, `F076-checkpoint.json${suffix}`);

async function restore(): Promise<void> {
  await writeFile(path(), pristine.main);
  await writeFile(path('.bak'), pristine.backup);
  await writeFile(path('.journal'), pristine.journal);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sdp-flipped-byte-'));
  const writer = new CheckpointStore({ featureId: 'F076', dir });
  await writer.acquire();
  await writer.save(base);
  for (let index = 0; index < RECORDS; index += 1) await writer.update(record(index));
  await writer.release();
  pristine = { main: await readFile(path()), backup: await readFile(path('.bak')), journal: await readFile(path('.journal')) };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The completions a reader loads with the byte at `at` of `file` flipped; the files are put back after. */
async function completedWithFlip(file: string, at: number, bit: number): Promise<string[] | Error> {
  const bytes = Buffer.from(await readFile(file));
  bytes[at] = (bytes[at] ?? 0) ^ (1 << bit);
  await writeFile(file, bytes);
  try {
    return (await new CheckpointStore({ featureId: 'F076', dir }).load())?.completed ?? [];
  } catch (error) {
    return error as Error;
  } finally {
    await restore();
  }
}

const all = ids.slice(0, RECORDS);

describe('one flipped byte', () => {
  it.each([
    ['the checkpoint', ''],
    ['the backup', '.bak'],
  ])('anywhere in %s loses nothing: the other copy and the journal hold it all', { timeout: 300_000 }, async (_name, suffix) => {
    const size = (suffix === '' ? pristine.main : pristine.backup).length;
    for (let at = 0; at < size; at += 1) {
      const bit = at % 8;
      expect(await completedWithFlip(path(suffix), at, bit), `byte ${at} bit ${bit}`).toEqual(all);
    }
  });

  it('anywhere in one journal record loses that record at most', { timeout: 300_000 }, async () => {
    const headerEnd = pristine.journal.indexOf('\n') + 1;
    for (let at = headerEnd; at < pristine.journal.length; at += 1) {
      const recordIndex = pristine.journal.subarray(headerEnd, at).toString('latin1').split('\n').length - 1;
      for (const bit of [at % 8]) {
        const completed = await completedWithFlip(path('.journal'), at, bit);
        expect(completed, `byte ${at} bit ${bit}`).not.toBeInstanceOf(Error);
        const lost = all.filter((id) => !(completed as string[]).includes(id));
        // A bad last line is the record being written when a writer stops: the same rule, at most itself.
        expect(
          lost.length <= 1 && (lost.length === 0 || lost[0] === ids[recordIndex]),
          `byte ${at} bit ${bit}: lost ${lost.join(', ')}`,
        ).toBe(true);
      }
    }
  });

  it('is repaired by the writer alone, keeping the damaged file and saying what it recovered and from where', async () => {
    const middle = pristine.journal.indexOf('{"seq":2,') + 15;
    const damaged = Buffer.from(pristine.journal);
    damaged[middle] = (damaged[middle] ?? 0) ^ 0x10;
    await writeFile(path('.journal'), damaged);
    const flippedMain = Buffer.from(pristine.main);
    flippedMain[40] = (flippedMain[40] ?? 0) ^ 0x01;
    await writeFile(path(), flippedMain);
    const writer = new CheckpointStore({ featureId: 'F076', dir });
    const events: RecoverEvent[] = [];
    writer.onRecover((event) => events.push(event));
    await writer.acquire();
    try {
      const loaded = await writer.load();
      expect(loaded?.completed).toEqual([ids[0], ids[2], ids[3]]);
      expect(events.map((event) => event.from).sort()).toEqual(['backup', 'journal']);
      for (const event of events) {
        const kept = await readFile(event.movedTo);
        expect(kept).toEqual(event.from === 'backup' ? flippedMain : damaged);
      }
      expect(events.find((event) => event.from === 'journal')?.lostRecords).toEqual([2]);
    } finally {
      await writer.release();
      await restore();
    }
  });
});
