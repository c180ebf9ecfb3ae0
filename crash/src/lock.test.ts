import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { CheckpointStore } from '@sdp/checkpoint';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chain, gatedExecutor, Sandbox } from './sandbox.js';

// The single-writer lock, through the CLI: a live holder, a holder that died (on this host, and on
// another host sharing the folder), and a CLI killed with SIGKILL mid-run.

let sandbox: Sandbox;
let feature: string;
const ids = chain(75, 4).map((spec) => spec.id);
const lockFile = () => `${sandbox.checkpointFile('F075')}.lock`;

beforeEach(async () => {
  sandbox = await Sandbox.create();
  feature = await sandbox.writeFeature('feature', chain(75, 4));
});

afterEach(async () => {
  await sandbox.cleanup();
});

/** The pid of a process that has exited: nothing runs under it. */
async function deadPid(): Promise<number> {
  const holder = await sandbox.holdLock('F000');
  await holder.release();
  return holder.pid;
}

async function writeLock(record: { pid: number; host: string }, ageMs: number): Promise<void> {
  await mkdir(sandbox.checkpointDir, { recursive: true });
  const since = new Date(Date.now() - ageMs);
  await writeFile(lockFile(), JSON.stringify({ ...record, since: since.toISOString(), token: 'e'.repeat(32) }));
  await utimes(lockFile(), since, since);
}

describe('the checkpoint lock', () => {
  it('held by a live process: run and clean exit 2 naming it, status still reads; once released, the run goes', async () => {
    const holder = await sandbox.holdLock('F075');
    const expected =
      `Checkpoint lock <tmp>/cwd/.sdp/checkpoints/F075-checkpoint.json.lock is held by pid ${holder.pid} on <host> since <time>; ` +
      'wait for that run to finish or stop it; is another run of this feature still going?';
    const run = await sandbox.run(['run', feature, '--exec', gatedExecutor]);
    expect(run.code).toBe(2);
    expect(sandbox.normalize(run.stderr)).toBe(`sdp-dispatch: ${expected}\n`);
    expect(await sandbox.starts()).toEqual([]);
    const clean = await sandbox.run(['clean', feature]);
    expect(clean.code).toBe(2);
    expect(sandbox.normalize(clean.stderr)).toBe(`sdp-dispatch: ${expected}\n`);
    const status = await sandbox.run(['status', feature]);
    expect(status.code).toBe(0);

    await holder.release();
    expect((await sandbox.run(['run', feature, '--exec', gatedExecutor])).code).toBe(0);
    expect(await sandbox.starts()).toEqual(ids);
  });

  it('left by a dead process on this host is taken over at once', async () => {
    await writeLock({ pid: await deadPid(), host: hostname() }, 0);
    const run = await sandbox.run(['run', feature, '--exec', gatedExecutor]);
    expect(run.code).toBe(0);
    expect(await sandbox.starts()).toEqual(ids);
    expect(await sandbox.checkpointFiles()).toEqual([]);
  });

  it('of another host is respected while its heartbeat is fresh, and taken over once stale (30 s)', async () => {
    await writeLock({ pid: 4242, host: 'build-agent-7' }, 5_000);
    const refused = await sandbox.run(['run', feature, '--exec', gatedExecutor]);
    expect(refused.code).toBe(2);
    expect(sandbox.normalize(refused.stderr)).toContain('is held by pid 4242 on build-agent-7 since <time>');

    await writeLock({ pid: 4242, host: 'build-agent-7' }, 31_000);
    const run = await sandbox.run(['run', feature, '--exec', gatedExecutor]);
    expect(run.code).toBe(0);
    expect(await sandbox.starts()).toEqual(ids);
  });

  it('of a CLI killed with SIGKILL mid-run is taken over by the resume at once', async () => {
    const first = sandbox.start(['run', feature, '--exec', gatedExecutor], { GATE_IDS: ids[2]! });
    await sandbox.started(ids[2]!);
    // Kill once the checkpoint says ws1 and ws2 completed and ws3 running.
    const store = new CheckpointStore({ featureId: 'F075', dir: sandbox.checkpointDir });
    await vi.waitFor(async () => {
      expect(await store.load()).toMatchObject({ completed: ids.slice(0, 2), running: expect.arrayContaining([ids[2]]) as unknown });
    });
    process.kill(-first.pid, 'SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    // Its executor survives in its own process group, as after any kill -9; a reboot would end it.
    expect(await sandbox.killAll()).toBeGreaterThan(0);
    expect(await sandbox.checkpointFiles()).toContain('F075-checkpoint.json.lock');

    const resumed = await sandbox.run(['run', feature, '--exec', gatedExecutor]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`Ran again because an earlier run died while they ran: ${ids[2]!}`);
    // ws1 and ws2 were saved as completed before the kill: only ws3 (interrupted) and ws4 run again.
    expect(await sandbox.starts()).toEqual([...ids.slice(0, 3), ids[2], ids[3]]);
    expect(await sandbox.checkpointFiles()).toEqual([]);
  });
});
