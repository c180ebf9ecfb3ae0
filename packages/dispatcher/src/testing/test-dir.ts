import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@sdp/internal/testing';
import { afterEach, beforeEach } from 'vitest';

/** A fresh temporary directory and manual clock for each test of the calling file, removed afterwards. */
export function useTestDir(prefix: string): { readonly dir: string; readonly clock: ManualClock } {
  const current = { dir: '', clock: new ManualClock() };
  beforeEach(async () => {
    current.dir = await mkdtemp(join(tmpdir(), prefix));
    current.clock = new ManualClock();
  });
  afterEach(async () => {
    await rm(current.dir, { recursive: true, force: true });
  });
  return current;
}
