import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Checkpoint } from './checkpoint.js';
import { encodeCheckpoint } from './checkpoint-codec.js';
import { CheckpointStore } from './checkpoint-store.js';
import { disk } from './disk.js';
import { isCheckpointWriteError } from './errors.js';
import { replaceFsCallback, injectStepFaults } from './step-faults.js';
import { listDir, makeTempDir, sampleCheckpoint, systemError } from './test-support.js';

let dir: string;
let cleanup: () => Promise<void>;
let writer: CheckpointStore;
const old: Checkpoint = { ...sampleCheckpoint(30), seq: 1 };
const next: Checkpoint = { ...sampleCheckpoint(30, 20), seq: 2 };
const files = ['F052-checkpoint.json', 'F052-checkpoint.json.bak', 'F052-checkpoint.json.lock'];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  writer = new CheckpointStore({ featureId: 'F052', dir });
  await writer.acquire();
  await writer.save({ ...sampleCheckpoint(30, 5), seq: 0 });
  await writer.save(old);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await writer.release();
  await cleanup();
});

async function expectOldCheckpointAndNoTempFiles(): Promise<void> {
  expect(await readFile(join(dir, 'F052-checkpoint.json'))).toEqual(encodeCheckpoint(old));
  expect(await new CheckpointStore({ featureId: 'F052', dir }).load()).toEqual(old);
  expect(await listDir(dir)).toEqual(files);
}

describe('a save that fails', () => {
  it('on a short write (a full disk) is detected by reading back, and replaces nothing', async () => {
    // What libuv reports when the disk fills mid-file: fewer bytes written, no error.
    replaceFsCallback('write', (original, [fd, buffer, offset, length, position], callback) => {
      original(fd, buffer, offset, Math.floor((length as number) / 2), position, callback);
    });
    const error: unknown = await writer.save(next).catch((caught: unknown) => caught);
    expect(isCheckpointWriteError(error)).toBe(true);
    const size = encodeCheckpoint(next).length;
    expect(error).toMatchObject({ code: 'CHECKPOINT_WRITE', reason: `${Math.floor(size / 2)} of ${size} bytes` });
    await expectOldCheckpointAndNoTempFiles();
  });

  it.each([
    ['write', 'ENOSPC'],
    ['fsync', 'EIO'],
    ['rename', 'EIO'],
  ])('when write-file-atomic’s %s fails (%s) keeps the old checkpoint and leaves no temp file', async (name, code) => {
    replaceFsCallback(name, (_original, _args, callback) => {
      setImmediate(() => {
        callback(systemError(code));
      });
    });
    await expect(writer.save(next)).rejects.toMatchObject({ code });
    await expectOldCheckpointAndNoTempFiles();
  });

  it('when writing the backup copy fails keeps the old checkpoint and backup', async () => {
    const { writeFileAtomic } = disk;
    vi.spyOn(disk, 'writeFileAtomic').mockImplementation(async (path, bytes) => {
      if (path.endsWith('.bak.new')) throw systemError('ENOSPC');
      return writeFileAtomic(path, bytes);
    });
    await expect(writer.save(next)).rejects.toMatchObject({ code: 'ENOSPC' });
    await expectOldCheckpointAndNoTempFiles();
  });

  it('at any single file-system step leaves the old or the new checkpoint, complete, and the store usable', async () => {
    // Count the steps of a clean save, then fail each one in turn.
    const faults = injectStepFaults(['open', 'readFile', 'readdir', 'stat', 'link', 'rename', 'unlink', 'syncDirectory']);
    await writer.save(next);
    const steps = faults.calls();
    expect(steps).toBeGreaterThan(10);

    const outcomes = new Set<string>();
    for (let failAt = 1; failAt <= steps; failAt += 1) {
      faults.reset(0);
      await writer.save(old);
      faults.reset(failAt);
      const failed = await writer.save(next).then(
        () => false,
        () => true,
      );
      faults.reset(0);
      expect(failed).toBe(true);
      // A failed save leaves no temp file behind.
      expect({ step: failAt, names: await listDir(dir) }).toEqual({ step: failAt, names: files });
      const loaded = await new CheckpointStore({ featureId: 'F052', dir }).load();
      outcomes.add(loaded?.['seq'] === 2 ? 'new' : 'old');
      expect([old, next]).toContainEqual(loaded);
      // Still usable: the next save goes through.
      await writer.save(next);
      expect(await writer.load()).toEqual(next);
    }
    // Failures before the rename keep the old checkpoint, failures after it (the directory fsync) the new.
    expect(outcomes).toEqual(new Set(['old', 'new']));
    expect(await listDir(dir)).toEqual(files);
  });
});
