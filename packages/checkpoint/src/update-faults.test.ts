import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Checkpoint, CheckpointUpdate } from './checkpoint.js';
import { CheckpointStore } from './checkpoint-store.js';
import { disk } from './disk.js';
import { isCheckpointWriteError } from './errors.js';
import { injectStepFaults } from './step-faults.js';
import { applyUpdate, listDir, makeTempDir, sampleCheckpoint, systemError } from './test-support.js';

let dir: string;
let cleanup: () => Promise<void>;
let writer: CheckpointStore;

const base: Checkpoint = sampleCheckpoint(30, 5);
const main = 'F052-checkpoint.json';
const journal = 'F052-checkpoint.json.journal';
const lock = 'F052-checkpoint.json.lock';

/** `running` of 3000 ids (about 47 KiB) makes the second such update in a journal a compaction. */
function step(seq: number, runningCount = 3): CheckpointUpdate {
  const id = `00-052-${String(4 + seq).padStart(6, '0')}`;
  return {
    timestamp: new Date(Date.UTC(2026, 1, 7, 13) + seq * 1000).toISOString(),
    completed: [id],
    running: Array.from({ length: runningCount }, (_, index) => `00-052-${String(index).padStart(6, '0')}`),
    attempts: { [id]: seq },
  };
}

function after(...updates: CheckpointUpdate[]): Checkpoint {
  return updates.reduce(applyUpdate, base);
}

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  writer = new CheckpointStore({ featureId: 'F052', dir });
  await writer.acquire();
  await writer.save(base);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await writer.release();
  await cleanup();
});

async function loaded(): Promise<Checkpoint | null> {
  return new CheckpointStore({ featureId: 'F052', dir }).load();
}

/** `disk.write` writing only half of what it is asked, `times` times, then failing with `code` (or not). */
function shortWrites(times: number, code?: string): void {
  const { write } = disk;
  let calls = 0;
  vi.spyOn(disk, 'write').mockImplementation(async (handle, bytes, offset, length, position) => {
    calls += 1;
    if (calls > times) {
      if (code !== undefined) throw systemError(code);
      return write(handle, bytes, offset, length, position);
    }
    return write(handle, bytes, offset, Math.ceil(length / 2), position);
  });
}

describe('an update whose journal append fails', () => {
  it('loops on short writes (a filling disk) until the record is whole', async () => {
    await writer.update(step(1));
    shortWrites(3);
    await writer.update(step(2));
    expect(await loaded()).toEqual(after(step(1), step(2)));
  });

  it('rejects a write that makes no progress with CheckpointWriteError, and leaves no torn record', async () => {
    await writer.update(step(1));
    const before = await readFile(join(dir, journal));
    const { write } = disk;
    let calls = 0;
    vi.spyOn(disk, 'write').mockImplementation(async (handle, bytes, offset, _length, position) => {
      calls += 1;
      return calls === 1 ? write(handle, bytes, offset, 40, position) : { bytesWritten: 0, buffer: bytes };
    });
    const error: unknown = await writer.update(step(2)).catch((caught: unknown) => caught);
    expect(isCheckpointWriteError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CHECKPOINT_WRITE', reason: expect.stringMatching(/^40 of \d+ bytes$/) as string });
    expect((error as Error).message).toContain('was not updated: its journal record could not be written whole');
    expect(await readFile(join(dir, journal))).toEqual(before);
    vi.restoreAllMocks();
    await writer.update(step(3));
    expect(await loaded()).toEqual(after(step(1), step(3)));
  });

  it.each([
    ['write', 'ENOSPC'],
    ['datasync', 'EIO'],
  ] as const)('when %s fails (%s) cuts the record off again; the next update appends as if it never was', async (name, code) => {
    await writer.update(step(1));
    const before = await readFile(join(dir, journal));
    if (name === 'write') shortWrites(1, code);
    else vi.spyOn(disk, 'datasync').mockRejectedValueOnce(systemError(code));
    await expect(writer.update(step(2))).rejects.toMatchObject({ code });
    expect(await readFile(join(dir, journal))).toEqual(before);
    expect(await loaded()).toEqual(after(step(1)));
    vi.restoreAllMocks();
    await writer.update(step(3));
    expect(await loaded()).toEqual(after(step(1), step(3)));
  });

  it('when cutting it off fails too, the torn record stays last (ignored) and the next update compacts first', async () => {
    await writer.update(step(1));
    shortWrites(1, 'ENOSPC');
    vi.spyOn(disk, 'truncate').mockRejectedValueOnce(systemError('EIO'));
    await expect(writer.update(step(2))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect((await readFile(join(dir, journal))).length).toBeGreaterThan(0);
    expect(await loaded()).toEqual(after(step(1)));
    vi.restoreAllMocks();
    await writer.update(step(3));
    // Compacted: one checkpoint file with both resolved updates, no journal behind which the torn bytes could hide.
    expect(await listDir(dir)).toEqual([main, `${main}.bak`, lock]);
    expect(await loaded()).toEqual(after(step(1), step(3)));
  });
});

describe('an update that creates the journal and fails', () => {
  it.each([
    ['open', 'EACCES'],
    ['write', 'ENOSPC'],
    ['datasync', 'EIO'],
    ['syncDirectory', 'EIO'],
  ] as const)('at %s (%s) leaves no journal, and the next update creates it', async (name, code) => {
    if (name === 'write') shortWrites(1, code);
    else if (name === 'open') {
      const { open } = disk;
      vi.spyOn(disk, 'open').mockImplementation(async (path, flags) => {
        if (flags === 'wx') throw systemError(code);
        return open(path, flags);
      });
    } else vi.spyOn(disk, name).mockRejectedValueOnce(systemError(code));
    await expect(writer.update(step(1))).rejects.toMatchObject({ code });
    expect(await listDir(dir)).toEqual([main, `${main}.bak`, lock]);
    vi.restoreAllMocks();
    await writer.update(step(2));
    expect(await loaded()).toEqual(after(step(2)));
  });

  it('and cannot remove it: the next update compacts first', async () => {
    vi.spyOn(disk, 'datasync').mockRejectedValueOnce(systemError('EIO'));
    vi.spyOn(disk, 'unlink').mockRejectedValueOnce(systemError('EIO'));
    await expect(writer.update(step(1))).rejects.toMatchObject({ code: 'EIO' });
    // The record made it to the file, whose removal failed: what a later update must not build on.
    expect(await listDir(dir)).toEqual([main, `${main}.bak`, journal, lock]);
    vi.restoreAllMocks();
    await writer.update(step(2));
    expect(await listDir(dir)).toEqual([main, `${main}.bak`, lock]);
    expect(await loaded()).toEqual(after(step(2)));
  });
});

describe('an update or compaction failing at any single file-system step', () => {
  it.each([
    ['an append', [step(1)], (): Promise<void> => writer.update(step(2)), after(step(1)), after(step(1), step(2)), ['before']],
    ['a journal’s creation', [], (): Promise<void> => writer.update(step(1)), after(), after(step(1)), ['before']],
    [
      'a compaction inside update',
      [step(1, 3000)],
      (): Promise<void> => writer.update(step(2, 3000)),
      after(step(1, 3000)),
      after(step(1, 3000), step(2, 3000)),
      // After the rename (its directory fsync, the journal's removal) the new file stays, as for a save.
      ['after', 'before'],
    ],
    ['compact()', [step(1)], (): Promise<void> => writer.compact(), after(step(1)), after(step(1)), ['before']],
  ] as const)(
    '%s: the state before or after it, and the store goes on',
    { timeout: 60_000 },
    async (_, setup, operation, before, afterIt, expectedOutcomes) => {
      const prepare = async (): Promise<void> => {
        await writer.save(base);
        for (const change of setup) await writer.update(change);
      };
      const faults = injectStepFaults([
        'open',
        'readFile',
        'readdir',
        'stat',
        'link',
        'rename',
        'unlink',
        'syncDirectory',
        'write',
        'datasync',
        'truncate',
      ]);
      await prepare();
      faults.reset(0);
      await operation();
      const steps = faults.calls();
      expect(steps).toBeGreaterThan(2);

      const outcomes = new Set<string>();
      for (let failAt = 1; failAt <= steps; failAt += 1) {
        faults.reset(0);
        await prepare();
        faults.reset(failAt);
        const failed = await operation().then(
          () => false,
          () => true,
        );
        faults.reset(0);
        expect({ failAt, failed }).toEqual({ failAt, failed: true });
        const now = await loaded();
        outcomes.add(JSON.stringify(now) === JSON.stringify(before) ? 'before' : 'after');
        expect([before, afterIt]).toContainEqual(now);
        // No temp file is left, and the store goes on from what it holds (the operation did not happen).
        expect((await listDir(dir)).filter((name) => /\.(?:new|\d+|link-[0-9a-f]+)$/.test(name))).toEqual([]);
        await writer.update(step(9));
        expect(await loaded()).toEqual(applyUpdate(before, step(9)));
      }
      expect([...outcomes].sort()).toEqual(expectedOutcomes);
    },
  );
});
