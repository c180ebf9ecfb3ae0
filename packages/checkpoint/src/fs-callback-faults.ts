// Test support for fault injection into write-file-atomic (kept apart from test-support.ts, which the
// crash tests' child processes import outside vitest).
import fs from 'node:fs';
import { vi } from 'vitest';

type FsCallback = (error: NodeJS.ErrnoException | null, ...results: unknown[]) => void;
type FsCallbackFn = (...args: unknown[]) => void;

/**
 * Replaces `fs[name]` (callback API) for the current test. write-file-atomic looks these up on each call, so
 * its faults are injected here; our own steps go through `disk`.
 */
export function replaceFsCallback(name: string, implementation: (original: FsCallbackFn, args: unknown[], callback: FsCallback) => void): void {
  const callbacks = fs as unknown as Record<string, FsCallbackFn>;
  const original = callbacks[name];
  if (original === undefined) throw new TypeError(`fs.${name} is not a function`);
  vi.spyOn(callbacks, name).mockImplementation((...args: unknown[]) => {
    const callback = args.pop() as FsCallback;
    implementation(original, args, callback);
  });
}
