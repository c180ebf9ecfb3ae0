import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Checkpoint } from './checkpoint.js';
import { encodeCheckpoint } from './checkpoint-codec.js';
import { CheckpointStore } from './checkpoint-store.js';
import type { CheckpointStoreOptions } from './checkpoint-store-options.js';
import { disk } from './disk.js';
import { isCheckpointCorruptError, isCheckpointNotLockedError, isCheckpointValidationError, isCheckpointVersionError } from './errors.js';
import type { RecoverEvent } from './checkpoint-store.js';
import { listDir, makeTempDir, manualClock, sampleCheckpoint, type ManualClock } from './test-support.js';

let dir: string;
let cleanup: () => Promise<void>;
let clock: ManualClock;
const stores: CheckpointStore[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  clock = manualClock();
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const store of stores.splice(0)) await store.release();
  await cleanup();
});

function store(options: Partial<CheckpointStoreOptions> = {}): CheckpointStore {
  const created = new CheckpointStore({ featureId: 'F052', dir, clock, ...options });
  stores.push(created);
  return created;
}

async function lockedStore(): Promise<CheckpointStore> {
  const created = store();
  await created.acquire();
  return created;
}

function version(n: number): Checkpoint {
  return { ...sampleCheckpoint(10, n % 10), seq: n };
}

const main = 'F052-checkpoint.json';
const backup = 'F052-checkpoint.json.bak';
const lock = 'F052-checkpoint.json.lock';

async function damage(path: string): Promise<Buffer> {
  const bytes = await readFile(path);
  bytes[Math.floor(bytes.length / 2)]! ^= 0x04;
  await writeFile(path, bytes);
  return bytes;
}

describe('CheckpointStore paths and options', () => {
  it('derives absolute paths from dir and featureId; dir defaults to .sdp/checkpoints under the working directory', () => {
    const created = new CheckpointStore({ featureId: 'F052', dir: 'relative/dir' });
    expect(created.path).toBe(join(process.cwd(), 'relative/dir', 'F052-checkpoint.json'));
    expect(created.backupPath).toBe(`${created.path}.bak`);
    expect(created.lockPath).toBe(`${created.path}.lock`);
    expect(new CheckpointStore({ featureId: '052', dir: undefined }).path).toBe(
      join(process.cwd(), '.sdp/checkpoints', '052-checkpoint.json'),
    );
  });

  it.each([
    [null, TypeError, 'CheckpointStore: options must be an object, got null'],
    [{ featureId: '' }, TypeError, 'featureId must be a non-empty string'],
    [{ featureId: '..' }, TypeError, 'featureId must be one file-name component'],
    [{ featureId: 'F\u0007' }, TypeError, 'no control characters'],
    [{ featureId: 'ü'.repeat(65) }, TypeError, 'at most 128 bytes'],
    [{ featureId: '../x' }, TypeError, 'got "../x"'],
    [{ featureId: 'a/b' }, TypeError, 'featureId'],
    [{ featureId: 'x'.repeat(129) }, TypeError, 'featureId'],
    [{ featureId: 'F1', dir: '' }, TypeError, 'dir must be a non-empty string, got ""'],
    [{ featureId: 'F1', staleMs: 1.5 }, TypeError, 'staleMs must be an integer, got 1.5'],
    [{ featureId: 'F1', staleMs: 2 }, RangeError, 'staleMs must be at least 3, got 2'],
    [{ featureId: 'F1', staleMs: 1000, heartbeatMs: 501 }, RangeError, 'heartbeatMs must be at most half of staleMs (500), got 501'],
    [{ featureId: 'F1', heartbeatMs: 0 }, RangeError, 'heartbeatMs must be at least 1, got 0'],
    [{ featureId: 'F1', hostname: 3 }, TypeError, 'hostname must be a non-empty string, got 3'],
    [{ featureId: 'F1', clock: {} }, TypeError, 'clock must be an object with a now() method'],
  ])('rejects bad options %# with a message naming the option and value', (options, type, message) => {
    expect(() => new CheckpointStore(options as CheckpointStoreOptions)).toThrow(type);
    expect(() => new CheckpointStore(options as CheckpointStoreOptions)).toThrow(message);
  });

  it('rejects a listener that is not a function', () => {
    expect(() => store().onRecover(undefined as unknown as () => void)).toThrow(
      'CheckpointStore.onRecover: listener must be a function, got undefined',
    );
  });
});

describe('save and load', () => {
  it('names the file when it cannot be read (a directory where the checkpoint should be)', async () => {
    const subject = store();
    await mkdir(subject.path, { recursive: true });
    const error = (await subject.load().catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(error.code).toBe('EISDIR');
    expect(error.message).toBe(`cannot read checkpoint ${subject.path}: EISDIR: illegal operation on a directory, read`);
  });

  it('loads null when there is no checkpoint, even without a directory, and needs no lock', async () => {
    expect(await store({ dir: join(dir, 'missing') }).load()).toBeNull();
  });

  it('round-trips a checkpoint with its extras', async () => {
    const writer = await lockedStore();
    const checkpoint = { ...sampleCheckpoint(50), future_key: { any: ['json'] } };
    await writer.save(checkpoint);
    expect(await writer.load()).toEqual(checkpoint);
    expect(await store().load()).toEqual(checkpoint);
  });

  it('refuses to save without the lock, after release too', async () => {
    const writer = store();
    await expect(writer.save(version(1))).rejects.toSatisfy(isCheckpointNotLockedError);
    await writer.acquire();
    await writer.release();
    await expect(writer.save(version(1))).rejects.toMatchObject({
      code: 'CHECKPOINT_NOT_LOCKED',
      message: expect.stringContaining('acquire()') as string,
    });
    await expect(writer.delete()).rejects.toSatisfy(isCheckpointNotLockedError);
    expect(await listDir(dir)).toEqual([]);
  });

  it('validates at call time and saves the content as it was then', async () => {
    const writer = await lockedStore();
    await expect(writer.save({ ...version(1), completed: [7] } as unknown as Checkpoint)).rejects.toSatisfy(isCheckpointValidationError);
    const checkpoint = version(1);
    const saved = writer.save(checkpoint);
    checkpoint.completed.push('added later');
    await saved;
    expect(await writer.load()).toEqual(version(1));
  });

  it('keeps a second copy of the checkpoint as the backup, on its own inode', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    expect(await listDir(dir)).toEqual([main, backup, lock]);
    await writer.save(version(2));
    await writer.save(version(3));
    expect(await listDir(dir)).toEqual([main, backup, lock]);
    expect(await readFile(join(dir, backup))).toEqual(encodeCheckpoint(version(3)));
    expect(await readFile(join(dir, main))).toEqual(encodeCheckpoint(version(3)));
    // Two inodes: one flipped byte on disk spoils one copy only.
    expect((await stat(join(dir, backup))).ino).not.toBe((await stat(join(dir, main))).ino);
  });

  it('runs concurrent saves one after the other, in call order', async () => {
    const writer = await lockedStore();
    await Promise.all(Array.from({ length: 20 }, (_, index) => writer.save(version(index + 1))));
    expect(await writer.load()).toEqual(version(20));
    expect(await readFile(join(dir, backup))).toEqual(encodeCheckpoint(version(20)));
    expect(await listDir(dir)).toEqual([main, backup, lock]);
  });

  it('fsyncs the directory after renaming the new checkpoint into place', async () => {
    const writer = await lockedStore();
    const steps: string[] = [];
    const { rename, syncDirectory } = disk;
    vi.spyOn(disk, 'rename').mockImplementation(async (from, to) => {
      steps.push(`rename ${String(to).slice(dir.length + 1)}`);
      return rename(from, to);
    });
    vi.spyOn(disk, 'syncDirectory').mockImplementation(async (path) => {
      steps.push(`sync ${path === dir ? 'dir' : path}`);
      return syncDirectory(path);
    });
    await writer.save(version(1));
    await writer.save(version(2));
    expect(steps.slice(-3)).toEqual([`rename ${main}`, `rename ${backup}`, 'sync dir']);
  });

  it('honours an aborted signal without touching the checkpoint', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    await expect(writer.save(version(2), AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    await expect(writer.load(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(await writer.load()).toEqual(version(1));
    expect(await listDir(dir)).toEqual([main, backup, lock]);
  });

  it('loads a file written by the seed Go implementation', async () => {
    await mkdir(dir, { recursive: true });
    const goFile = `{
  "version": "1.0",
  "feature_id": "F052",
  "timestamp": "2026-02-07T12:34:56.123456789+01:00",
  "completed": [
    "00-052-01"
  ],
  "failed": null,
  "graph": {
    "nodes": [
      {
        "id": "00-052-04",
        "depends_on": null,
        "indegree": 0,
        "completed": false
      }
    ],
    "edges": {}
  },
  "circuit_breaker": null
}`;
    await writeFile(join(dir, main), goFile);
    expect(await store().load()).toEqual({
      version: '1.0',
      feature_id: 'F052',
      timestamp: '2026-02-07T12:34:56.123456789+01:00',
      completed: ['00-052-01'],
      failed: [],
      graph: { nodes: [{ id: '00-052-04', depends_on: [], indegree: 0, completed: false }], edges: {} },
      circuit_breaker: null,
    });
    // The reader changed nothing; the next save replaces it (a Go file has no backup of its own).
    expect(await readFile(join(dir, main), 'utf8')).toBe(goFile);
    const writer = await lockedStore();
    await writer.save(version(1));
    expect(await writer.load()).toEqual(version(1));
  });
});

describe('a damaged checkpoint', () => {
  const corrupt = (name: string, n = 0) => join(dir, `${name}.corrupt-20260207T120000000Z-${n}`);

  it('is kept under a .corrupt name and restored from the backup by the writer, which says so', async () => {
    const writer = await lockedStore();
    const events: RecoverEvent[] = [];
    writer.onRecover((event) => events.push(event));
    await writer.save(version(1));
    await writer.save(version(2));
    const damaged = await damage(join(dir, main));
    // The backup is the last save, not the one before: nothing is lost.
    expect(await writer.load()).toEqual(version(2));
    expect(events).toMatchObject([
      {
        from: 'backup',
        path: join(dir, main),
        movedTo: corrupt(main),
        reason: 'checksum mismatch: the file was altered or truncated',
        journalRecords: 0,
      },
    ]);
    expect(events[0]?.summary).toContain(`the damaged file is kept at ${corrupt(main)}`);
    expect(await readFile(corrupt(main))).toEqual(damaged);
    expect(await readFile(join(dir, main))).toEqual(encodeCheckpoint(version(2)));
    expect(await writer.load()).toEqual(version(2));
    expect(events).toHaveLength(1);
  });

  it('without a usable backup stops the writer with CheckpointCorruptError and changes nothing, load after load', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    await rm(join(dir, backup));
    const truncated = '{"version":"1.0","feature_id":"F052"';
    await writeFile(join(dir, main), truncated);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error: unknown = await writer.load().catch((caught: unknown) => caught);
      expect(isCheckpointCorruptError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'CHECKPOINT_CORRUPT', path: join(dir, main), movedTo: join(dir, main) });
      expect((error as Error).message).toContain('--fresh');
      expect((error as { reason: string }).reason).toMatch(/^not valid JSON .*; no backup$/);
    }
    expect(await readFile(join(dir, main), 'utf8')).toBe(truncated);
    expect(await listDir(dir)).toEqual([main, lock]);
    // Discarding it is the user's choice.
    expect(await writer.delete()).toEqual([join(dir, main)]);
    expect(await writer.load()).toBeNull();
  });

  it('with a damaged backup too: both stay where they are', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    await writer.save(version(2));
    await damage(join(dir, main));
    await damage(join(dir, backup));
    await expect(writer.load()).rejects.toMatchObject({
      code: 'CHECKPOINT_CORRUPT',
      reason: expect.stringContaining('backup damaged too (checksum mismatch: the file was altered or truncated)') as string,
    });
    expect(await listDir(dir)).toEqual([main, backup, lock]);
  });

  it('a damaged backup alone is kept aside and written again from the checkpoint', async () => {
    const writer = await lockedStore();
    const events: RecoverEvent[] = [];
    writer.onRecover((event) => events.push(event));
    await writer.save(version(1));
    const damaged = await damage(join(dir, backup));
    expect(await writer.load()).toEqual(version(1));
    expect(events).toMatchObject([{ from: 'checkpoint', path: join(dir, backup), movedTo: corrupt(backup) }]);
    expect(await readFile(corrupt(backup))).toEqual(damaged);
    expect(await readFile(join(dir, backup))).toEqual(encodeCheckpoint(version(1)));
  });

  it('never overwrites an earlier .corrupt file', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    await writer.save(version(2));
    const earlier = corrupt(main);
    await writeFile(earlier, 'earlier evidence');
    await damage(join(dir, main));
    const events: RecoverEvent[] = [];
    writer.onRecover((event) => events.push(event));
    await writer.load();
    expect(events[0]?.movedTo).toBe(corrupt(main, 1));
    expect(await readFile(earlier, 'utf8')).toBe('earlier evidence');
  });

  it('is read from the backup by a reader without the lock, which changes nothing and says what a run would do', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    await writer.save(version(2));
    await writer.release();
    await damage(join(dir, main));
    const before = await listDir(dir);
    const reader = store();
    expect(await reader.load()).toEqual(version(2));
    const reading = await reader.inspect();
    expect(reading).toMatchObject({ source: 'backup', checkpoint: version(2), unusable: undefined });
    expect(reading.findings).toMatchObject([
      { kind: 'checkpoint-damaged', path: join(dir, main), action: expect.stringContaining('restores it from the backup') as string },
    ]);
    expect(reader.isLocked).toBe(false);
    expect(await listDir(dir)).toEqual(before);
  });

  it('is left in place by a reader while another process holds the lock; the reader gets the backup', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    await writer.save(version(2));
    await damage(join(dir, main));
    const reader = store();
    const events: RecoverEvent[] = [];
    reader.onRecover((event) => events.push(event));
    expect(await reader.load()).toEqual(version(2));
    expect(events).toEqual([]);
    expect(await listDir(dir)).toEqual([main, backup, lock]);
    expect((await reader.inspect()).findings.map((finding) => finding.kind)).toEqual(['checkpoint-damaged', 'lock-held']);
    await writer.release();
  });

  it('without a usable backup: a reader gets CheckpointCorruptError naming the file in place', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    await writer.release();
    await damage(join(dir, main));
    await writeFile(join(dir, backup), 'damaged too');
    await expect(store().load()).rejects.toMatchObject({ code: 'CHECKPOINT_CORRUPT', movedTo: join(dir, main) });
    const reading = await store().inspect();
    expect(reading.unusable).toMatchObject({ code: 'CHECKPOINT_CORRUPT' });
    expect(reading.findings.map((finding) => finding.kind)).toEqual(['checkpoint-damaged', 'backup-damaged']);
    expect(await listDir(dir)).toEqual([main, backup]);
  });

  it('is left in place by a holder that lost its lock meanwhile', async () => {
    const holder = store({ hostname: 'host-a' });
    await holder.acquire();
    await holder.save(version(1));
    await holder.save(version(2));
    clock.tick(60_000);
    const taker = store({ hostname: 'host-b' });
    await taker.acquire();
    await damage(join(dir, main));
    await expect(holder.load()).rejects.toMatchObject({ code: 'CHECKPOINT_LOCK_LOST' });
    expect(holder.isLocked).toBe(false);
    expect(await listDir(dir)).toEqual([main, backup, lock]);
  });

  it('found by a save is kept aside before it is replaced', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    await writer.save(version(2));
    await damage(join(dir, main));
    await writer.save(version(3));
    expect(await readFile(join(dir, backup))).toEqual(encodeCheckpoint(version(3)));
    expect(await writer.load()).toEqual(version(3));
    expect(await listDir(dir)).toEqual([main, backup, `${main}.corrupt-20260207T120000000Z-0`, lock]);
  });

  it('replaced behind the store by a good file is verified once, then replaced', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    await writeFile(join(dir, main), encodeCheckpoint(version(7)));
    await writer.save(version(2));
    expect(await writer.load()).toEqual(version(2));
  });

  it('missing while its backup is intact: a run restores it from the backup', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    await writer.release();
    await rm(join(dir, main));
    expect(await store().load()).toEqual(version(1));
    expect(await listDir(dir)).toEqual([backup]);
    const events: RecoverEvent[] = [];
    const next = await lockedStore();
    next.onRecover((event) => events.push(event));
    expect(await next.load()).toEqual(version(1));
    expect(events).toMatchObject([{ from: 'backup', path: join(dir, main), movedTo: join(dir, main) }]);
    expect(await listDir(dir)).toEqual([main, backup, lock]);
  });
});

describe('a newer format version', () => {
  const newer = '{"version":"2.0","feature_id":"F052","layout":"new"}';

  it('is refused on load and left untouched', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, main), newer);
    for (const reader of [store(), await lockedStore()]) {
      const error: unknown = await reader.load().catch((caught: unknown) => caught);
      expect(isCheckpointVersionError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'CHECKPOINT_VERSION', path: join(dir, main), version: '2.0' });
    }
    expect(await readFile(join(dir, main), 'utf8')).toBe(newer);
  });

  it('is not overwritten by a save', async () => {
    const writer = await lockedStore();
    await writeFile(join(dir, main), newer);
    await expect(writer.save(version(1))).rejects.toMatchObject({ code: 'CHECKPOINT_VERSION', version: '2.0' });
    expect(await readFile(join(dir, main), 'utf8')).toBe(newer);
    expect(await listDir(dir)).toEqual([main, lock]);
  });
});

describe('delete and leftovers', () => {
  async function seedLeftovers(): Promise<string[]> {
    const leftovers = [
      `${main}.new`,
      `${main}.new.3021446123`,
      `${main}.1234567`,
      `${main}.tmp`,
      `${backup}.link-${'ab'.repeat(16)}`,
      `${main}.link-${'cd'.repeat(16)}`,
    ];
    const others = [
      'F053-checkpoint.json',
      'F053-checkpoint.json.new.5',
      'F053-checkpoint.json.bak',
      // Feature "F052-checkpoint.json.5": its files start like ours.
      'F052-checkpoint.json.5-checkpoint.json',
      'F052-checkpoint.json.5-checkpoint.json.new.7',
      'notes.txt',
    ];
    for (const name of [...leftovers, ...others]) await writeFile(join(dir, name), 'x');
    return others;
  }

  it('delete removes the checkpoint, backup and temp files, keeps the lock, .corrupt files and other features', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    await writer.save(version(2));
    const others = await seedLeftovers();
    await writeFile(join(dir, `${main}.corrupt-20260101T000000000Z-0`), 'evidence');
    await writer.delete();
    expect(writer.isLocked).toBe(true);
    expect(await listDir(dir)).toEqual([...others, `${main}.corrupt-20260101T000000000Z-0`, lock].sort());
    expect(await writer.load()).toBeNull();
    // The store goes on working after a delete (a fresh start).
    await writer.save(version(1));
    expect(await writer.load()).toEqual(version(1));
  });

  it('acquire removes the temp files a killed writer left, and nothing else (a backup without its checkpoint holds progress)', async () => {
    await mkdir(dir, { recursive: true });
    const others = await seedLeftovers();
    await writeFile(join(dir, backup), encodeCheckpoint(version(1)));
    const syncs = vi.spyOn(disk, 'syncDirectory');
    await lockedStore();
    expect(await listDir(dir)).toEqual([...others, backup, lock].sort());
    expect(syncs).toHaveBeenLastCalledWith(dir);
  });

  it('fsyncs the directory after delete and after moving a damaged file aside', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    await writer.save(version(2));
    const steps: string[] = [];
    const { unlink, link: linkFile, syncDirectory } = disk;
    vi.spyOn(disk, 'unlink').mockImplementation(async (path) => {
      steps.push(`unlink ${String(path).slice(dir.length + 1)}`);
      return unlink(path);
    });
    vi.spyOn(disk, 'link').mockImplementation(async (existing, target) => {
      steps.push(
        `link ${String(target)
          .slice(dir.length + 1)
          .replace(/[0-9a-f]{32}/, 'H')}`,
      );
      return linkFile(existing, target);
    });
    vi.spyOn(disk, 'syncDirectory').mockImplementation(async (path) => {
      steps.push('sync');
      return syncDirectory(path);
    });
    await damage(join(dir, main));
    await writer.load();
    expect(steps.filter((step) => !step.startsWith('unlink'))).toEqual([`link ${main}.corrupt-20260207T120000000Z-0`, 'sync']);
    steps.length = 0;
    await writer.delete();
    // The backup before the checkpoint: a delete cut short leaves a checkpoint, never a lone backup.
    expect(steps).toEqual([`unlink ${main}.journal`, `unlink ${backup}`, `unlink ${main}`, 'sync']);
  });

  it('never writes into an existing file: another name for the old checkpoint keeps its content', async () => {
    const writer = await lockedStore();
    await writer.save(version(1));
    await link(join(dir, main), join(dir, 'hard-link-by-user'));
    await writer.save(version(2));
    expect(await readFile(join(dir, 'hard-link-by-user'))).toEqual(encodeCheckpoint(version(1)));
  });
});
