import { utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveTokens, type LockRecord } from './lock-record.js';
import { candidateName, claimName, removeLeftovers } from './lock-side-files.js';
import { deadPid, listDir, makeTempDir, manualClock, type ManualClock } from './test-support.js';

const STALE_MS = 30_000;
let dir: string;
let cleanup: () => Promise<void>;
let clock: ManualClock;
let lockPath: string;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  clock = manualClock();
  lockPath = join(dir, 'F052-checkpoint.json.lock');
});

afterEach(async () => {
  await cleanup();
});

const record = (pid: number, token: string, host = hostname()): LockRecord => ({ pid, host, since: 'x', token });
const sweep = () => removeLeftovers({ lockPath, hostname: hostname(), clock, staleMs: STALE_MS });
/** Writes each file with its mtime at the clock's now: fresh, so only a dead writer makes it a leftover. */
const touch = async (...paths: string[]) => {
  const now = new Date(clock.now());
  for (const path of paths) {
    await writeFile(path, '');
    await utimes(path, now, now);
  }
};

describe('the side files of a lock', () => {
  it('removes every kind of file a dead acquirer can leave: its temp file, its claim, and the temp file of its claim', async () => {
    // The names come from the functions the lock itself uses: a drift between naming and sweeping would leave them forever.
    const dead = record(await deadPid(), 'a'.repeat(32));
    const claim = claimName(lockPath, 'b'.repeat(32), 0);
    await touch(candidateName(lockPath, dead), claim, candidateName(claim, dead));
    await sweep();
    expect(await listDir(dir)).toEqual([]);
  });

  it('keeps the temp files of an acquirer at work in this process, and everything that only looks like a side file', async () => {
    const ours = record(process.pid, 'c'.repeat(32));
    liveTokens.add(ours.token);
    try {
      const keep = [
        candidateName(lockPath, ours),
        join(dir, 'F052-checkpoint.json.lock.notes.tmp'),
        join(dir, 'F052-checkpoint.json.lock.steal-short-0'),
        candidateName(join(dir, 'F053-checkpoint.json.lock'), record(await deadPid(), 'd'.repeat(32))),
      ];
      await touch(...keep);
      await sweep();
      expect(await listDir(dir)).toEqual(keep.map((path) => path.slice(dir.length + 1)).sort());
    } finally {
      liveTokens.delete(ours.token);
    }
  });

  it('removes the temp file of a writer on another host only once it is older than staleMs', async () => {
    const remote = candidateName(lockPath, record(17, 'e'.repeat(32), 'elsewhere'));
    await touch(remote);
    await sweep();
    expect(await listDir(dir)).toEqual([remote.slice(dir.length + 1)]);
    await clock.advance(STALE_MS + 1_000);
    await sweep();
    expect(await listDir(dir)).toEqual([]);
  });
});
