// Test support: fault injection at single file-system steps (kept apart from test-support.ts, which the
// crash tests' child processes import outside vitest).
import fs from 'node:fs';
import { vi } from 'vitest';
import { disk } from './disk.js';
import { systemError } from './test-support.js';

type FsCallback = (error: NodeJS.ErrnoException | null, ...results: unknown[]) => void;
type FsCallbackFn = (...args: unknown[]) => void;

/**
 * Replaces `fs[name]` (callback API) for the current test. write-file-atomic looks these up on each call, so
 * its faults are injected here; our own steps go through `disk`.
 */
export function replaceFsCallback(
  name: string,
  implementation: (original: FsCallbackFn, args: unknown[], callback: FsCallback) => void,
): void {
  const callbacks = fs as unknown as Record<string, FsCallbackFn>;
  const original = callbacks[name];
  if (original === undefined) throw new TypeError(`fs.${name} is not a function`);
  vi.spyOn(callbacks, name).mockImplementation((...args: unknown[]) => {
    const callback = args.pop() as FsCallback;
    implementation(original, args, callback);
  });
}

export interface StepFaults {
  /** Counts from zero again and fails the `failAt`-th step from now on (0: none). */
  reset(failAt: number): void;
  /** Steps counted since the last reset. */
  calls(): number;
}

/**
 * Counts the calls of `disk[name]` for each of `diskSteps`, and of the callback `fs` functions write-file-atomic
 * uses, failing one of them with EIO when told to.
 */
export function injectStepFaults(diskSteps: readonly (keyof typeof disk)[]): StepFaults {
  let calls = 0;
  let failAt = 0;
  const fault = (): boolean => {
    calls += 1;
    return calls === failAt;
  };
  for (const name of diskSteps) {
    const original = disk[name] as (...args: unknown[]) => Promise<unknown>;
    vi.spyOn(disk, name).mockImplementation(((...args: unknown[]) =>
      fault() ? Promise.reject(systemError('EIO')) : original(...args)) as never);
  }
  for (const name of ['open', 'write', 'fsync', 'close', 'rename']) {
    replaceFsCallback(name, (original, args, callback) => {
      if (fault()) {
        setImmediate(() => {
          callback(systemError('EIO'));
        });
      } else original(...args, callback);
    });
  }
  return {
    reset: (at) => {
      calls = 0;
      failAt = at;
    },
    calls: () => calls,
  };
}
