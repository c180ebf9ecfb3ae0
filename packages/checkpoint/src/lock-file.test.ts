import { createHash } from 'node:crypto';
import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckpointStore } from './checkpoint-store.js';
import type { CheckpointStoreOptions } from './checkpoint-store-options.js';
import { disk } from './disk.js';
import { isCheckpointLockedError, isCheckpointLockLostError, isCheckpointNotLockedError } from './errors.js';
import { deadPid, listDir, makeTempDir, manualClock, sampleCheckpoint, type ManualClock } from './test-support.js';

const STALE_MS = 30_000;
let dir: string;
let cleanup: () => Promise<void>;
let clock: ManualClock;
let lockPath: string;
const stores: CheckpointStore[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  clock = manualClock();
  lockPath = join(dir, 'F052-checkpoint.json.lock');
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  for (const store of stores.splice(0)) await store.release();
  await cleanup();
});

function store(options: Partial<CheckpointStoreOptions> = {}): CheckpointStore {
  const created = new CheckpointStore({ featureId: 'F052', dir, clock, staleMs: STALE_MS, ...options });
  stores.push(created);
  return created;
}

/** Writes a lock file as another process would have, its heartbeat `ageMs` old. */
async function writeLock(record: { pid: number; host: string; token?: string }, ageMs = 0): Promise<void> {
  const since = new Date(clock.now() - ageMs);
  await writeFile(lockPath, JSON.stringify({ token: 'a'.repeat(32), since: since.toISOString(), ...record }));
  await utimes(lockPath, since, since);
}

async function lockToken(): Promise<string> {
  return (JSON.parse(await readFile(lockPath, 'utf8')) as { token: string }).token;
}

function hostTag(host: string): string {
  return createHash('sha256').update(host).digest('hex').slice(0, 8);
}

describe('the single-writer lock', () => {
  it('lets one store hold it; another gets CheckpointLockedError naming pid, host and since', async () => {
    const first = store({ hostname: 'host-a' });
    const second = store({ hostname: 'host-a' });
    await first.acquire();
    expect(first.isLocked).toBe(true);
    const error: unknown = await second.acquire().catch((caught: unknown) => caught);
    expect(isCheckpointLockedError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'CHECKPOINT_LOCKED',
      path: lockPath,
      holder: { pid: process.pid, host: 'host-a', since: new Date(clock.now()).toISOString() },
      message: expect.stringContaining(`held by pid ${process.pid} on host-a`) as string,
    });
    expect(second.isLocked).toBe(false);
    await first.release();
    await second.acquire();
    expect(second.isLocked).toBe(true);
  });

  it('acquire and release are idempotent; release removes the lock file', async () => {
    const holder = store();
    await holder.acquire();
    const token = await lockToken();
    await holder.acquire();
    expect(await lockToken()).toBe(token);
    await holder.release();
    await holder.release();
    expect(holder.isLocked).toBe(false);
    expect(await listDir(dir)).toEqual([]);
  });

  it('takes over at once the lock of a dead process on this host', async () => {
    await writeLock({ pid: await deadPid(), host: hostname() });
    const taker = store();
    await taker.acquire();
    expect(await lockToken()).not.toBe('a'.repeat(32));
  });

  it('takes over at once a lock naming this pid with a token this process never held (pid reuse)', async () => {
    await writeLock({ pid: process.pid, host: hostname() });
    await store().acquire();
    expect(await lockToken()).not.toBe('a'.repeat(32));
  });

  it('leaves a live process of this host its lock while its heartbeat is fresh, and takes it when stale', async () => {
    await writeLock({ pid: process.ppid, host: hostname() }, STALE_MS);
    await expect(store().acquire()).rejects.toMatchObject({ code: 'CHECKPOINT_LOCKED', holder: { pid: process.ppid } });
    clock.tick(1);
    // No heartbeat for longer than staleMs: frozen, or its pid was reused by an unrelated process.
    await store().acquire();
  });

  it('takes a lock from another host only after its heartbeat is older than staleMs', async () => {
    const remote = store({ hostname: 'host-a' });
    const local = store({ hostname: 'host-b' });
    const lost: string[] = [];
    remote.onLockCompromised((event) => lost.push(event.reason));
    await remote.acquire();
    clock.tick(STALE_MS);
    await expect(local.acquire()).rejects.toMatchObject({ code: 'CHECKPOINT_LOCKED', holder: { host: 'host-a' } });
    clock.tick(1);
    await local.acquire();
    expect(local.isLocked).toBe(true);

    // The old holder finds out before its next write, which is refused.
    const error: unknown = await remote.save(sampleCheckpoint(2)).catch((caught: unknown) => caught);
    expect(isCheckpointLockLostError(error)).toBe(true);
    expect(isCheckpointNotLockedError(error)).toBe(false);
    expect(lost).toEqual([`taken over by pid ${process.pid} on host-b`]);
    expect(remote.isLocked).toBe(false);
    await remote.release();
    expect(local.isLocked).toBe(true);
    await local.save(sampleCheckpoint(2));
  });

  it('keeps the lock fresh with a heartbeat', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const holder = store({ hostname: 'host-a', heartbeatMs: 10_000 });
    await holder.acquire();
    clock.tick(20_000);
    vi.advanceTimersByTime(10_000);
    await vi.waitFor(async () => {
      expect((await stat(lockPath)).mtimeMs).toBeCloseTo(clock.now(), 0);
    });
    clock.tick(20_000);
    // 40 s since acquire, 20 s since the last heartbeat.
    await expect(store({ hostname: 'host-b' }).acquire()).rejects.toMatchObject({ code: 'CHECKPOINT_LOCKED' });
  });

  it('notices at the next heartbeat that the lock was taken over, and tells once', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const holder = store({ heartbeatMs: 1_000 });
    const lost: string[] = [];
    holder.onLockCompromised((event) => lost.push(event.reason));
    await holder.acquire();
    await writeLock({ pid: 4242, host: 'elsewhere', token: 'b'.repeat(32) });
    vi.advanceTimersByTime(1_000);
    await vi.waitFor(() => {
      expect(lost).toEqual(['taken over by pid 4242 on elsewhere']);
    });
    vi.advanceTimersByTime(5_000);
    expect(holder.isLocked).toBe(false);
    await expect(holder.save(sampleCheckpoint(2))).rejects.toMatchObject({
      code: 'CHECKPOINT_LOCK_LOST',
      name: 'CheckpointLockLostError',
      message: expect.stringContaining('was lost (taken over by pid 4242 on elsewhere)') as string,
    });
    // Every later write is refused the same way, update and compact and delete included.
    await expect(holder.update({ timestamp: '2026-02-07T12:00:00Z' })).rejects.toMatchObject({ code: 'CHECKPOINT_LOCK_LOST' });
    await expect(holder.compact()).rejects.toMatchObject({ code: 'CHECKPOINT_LOCK_LOST' });
    await expect(holder.delete()).rejects.toMatchObject({ code: 'CHECKPOINT_LOCK_LOST' });
    // Releasing leaves the new holder's lock alone.
    await holder.release();
    await expect(holder.save(sampleCheckpoint(2))).rejects.toMatchObject({ code: 'CHECKPOINT_LOCK_LOST' });
    expect(await lockToken()).toBe('b'.repeat(32));
    expect(lost).toHaveLength(1);
  });

  it('notices a removed lock file before writing', async () => {
    const holder = store();
    await holder.acquire();
    await disk.unlink(lockPath);
    await expect(holder.save(sampleCheckpoint(2))).rejects.toMatchObject({
      code: 'CHECKPOINT_LOCK_LOST',
      message: expect.stringContaining('the lock file was removed') as string,
    });
  });

  it('treats an unreadable lock file as held until it is older than staleMs', async () => {
    await writeFile(lockPath, '{"pid":');
    await utimes(lockPath, new Date(clock.now()), new Date(clock.now()));
    await expect(store().acquire()).rejects.toMatchObject({ code: 'CHECKPOINT_LOCKED', holder: { pid: 0, host: 'unknown' } });
    clock.tick(STALE_MS + 1);
    await store().acquire();
  });

  it('lets exactly one of many racing stores take over a stale lock', async () => {
    await writeLock({ pid: await deadPid(), host: hostname() });
    const racers = Array.from({ length: 8 }, () => store());
    const outcomes = await Promise.allSettled(racers.map((racer) => racer.acquire()));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(isCheckpointLockedError(outcome.reason)).toBe(true);
    }
    expect(racers.filter((racer) => racer.isLocked)).toHaveLength(1);
  });

  it('never lets a slow stealer remove the lock a faster one just took (the proper-lockfile #121 race)', async () => {
    await writeLock({ pid: await deadPid(), host: hostname() });
    const slow = store();
    const fast = store();
    const link = disk.link;
    let paused: (() => void) | undefined;
    const pausedAtClaim = new Promise<void>((resolve) => (paused = resolve));
    let resume: () => void = () => undefined;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    vi.spyOn(disk, 'link').mockImplementation(async (existing, target) => {
      if (String(target).includes('.steal-') && paused !== undefined) {
        // The slow one judged the lock stale and is about to act on that judgement.
        paused();
        paused = undefined;
        await resumed;
      }
      return link(existing, target);
    });
    const slowAcquire = slow.acquire();
    await pausedAtClaim;
    await fast.acquire();
    const fastToken = await lockToken();
    resume();
    await expect(slowAcquire).rejects.toMatchObject({ code: 'CHECKPOINT_LOCKED' });
    expect(await lockToken()).toBe(fastToken);
    expect([slow.isLocked, fast.isLocked]).toEqual([false, true]);
    await fast.save(sampleCheckpoint(2));
  });

  it('makes a stealer start over when the stale lock it claimed was replaced meanwhile', async () => {
    await writeLock({ pid: await deadPid(), host: hostname(), token: 'c'.repeat(32) });
    const first = store();
    const second = store();
    const { link, rename } = disk;
    const pause = (): { reached: Promise<void>; arrive: () => void; resume: () => void; resumed: Promise<void> } => {
      let arrive: () => void = () => undefined;
      let resume: () => void = () => undefined;
      const reached = new Promise<void>((resolve) => (arrive = resolve));
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      return { reached, arrive, resume, resumed };
    };
    const atClaim = pause();
    const atReplace = pause();
    let claimPaused = false;
    let replacePaused = false;
    vi.spyOn(disk, 'link').mockImplementation(async (existing, target) => {
      if (String(target).includes('.steal-') && !claimPaused) {
        claimPaused = true;
        atClaim.arrive();
        await atClaim.resumed;
      }
      return link(existing, target);
    });
    vi.spyOn(disk, 'rename').mockImplementation(async (from, to) => {
      if (to === lockPath && !replacePaused) {
        replacePaused = true;
        atReplace.arrive();
        await atReplace.resumed;
      }
      return rename(from, to);
    });
    // The first stealer claims the dead lock c...c, but is slow to do so.
    const firstAcquire = first.acquire();
    await atClaim.reached;
    // Meanwhile the lock became another dead process's (e...e), and a second stealer is replacing that one.
    await writeLock({ pid: await deadPid(), host: hostname(), token: 'e'.repeat(32) });
    const secondAcquire = second.acquire();
    await atReplace.reached;
    atClaim.resume();
    // Its claim is for a lock that is gone: it looks again, and finds the second stealer at work.
    await expect(firstAcquire).rejects.toMatchObject({ code: 'CHECKPOINT_LOCKED' });
    atReplace.resume();
    await secondAcquire;
    expect([first.isLocked, second.isLocked]).toEqual([false, true]);
  });

  it('names the stealer at work as the holder while a take-over is in progress', async () => {
    await writeLock({ pid: 4242, host: 'gone' }, STALE_MS + 1);
    const first = store({ hostname: 'host-a' });
    const second = store({ hostname: 'host-b' });
    const rename = disk.rename;
    let paused: (() => void) | undefined;
    const pausedBeforeReplacing = new Promise<void>((resolve) => (paused = resolve));
    let resume: () => void = () => undefined;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    vi.spyOn(disk, 'rename').mockImplementation(async (from, to) => {
      if (to === lockPath && paused !== undefined) {
        paused();
        paused = undefined;
        await resumed;
      }
      return rename(from, to);
    });
    const firstAcquire = first.acquire();
    await pausedBeforeReplacing;
    await expect(second.acquire()).rejects.toMatchObject({ code: 'CHECKPOINT_LOCKED', holder: { host: 'host-a' } });
    resume();
    await firstAcquire;
    expect([first.isLocked, second.isLocked]).toEqual([true, false]);
  });

  it('passes over the claim of a stealer that died mid-take-over, and removes it', async () => {
    const staleToken = 'c'.repeat(32);
    await writeLock({ pid: await deadPid(), host: hostname(), token: staleToken });
    const claim = `${lockPath}.steal-${staleToken}-0`;
    await writeFile(claim, JSON.stringify({ pid: await deadPid(), host: hostname(), since: 'x', token: 'd'.repeat(32) }));
    await store().acquire();
    expect(await listDir(dir)).toEqual(['F052-checkpoint.json.lock']);
  });

  it('removes the temp files of dead acquirers, not those of acquirers that may still be at work', async () => {
    const here = hostTag(hostname());
    const dead = `F052-checkpoint.json.lock.${await deadPid()}.${here}.${'1'.repeat(32)}.tmp`;
    const alive = `F052-checkpoint.json.lock.${process.ppid}.${here}.${'2'.repeat(32)}.tmp`;
    const remoteFresh = `F052-checkpoint.json.lock.17.${hostTag('elsewhere')}.${'3'.repeat(32)}.tmp`;
    const remoteOld = `F052-checkpoint.json.lock.18.${hostTag('elsewhere')}.${'4'.repeat(32)}.tmp`;
    const otherFeature = `F053-checkpoint.json.lock.${await deadPid()}.${here}.${'5'.repeat(32)}.tmp`;
    for (const name of [dead, alive, remoteFresh, remoteOld, otherFeature]) {
      await writeFile(join(dir, name), '');
      await utimes(join(dir, name), new Date(clock.now()), new Date(clock.now()));
    }
    const old = new Date(clock.now() - STALE_MS - 1);
    await utimes(join(dir, remoteOld), old, old);
    await store().acquire();
    expect(await listDir(dir)).toEqual(['F052-checkpoint.json.lock', alive, remoteFresh, otherFeature].sort());
  });
});
