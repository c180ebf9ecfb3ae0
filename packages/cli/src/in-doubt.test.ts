import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { InDoubtElsewhereError, inDoubtEnder } from './in-doubt.js';
import { GroupWatch, processStartTime } from './process-table.js';

// Survivors of an earlier run, for real: a process group whose leader traps SIGTERM.
const started: number[] = [];
afterEach(() => {
  for (const pgid of started.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
});

async function survivor(token = 'feedc0de'): Promise<number> {
  const child = spawn('sh', ['-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, SDP_ATTEMPT_TOKEN: token },
  });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  const pgid = child.pid ?? 0;
  started.push(pgid);
  return pgid;
}

const host = 'this-host';
const ended: string[] = [];
const ender = inDoubtEnder({ host, graceMs: 200, onEnding: ({ id }) => ended.push(id) });
const never = new AbortController().signal;

describe('the CLI ending in-doubt attempts', () => {
  it('ends a recorded group still alive (SIGTERM ignored: SIGKILL after the grace period) and says so', async () => {
    const pgid = await survivor();
    const outcome = await ender('00-001-01', { pgid, host, startTime: processStartTime(pgid), token: 'feedc0de' }, never);
    expect(outcome).toBe('ended');
    expect(new GroupWatch(pgid).isGone()).toBe(true);
    expect(ended).toContain('00-001-01');
  });

  it('a start time of another boot means gone; of this boot but not its leader, the attempt token still proves the group its own', async () => {
    const pgid = await survivor('abad1dea');
    expect(await ender('00-001-02', { pgid, host, startTime: 'other-boot:1', token: 'abad1dea' }, never)).toBe('gone');
    expect(
      await ender(
        '00-001-02',
        { pgid, host, startTime: `${readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim()}:1`, token: 'abad1dea' },
        never,
      ),
    ).toBe('ended');
  });

  it('leaves alone a live group that is not the recorded one (a reused number): another start time, no token', async () => {
    const pgid = await survivor();
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
    expect(await ender('00-001-03', { pgid, host, startTime: `${bootId}:1`, token: 'not-its-token' }, never)).toBe('gone');
    expect(new GroupWatch(pgid).isGone()).toBe(false);
  });

  it('says gone for a group that is no more, and refuses a handle of another host', async () => {
    const pgid = await survivor();
    process.kill(-pgid, 'SIGKILL');
    await expect(ender('00-001-04', { pgid, host, startTime: '', token: '' }, never)).resolves.toBe('gone');
    await expect(ender('00-001-05', { pgid: 4242, host: 'build-7' }, never)).rejects.toThrow(InDoubtElsewhereError);
    await expect(ender('00-001-05', { pgid: 4242, host: 'build-7' }, never)).rejects.toThrow(
      '00-001-05 was running on host build-7 when its run stopped, and may still run there; resume on build-7 (which ends it first), or once nothing of it runs there, start over with --fresh',
    );
  });
});
