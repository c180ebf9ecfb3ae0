import { appendFile, copyFile, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Checkpoint, CheckpointUpdate } from './checkpoint.js';
import { decodeCheckpoint } from './checkpoint-codec.js';
import { CheckpointStore, type RecoverEvent } from './checkpoint-store.js';
import { disk } from './disk.js';
import type { CheckpointStoreOptions } from './checkpoint-store-options.js';
import { isCheckpointMissingError, isCheckpointNotLockedError, isCheckpointValidationError } from './errors.js';
import { applyUpdate, listDir, makeTempDir, manualClock, sampleCheckpoint, type ManualClock } from './test-support.js';

let dir: string;
let cleanup: () => Promise<void>;
let clock: ManualClock;
const stores: CheckpointStore[] = [];

const main = 'F052-checkpoint.json';
const backup = 'F052-checkpoint.json.bak';
const lock = 'F052-checkpoint.json.lock';
const journal = 'F052-checkpoint.json.journal';

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  clock = manualClock();
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const created of stores.splice(0)) await created.release();
  await cleanup();
});

function store(options: Partial<CheckpointStoreOptions> = {}): CheckpointStore {
  const created = new CheckpointStore({ featureId: 'F052', dir, clock, ...options });
  stores.push(created);
  return created;
}

const base: Checkpoint = sampleCheckpoint(40, 10);

/** The `seq`-th update of a run: one workstream done, its attempts and duration, what runs now. */
function step(seq: number, runningCount = 3): CheckpointUpdate {
  const id = `00-052-${String(9 + seq).padStart(6, '0')}`;
  return {
    timestamp: new Date(Date.UTC(2026, 1, 7, 13) + seq * 1000).toISOString(),
    completed: [id],
    running: Array.from({ length: runningCount }, (_, index) => `00-052-${String(10 + seq + index).padStart(6, '0')}`),
    attempts: { [id]: 1 },
    durations_ms: { [id]: 100 + seq },
    circuit_breaker: { state: 0, failure_count: 1, success_count: seq, consecutive_opens: 0, last_failure_time: '2026-02-07T12:34:00Z' },
  };
}

/** An update of about 47 KiB (a long `running` list): two of them outgrow the 64 KiB floor. */
function fatStep(seq: number): CheckpointUpdate {
  return step(seq, 3000);
}

function after(count: number, make: (seq: number) => CheckpointUpdate = step, from: Checkpoint = base): Checkpoint {
  let state = from;
  for (let seq = 1; seq <= count; seq += 1) state = applyUpdate(state, make(seq));
  return state;
}

async function writer(): Promise<CheckpointStore> {
  const created = store();
  await created.acquire();
  await created.save(base);
  return created;
}

async function update(target: CheckpointStore, from: number, to: number, make = step): Promise<void> {
  for (let seq = from; seq <= to; seq += 1) await target.update(make(seq));
}

async function fileOf(name: string): Promise<Checkpoint | undefined> {
  const decoded = decodeCheckpoint(await readFile(join(dir, name)));
  return decoded.kind === 'ok' ? decoded.checkpoint : undefined;
}

describe('update and load', () => {
  it('journals updates beside the checkpoint file, which stays as saved; load merges them', async () => {
    const subject = await writer();
    await update(subject, 1, 3);
    expect(await listDir(dir)).toEqual([main, backup, journal, lock]);
    expect(await fileOf(main)).toEqual(base);
    expect(await subject.load()).toEqual(after(3));
    expect(await store().load()).toEqual(after(3));
    // The writer goes on from what it loaded.
    await update(subject, 4, 5);
    expect(await store().load()).toEqual(after(5));
    expect(subject.journalPath).toBe(join(dir, journal));
  });

  it('keeps the graph as @sdp/graph would snapshot it: dependents’ indegrees drop', async () => {
    const subject = await writer();
    await subject.update({ timestamp: '2026-02-07T13:00:00Z', completed: ['00-052-000010', '00-052-000011'] });
    const loaded = await store().load();
    const node = (id: string) => loaded?.graph?.nodes.find((candidate) => candidate.id === id);
    expect(node('00-052-000010')).toMatchObject({ completed: true, indegree: 0 });
    expect(node('00-052-000011')).toMatchObject({ completed: true, indegree: 0 });
    // 12 depends on 11 (done) only among the open ones; 17 on 16, 10 (done); 41 is not in the graph.
    expect(node('00-052-000012')).toMatchObject({ completed: false, indegree: 0 });
    expect(node('00-052-000017')).toMatchObject({ completed: false, indegree: 1 });
    expect(loaded).toEqual(applyUpdate(base, { timestamp: '2026-02-07T13:00:00Z', completed: ['00-052-000010', '00-052-000011'] }));
  });

  it('returns a fresh object from each load', async () => {
    const subject = await writer();
    await update(subject, 1, 1);
    const first = await subject.load();
    first?.completed.push('mutated');
    first?.graph?.nodes.pop();
    first?.running?.push('mutated');
    first!.circuit_breaker!.failure_count = 99;
    expect(await subject.load()).toEqual(after(1));
    await update(subject, 2, 2);
    expect(await subject.load()).toEqual(after(2));
    // Nor does it reach the next compaction, which applies the updates again.
    (await subject.load())?.running?.push('mutated');
    await subject.compact();
    expect(await fileOf(main)).toEqual(after(2));
  });

  it('validates at call time naming the path, and takes the update as it was then', async () => {
    const subject = await writer();
    const error: unknown = await subject
      .update({ ...step(1), completed: ['a', 'b', 7] } as unknown as CheckpointUpdate)
      .catch((caught: unknown) => caught);
    expect(isCheckpointValidationError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CHECKPOINT_INVALID', jsonPath: '$.completed[2]' });
    const next = step(1);
    const pending = subject.update(next);
    next.completed!.push('00-052-000030');
    next.attempts!['x'] = 9;
    await pending;
    expect(await store().load()).toEqual(after(1));
    expect(await listDir(dir)).toEqual([main, backup, journal, lock]);
  });

  it('applies concurrent updates one after the other, in call order', async () => {
    const subject = await writer();
    await Promise.all(Array.from({ length: 10 }, (_, index) => subject.update(step(index + 1))));
    expect(await store().load()).toEqual(after(10));
  });

  it('needs the lock', async () => {
    const subject = await writer();
    await subject.release();
    await expect(subject.update(step(1))).rejects.toSatisfy(isCheckpointNotLockedError);
    await expect(store().update(step(1))).rejects.toMatchObject({ code: 'CHECKPOINT_NOT_LOCKED' });
    await expect(store().compact()).rejects.toMatchObject({ code: 'CHECKPOINT_NOT_LOCKED' });
  });

  it('needs a checkpoint this store saved, or loaded with the lock, since it took the lock', async () => {
    const first = await writer();
    await first.release();
    const subject = store();
    await subject.load();
    await subject.acquire();
    const error: unknown = await subject.update(step(1)).catch((caught: unknown) => caught);
    expect(isCheckpointMissingError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'CheckpointMissingError', code: 'CHECKPOINT_MISSING', path: join(dir, main) });
    expect((error as Error).message).toContain('call save() or load() first');
    expect(await subject.load()).toEqual(base);
    await update(subject, 1, 1);
    // Not after a release and a new acquire (someone else may have written meanwhile), nor after delete.
    await subject.release();
    await subject.acquire();
    await expect(subject.update(step(2))).rejects.toMatchObject({ code: 'CHECKPOINT_MISSING' });
    await subject.load();
    await subject.delete();
    await expect(subject.update(step(2))).rejects.toMatchObject({ code: 'CHECKPOINT_MISSING' });
    expect(await subject.load()).toBeNull();
    await expect(subject.update(step(2))).rejects.toMatchObject({ code: 'CHECKPOINT_MISSING' });
    expect(await listDir(dir)).toEqual([lock]);
  });

  it('honours an aborted signal without touching anything', async () => {
    const subject = await writer();
    await update(subject, 1, 1);
    const before = await readFile(join(dir, journal));
    await expect(subject.update(step(2), AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    await expect(subject.compact(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(await readFile(join(dir, journal))).toEqual(before);
    await update(subject, 2, 2);
    expect(await store().load()).toEqual(after(2));
  });

  it('lets a reader without the lock load every resolved state while a run appends, changing no file', async () => {
    const subject = await writer();
    const reader = store();
    const states = [base, ...Array.from({ length: 8 }, (_, index) => after(index + 1))];
    for (let seq = 1; seq <= 8; seq += 1) {
      // The load runs while the update is in flight: it sees the state before or after it.
      const [loaded] = await Promise.all([reader.load(), subject.update(step(seq))]);
      expect(states.slice(seq - 1, seq + 1)).toContainEqual(loaded);
      expect(await reader.load()).toEqual(states[seq]);
    }
    expect(reader.isLocked).toBe(false);
    expect(await listDir(dir)).toEqual([main, backup, journal, lock]);
  });

  it('never gives a reader an older state than the last resolved one when a compaction runs mid-load', async () => {
    const subject = await writer();
    await update(subject, 1, 1, fatStep);
    const reader = store();
    let armed = true;
    const { open } = disk;
    vi.spyOn(disk, 'open').mockImplementation(async (path, flags) => {
      if (armed && path === reader.journalPath && flags === 'r') {
        armed = false;
        // Between two reads of the reader: a compaction, then a new journal on the new file.
        await subject.update(fatStep(2));
        await subject.update(fatStep(3));
        expect(await listDir(dir)).toEqual([main, backup, journal, lock]);
      }
      return open(path, flags);
    });
    expect(await reader.load()).toEqual(after(3, fatStep));
    expect(armed).toBe(false);
  });

  it('leaves the journal to the next run on release (no compaction), which resumes from it', async () => {
    const subject = await writer();
    await update(subject, 1, 4);
    await subject.release();
    expect(await listDir(dir)).toEqual([main, backup, journal]);
    const next = store();
    await next.acquire();
    expect(await next.load()).toEqual(after(4));
    await update(next, 5, 6);
    expect(await store().load()).toEqual(after(6));
  });
});

describe('compaction', () => {
  it('happens inside update once the journal would outgrow the checkpoint file (or 64 KiB)', async () => {
    const subject = await writer();
    await update(subject, 1, 1, fatStep);
    expect(await listDir(dir)).toEqual([main, backup, journal, lock]);
    const journalSize = (await stat(join(dir, journal))).size;
    expect(journalSize).toBeGreaterThan(40_000);
    expect(journalSize).toBeLessThan(64 * 1024);
    await update(subject, 2, 2, fatStep);
    // The merged checkpoint, written whole through the save path, twice: the backup is a copy.
    expect(await listDir(dir)).toEqual([main, backup, lock]);
    expect(await fileOf(main)).toEqual(after(2, fatStep));
    expect(await fileOf(backup)).toEqual(await fileOf(main));
    // The journal starts over on the new file.
    await update(subject, 3, 3, fatStep);
    expect(await listDir(dir)).toEqual([main, backup, journal, lock]);
    expect(await store().load()).toEqual(after(3, fatStep));
    expect(await subject.load()).toEqual(after(3, fatStep));
  });

  it('waits for the checkpoint file’s own size when that is larger than 64 KiB', async () => {
    const large = sampleCheckpoint(600, 10);
    const subject = store();
    await subject.acquire();
    await subject.save(large);
    const size = (await stat(subject.path)).size;
    expect(size).toBeGreaterThan(100_000);
    let seq = 0;
    let journalSize = 0;
    for (;;) {
      seq += 1;
      await subject.update(fatStep(seq));
      if (!(await listDir(dir)).includes(journal)) break;
      journalSize = (await stat(join(dir, journal))).size;
    }
    // Compacted at the update that would have taken the journal past the file's size, not before.
    expect(journalSize).toBeLessThanOrEqual(size);
    expect(journalSize + 50_000).toBeGreaterThan(size);
    expect(await fileOf(main)).toEqual(after(seq, fatStep, large));
  });

  it('compact() writes one checkpoint file and removes the journal; with no journal it changes nothing', async () => {
    const subject = await writer();
    const { ino, mtimeMs } = await stat(subject.path);
    await subject.compact();
    expect(await stat(subject.path)).toMatchObject({ ino, mtimeMs });
    await update(subject, 1, 3);
    await subject.compact();
    expect(await listDir(dir)).toEqual([main, backup, lock]);
    expect(await fileOf(main)).toEqual(after(3));
    expect(await fileOf(backup)).toEqual(await fileOf(main));
    // Repeated: nothing to do.
    const compacted = await stat(subject.path);
    await subject.compact();
    expect((await stat(subject.path)).ino).toBe(compacted.ino);
    await update(subject, 4, 4);
    expect(await subject.load()).toEqual(after(4));
  });

  it('compact() right after acquire merges a journal a killed run left', async () => {
    const first = await writer();
    await update(first, 1, 2);
    await first.release();
    const subject = store();
    await subject.acquire();
    await subject.compact();
    expect(await listDir(dir)).toEqual([main, backup, lock]);
    expect(await fileOf(main)).toEqual(after(2));
    await update(subject, 3, 3);
    expect(await store().load()).toEqual(after(3));
  });

  it('save() starts a fresh journal: the old one is never applied to the new file, even on identical content', async () => {
    const subject = await writer();
    await update(subject, 1, 2);
    const other = { ...base, timestamp: '2026-02-08T00:00:00.000Z' };
    await subject.save(other);
    expect(await listDir(dir)).toEqual([main, backup, lock]);
    expect(await store().load()).toEqual(other);
    await update(subject, 1, 1);
    // The base again, byte for byte: the journal on the base's content must go too.
    await subject.save(base);
    expect(await store().load()).toEqual(base);
    await update(subject, 1, 1);
    expect(await store().load()).toEqual(after(1));
  });

  it('save() of content a stale journal names removes that journal before the new file is in place', async () => {
    const subject = await writer();
    await update(subject, 1, 2);
    await copyFile(join(dir, journal), join(dir, 'kept'));
    const other = { ...base, timestamp: '2026-02-08T00:00:00.000Z' };
    await subject.save(other);
    await subject.release();
    // A journal on the base's content, left stale (a compaction stopped after its rename).
    await copyFile(join(dir, 'kept'), join(dir, journal));
    const next = store();
    await next.acquire();
    // The writer dies right after renaming the base's content back into place.
    const { rename } = disk;
    vi.spyOn(disk, 'rename').mockImplementation(async (from, to) => {
      await rename(from, to);
      if (to === next.path) throw new Error('killed');
    });
    await expect(next.save(base)).rejects.toThrow('killed');
    // The state before the save or the one being saved; never the stale journal applied to it.
    expect(await store().load()).toEqual(base);
  });
});

describe('a journal that does not fit its checkpoint file', () => {
  it('is stale when it names another file (a compaction stopped after its rename): ignored, removed with the lock', async () => {
    const subject = await writer();
    await update(subject, 1, 2);
    await copyFile(join(dir, journal), join(dir, 'stale'));
    await subject.compact();
    await copyFile(join(dir, 'stale'), join(dir, journal));
    expect(await store().load()).toEqual(after(2));
    expect(await listDir(dir)).toContain(journal);
    expect(await subject.load()).toEqual(after(2));
    expect(await listDir(dir)).not.toContain(journal);
  });

  it('with a torn last record (the update being written when the writer died): the records before it', async () => {
    const subject = await writer();
    await update(subject, 1, 3);
    await subject.release();
    const complete = await readFile(join(dir, journal));
    await appendFile(join(dir, journal), `{"seq":4,"timestamp":"2026-02-07T13:00:04.000Z","running":[${'"00-052-000001",'.repeat(100)}`);
    const events: RecoverEvent[] = [];
    const next = store();
    next.onRecover((event) => events.push(event));
    await next.acquire();
    expect(await next.load()).toEqual(after(3));
    expect(events).toEqual([]);
    // The next record replaces the torn one; nothing of it is left after.
    await update(next, 4, 4);
    const lines = (await readFile(join(dir, journal))).toString().split('\n');
    expect(lines.slice(0, -2).join('\n')).toBe(complete.toString().slice(0, -1));
    expect(lines.slice(-2)).toEqual([
      expect.stringMatching(/^\{"seq":4,"timestamp":"2026-02-07T13:00:04.000Z",.*\t[0-9a-f]{64}$/) as string,
      '',
    ]);
    expect(await store().load()).toEqual(after(4));
  });

  it('damaged in the middle: every intact record applies, the damaged one alone is lost; the writer keeps it aside', async () => {
    const subject = await writer();
    await update(subject, 1, 4);
    const bytes = await readFile(join(dir, journal));
    const third = bytes.indexOf('"seq":3');
    bytes[third + 12]! ^= 0x02;
    await writeFile(join(dir, journal), bytes);

    const intact = applyUpdate(after(2), step(4));
    // A reader without the lock (the writer holds it) gets the intact records and changes nothing.
    const reader = store();
    const readerEvents: RecoverEvent[] = [];
    reader.onRecover((event) => readerEvents.push(event));
    expect(await reader.load()).toEqual(intact);
    expect(readerEvents).toEqual([]);
    expect(await readFile(join(dir, journal))).toEqual(bytes);
    expect((await reader.inspect()).findings).toMatchObject([
      { kind: 'journal-damaged', problem: expect.stringContaining('record 3 lost') as string },
      { kind: 'lock-held' },
    ]);

    const events: RecoverEvent[] = [];
    subject.onRecover((event) => events.push(event));
    expect(await subject.load()).toEqual(intact);
    const movedTo = join(dir, `${journal}.corrupt-20260207T120000000Z-0`);
    expect(events).toMatchObject([
      { from: 'journal', movedTo, reason: 'journal record 3: check mismatch (record 3 lost)', journalRecords: 3, lostRecords: [3] },
    ]);
    expect(await readFile(movedTo)).toEqual(bytes);
    // The intact records were written into the checkpoint; the damaged journal is gone from its place.
    expect(await listDir(dir)).toEqual([main, backup, `${journal}.corrupt-20260207T120000000Z-0`, lock]);
    expect(await fileOf(main)).toEqual(intact);
    await subject.update(step(3));
    expect(await store().load()).toEqual(applyUpdate(intact, step(3)));
  });

  it('damaged in its header: nothing of it applies; moved aside', async () => {
    const subject = await writer();
    await update(subject, 1, 2);
    const bytes = await readFile(join(dir, journal));
    bytes[5]! ^= 0x01;
    await writeFile(join(dir, journal), bytes);
    const events: RecoverEvent[] = [];
    subject.onRecover((event) => events.push(event));
    expect(await subject.load()).toEqual(base);
    expect(events).toMatchObject([{ from: 'journal', reason: expect.stringContaining('journal header: check mismatch') as string }]);
    expect(await listDir(dir)).toEqual([main, backup, `${journal}.corrupt-20260207T120000000Z-0`, lock]);
    await update(subject, 1, 1);
    expect(await store().load()).toEqual(after(1));
  });

  it('belongs to a damaged checkpoint file: the backup, a copy of that file, is used with it', async () => {
    const subject = await writer();
    const second = { ...base, timestamp: '2026-02-08T00:00:00.000Z' };
    await subject.save(second);
    await update(subject, 1, 2);
    const damaged = await readFile(subject.path);
    damaged[100]! ^= 0x04;
    await writeFile(subject.path, damaged);
    const events: RecoverEvent[] = [];
    subject.onRecover((event) => events.push(event));
    expect(await subject.load()).toEqual(after(2, step, second));
    expect(events).toMatchObject([{ from: 'backup', journalRecords: 2 }]);
    expect(await listDir(dir)).toEqual([main, backup, `${main}.corrupt-20260207T120000000Z-0`, lock]);
    // The recovered checkpoint is current: updates apply to it.
    await subject.update(step(3));
    expect(await store().load()).toEqual(after(3, step, second));
  });

  it('is removed with its checkpoint by delete; without checkpoint and backup, by the writer', async () => {
    const subject = await writer();
    await update(subject, 1, 1);
    await subject.delete();
    expect(await listDir(dir)).toEqual([lock]);
    await subject.save(base);
    await update(subject, 1, 1);
    await subject.release();
    // The checkpoint file alone gone: its backup and the journal on it hold the state.
    await rm(join(dir, main));
    expect(await store().load()).toEqual(after(1));
    // Both gone (by hand): the journal applies to nothing; a reader leaves it, the writer removes it.
    await rm(join(dir, backup));
    expect(await store().load()).toBeNull();
    expect(await listDir(dir)).toEqual([journal]);
    const next = store();
    await next.acquire();
    expect(await next.load()).toBeNull();
    expect(await listDir(dir)).toEqual([lock]);
  });
});

describe('any sequence of updates, compactions, saves and restarts', () => {
  it('loads exactly what a model of the updates says', { timeout: 60_000 }, async () => {
    type Op = { kind: 'update'; fat: boolean } | { kind: 'compact' } | { kind: 'restart' } | { kind: 'save' };
    const op = fc.oneof(
      { weight: 6, arbitrary: fc.boolean().map((fat): Op => ({ kind: 'update', fat })) },
      { weight: 1, arbitrary: fc.constant<Op>({ kind: 'compact' }) },
      { weight: 1, arbitrary: fc.constant<Op>({ kind: 'restart' }) },
      { weight: 1, arbitrary: fc.constant<Op>({ kind: 'save' }) },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        run += 1;
        const featureId = `P${run}`;
        let subject = new CheckpointStore({ featureId, dir, clock });
        stores.push(subject);
        await subject.acquire();
        await subject.save(base);
        let expected = base;
        let seq = 0;
        for (const next of ops) {
          if (next.kind === 'update') {
            seq += 1;
            const change = next.fat ? fatStep(seq) : step(seq);
            await subject.update(change);
            expected = applyUpdate(expected, change);
          } else if (next.kind === 'compact') {
            await subject.compact();
          } else if (next.kind === 'save') {
            expected = { ...expected, timestamp: new Date(Date.UTC(2026, 1, 9) + seq).toISOString() };
            await subject.save(expected);
          } else {
            await subject.release();
            subject = new CheckpointStore({ featureId, dir, clock });
            stores.push(subject);
            await subject.acquire();
            expect(await subject.load()).toEqual(expected);
          }
          expect(await new CheckpointStore({ featureId, dir }).load()).toEqual(expected);
        }
        await subject.compact();
        expect(await fileOf(`${featureId}-checkpoint.json`)).toEqual(expected);
      }),
      { numRuns: 25, seed: 52 },
    );
  });
});

describe('the bytes a run writes', () => {
  it('are a small multiple of its final checkpoint', async () => {
    // 400 workstreams, completed one update at a time as a dispatcher reports them.
    const start = sampleCheckpoint(400, 0);
    const change = (seq: number): CheckpointUpdate => ({ ...step(seq, 16), completed: [`00-052-${String(seq - 1).padStart(6, '0')}`] });
    let written = 0;
    const { write, writeFileAtomic } = disk;
    vi.spyOn(disk, 'write').mockImplementation(async (handle, bytes, offset, length, position) => {
      written += length;
      return write(handle, bytes, offset, length, position);
    });
    vi.spyOn(disk, 'writeFileAtomic').mockImplementation(async (path, bytes) => {
      written += bytes.length;
      return writeFileAtomic(path, bytes);
    });
    const subject = store();
    await subject.acquire();
    await subject.save(start);
    for (let seq = 1; seq <= 400; seq += 1) await subject.update(change(seq));
    await subject.compact();
    const final = (await stat(subject.path)).size;
    expect(await fileOf(main)).toEqual(after(400, change, start));
    // The start, each update's record once, each compaction at most twice the file's size (the checkpoint and
    // its backup copy), the final file twice.
    expect(written / final).toBeLessThan(14);
  });
});
