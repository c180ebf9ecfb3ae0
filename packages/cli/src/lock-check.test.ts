import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { lockLostReason } from './lock-check.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sdp-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('says why the lock is no longer this process’s, before a command starts', async () => {
  const lock = join(dir, 'F001-checkpoint.json.lock');
  expect(await lockLostReason(lock)).toBe('the lock file was removed');
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: 'then', token: 'a' }));
  expect(await lockLostReason(lock)).toBeUndefined();
  writeFileSync(lock, JSON.stringify({ pid: 4242, host: hostname(), since: '2026-01-01T00:00:00.000Z', token: 'b' }));
  expect(await lockLostReason(lock)).toBe(`process 4242 on ${hostname()} holds it since 2026-01-01T00:00:00.000Z`);
});
