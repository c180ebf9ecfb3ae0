import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from './checkpoint-store.js';
import type { Checkpoint } from './checkpoint.js';
import {
  applyUpdate,
  checkpointAt,
  deadPid,
  listDir,
  makeTempDir,
  sampleCheckpoint,
  spawnChild,
  updateAt,
  updaterBase,
  type Child,
} from './test-support.js';

let dir: string;
let cleanup: () => Promise<void>;
const children: Child[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await child.exited;
  }
  await cleanup();
});

function start(args: readonly string[], options?: { fileSizeLimitKb?: number }): Child {
  const child = spawnChild(args, options);
  children.push(child);
  return child;
}

async function killNow(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  const { signal } = await child.exited;
  expect(signal).toBe('SIGKILL');
}

describe('a writer killed with SIGKILL at random instants', () => {
  it('always leaves a complete checkpoint: the last acknowledged one or the one being written', { timeout: 120_000 }, async () => {
    const reader = new CheckpointStore({ featureId: 'F052', dir });
    let recoveries = 0;
    reader.onRecover(() => {
      recoveries += 1;
    });
    // The writer kills itself just before or after its k-th file-system call: in acquire, in load, or at
    // any step of a save (a save is about 25 calls, including write-file-atomic's).
    const kills = fc.sample(fc.tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom('before', 'after')), {
      numRuns: 40,
      seed: 52,
    });
    let acknowledged = 0;
    let killsLeavingTempFiles = 0;
    let killsAfterPublishing = 0;
    for (const [call, when] of kills) {
      const child = start(['saver', dir, 'F052', String(call), when]);
      expect((await child.exited).signal).toBe('SIGKILL');
      const printed = child.printed();
      // A new writer takes over the lock of the killed one at once (its pid is gone) and resumes from
      // what it loads.
      if (printed.length > 0) expect(printed[0]).toBe(`ready ${acknowledged}`);
      const saved = printed.filter((line) => line.startsWith('saved '));
      if (saved.length > 0) acknowledged = Number(saved.at(-1)!.slice('saved '.length));

      if ((await listDir(dir)).some((name) => /\.(?:new|\d+)$/.test(name))) killsLeavingTempFiles += 1;
      const loaded = await reader.load();
      if (acknowledged === 0 && loaded === null) continue;
      const seq = loaded?.['seq'];
      // Never older than the last save that resolved: an acknowledged save is never lost to a crash.
      expect([acknowledged, acknowledged + 1]).toContain(seq);
      expect(loaded).toEqual(checkpointAt(seq as number));
      if (seq !== acknowledged) killsAfterPublishing += 1;
      acknowledged = seq as number;
    }
    expect(recoveries).toBe(0);
    expect((await listDir(dir)).filter((name) => name.includes('.corrupt'))).toEqual([]);
    // The kills did land inside saves, both before and after the new checkpoint was in place.
    expect(killsLeavingTempFiles).toBeGreaterThan(0);
    expect(killsAfterPublishing).toBeGreaterThan(0);

    // The next writer removes whatever temp files the killed ones left.
    const writer = new CheckpointStore({ featureId: 'F052', dir });
    await writer.acquire();
    expect(await listDir(dir)).toEqual(['F052-checkpoint.json', 'F052-checkpoint.json.bak', 'F052-checkpoint.json.lock']);
    await writer.release();
  });
});

describe('an updater killed with SIGKILL at random instants', () => {
  it('always loads the last acknowledged update or the one being written, compactions included', { timeout: 120_000 }, async () => {
    const states: Checkpoint[] = [updaterBase()];
    const stateAfter = (count: number): Checkpoint => {
      while (states.length <= count) states.push(applyUpdate(states.at(-1)!, updateAt(states.length)));
      return states[count]!;
    };
    const reader = new CheckpointStore({ featureId: 'F052', dir });
    let recoveries = 0;
    reader.onRecover(() => {
      recoveries += 1;
    });
    // An update is 3 calls (the lock check, a write, an fdatasync); about every 25th is a compaction of 17.
    const kills = fc.sample(fc.tuple(fc.integer({ min: 1, max: 250 }), fc.constantFrom('before', 'after')), {
      numRuns: 40,
      seed: 53,
    });
    let acknowledged = 0;
    let killsInCompaction = 0;
    let killsAfterDurable = 0;
    for (const [call, when] of kills) {
      const child = start(['updater', dir, 'F052', String(call), when]);
      expect((await child.exited).signal).toBe('SIGKILL');
      const printed = child.printed();
      if (printed.length > 0) expect(printed[0]).toBe(`ready ${acknowledged}`);
      const updated = printed.filter((line) => line.startsWith('updated '));
      if (updated.length > 0) acknowledged = Number(updated.at(-1)!.slice('updated '.length));

      if ((await listDir(dir)).some((name) => /\.(?:new|\d+)$/.test(name))) killsInCompaction += 1;
      const loaded = await reader.load();
      // Killed before the first save (of the base) resolved.
      if (acknowledged === 0 && loaded === null) continue;
      const count = loaded?.circuit_breaker?.success_count ?? -1;
      // Never older than the last update that resolved.
      expect([acknowledged, acknowledged + 1]).toContain(count);
      expect(loaded).toEqual(stateAfter(count));
      if (count !== acknowledged) killsAfterDurable += 1;
      acknowledged = count;
    }
    expect(acknowledged).toBeGreaterThan(60);
    expect(recoveries).toBe(0);
    expect((await listDir(dir)).filter((name) => name.includes('.corrupt'))).toEqual([]);
    expect(killsInCompaction).toBeGreaterThan(0);
    expect(killsAfterDurable).toBeGreaterThan(0);

    const writer = new CheckpointStore({ featureId: 'F052', dir });
    await writer.acquire();
    expect(await writer.load()).toEqual(stateAfter(acknowledged));
    await writer.compact();
    expect(await listDir(dir)).toEqual(['F052-checkpoint.json', 'F052-checkpoint.json.bak', 'F052-checkpoint.json.lock']);
    await writer.release();
  });
});

describe('a full disk (writes cut short by ulimit -f)', () => {
  it('write-file-atomic alone resolves and publishes the truncated file: the gap this package closes', async () => {
    const file = join(dir, 'plain.json');
    const child = start(['wfa', file, '256'], { fileSizeLimitKb: 64 });
    expect(JSON.parse(await child.nextLine())).toEqual({ resolved: true, expected: 256 * 1024, size: 64 * 1024 });
  });

  it('never replaces a good checkpoint with a short one', async () => {
    const child = start(['fill', dir, 'F052', '256', '1'], { fileSizeLimitKb: 64 });
    expect(await child.nextLine()).toBe('saved small');
    const outcome = JSON.parse(await child.nextLine()) as { ok: boolean; error: Record<string, unknown> };
    expect(outcome.ok).toBe(false);
    // Serialized by the child: a plain object, recognised by its name and code.
    expect(outcome.error).toMatchObject({ name: 'CheckpointWriteError', code: 'CHECKPOINT_WRITE' });
    expect(outcome.error['message']).toMatch(/\(65536 of \d{6} bytes\)/);
    expect((await child.exited).code).toBe(0);

    const store = new CheckpointStore({ featureId: 'F052', dir });
    expect(await store.load()).toEqual({ ...sampleCheckpoint(3), pad: '' });
    // No temp file and no staging file left behind.
    expect(await listDir(dir)).toEqual(['F052-checkpoint.json', 'F052-checkpoint.json.bak']);
  });

  it('keeps the good checkpoint when the write kills the writer (SIGXFSZ), and the next writer cleans up', async () => {
    const child = start(['fill', dir, 'F052', '256', '0'], { fileSizeLimitKb: 64 });
    expect(await child.nextLine()).toBe('saved small');
    expect((await child.exited).signal).toBe('SIGXFSZ');
    const store = new CheckpointStore({ featureId: 'F052', dir });
    expect(await store.load()).toEqual({ ...sampleCheckpoint(3), pad: '' });
    await store.acquire();
    expect(await listDir(dir)).toEqual(['F052-checkpoint.json', 'F052-checkpoint.json.bak', 'F052-checkpoint.json.lock']);
    await store.release();
  });
});

describe('two processes competing for the lock', () => {
  async function compete(): Promise<{ winner: Child; results: { won: boolean; pid: number; error?: Record<string, unknown> }[] }> {
    const contenders = [start(['contend', dir, 'F052']), start(['contend', dir, 'F052'])];
    for (const child of contenders) expect(await child.nextLine()).toBe('ready');
    for (const child of contenders) child.send('go');
    const results = await Promise.all(
      contenders.map(async (child) => JSON.parse(await child.nextLine()) as { won: boolean; pid: number; error?: Record<string, unknown> }),
    );
    const winnerIndex = results.findIndex((result) => result.won);
    return { winner: contenders[winnerIndex]!, results };
  }

  function expectOneWinner(results: { won: boolean; pid: number; error?: Record<string, unknown> }[]): void {
    const winners = results.filter((result) => result.won);
    const losers = results.filter((result) => !result.won);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]!.error).toMatchObject({
      name: 'CheckpointLockedError',
      code: 'CHECKPOINT_LOCKED',
      holder: { pid: winners[0]!.pid, host: expect.any(String) as string, since: expect.any(String) as string },
    });
  }

  it('exactly one wins on a free lock; the loser is told who holds it', { timeout: 30_000 }, async () => {
    for (let round = 0; round < 3; round += 1) {
      const { winner, results } = await compete();
      expectOneWinner(results);
      const lock = JSON.parse(await readFile(join(dir, 'F052-checkpoint.json.lock'), 'utf8')) as { pid: number };
      expect(lock.pid).toBe(winner.process.pid);
      for (const child of children.splice(0)) {
        child.send('exit');
        expect((await child.exited).code).toBe(0);
      }
      expect(await listDir(dir)).toEqual([]);
    }
  });

  it('exactly one takes over the lock of a dead holder', { timeout: 30_000 }, async () => {
    const lock = { pid: await deadPid(), host: hostname(), since: '2026-02-07T12:00:00.000Z', token: 'f'.repeat(32) };
    for (let round = 0; round < 3; round += 1) {
      await writeFile(join(dir, 'F052-checkpoint.json.lock'), JSON.stringify(lock));
      const { results } = await compete();
      expectOneWinner(results);
      for (const child of children.splice(0)) child.process.kill('SIGKILL');
    }
  });

  it('takes over the lock of a holder killed with SIGKILL at once', async () => {
    const holder = start(['contend', dir, 'F052']);
    expect(await holder.nextLine()).toBe('ready');
    holder.send('go');
    expect(JSON.parse(await holder.nextLine())).toMatchObject({ won: true });
    const store = new CheckpointStore({ featureId: 'F052', dir });
    await expect(store.acquire()).rejects.toMatchObject({ code: 'CHECKPOINT_LOCKED', holder: { pid: holder.process.pid } });
    await killNow(holder);
    await store.acquire();
    expect(store.isLocked).toBe(true);
    await store.release();
  });
});
