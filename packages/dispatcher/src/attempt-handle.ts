import type { Checkpoint } from '@sdp/checkpoint';
import { describeValue } from '@sdp/internal';

/**
 * How to find what one attempt started, as its executor records it with `context.setHandle` (a
 * process group, the host, the process start time, a log path): flat and JSON-safe, so it can be
 * saved in the checkpoint while the attempt runs and handed to `endInDoubt` after a crash.
 */
export type AttemptHandle = Readonly<Record<string, string | number | boolean>>;

/** A checked, frozen copy of what an executor gave `setHandle`; a TypeError names what is wrong. */
export function toAttemptHandle(value: unknown, where: string): AttemptHandle {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where}: a handle must be a flat object of strings, numbers and booleans, got ${describeValue(value)}`);
  }
  const handle: Record<string, string | number | boolean> = {};
  for (const [key, item] of Object.entries(value)) {
    const ok = typeof item === 'string' || typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item));
    if (!ok) throw new TypeError(`${where}: handle.${key} must be a string, a finite number or a boolean, got ${describeValue(item)}`);
    handle[key] = item;
  }
  return Object.freeze(handle);
}

/**
 * The handles a checkpoint records for its running workstreams (`attempt_handles`, only for ids in
 * `running`). A malformed entry is passed over: it cannot be used to find anything.
 */
export function recordedHandles(checkpoint: Checkpoint): Map<string, AttemptHandle> {
  const handles = new Map<string, AttemptHandle>();
  const recorded = checkpoint.attempt_handles;
  if (recorded === undefined) return handles;
  const running = new Set(checkpoint.running ?? []);
  for (const [id, value] of Object.entries(recorded)) {
    if (!running.has(id)) continue;
    try {
      handles.set(id, toAttemptHandle(value, `checkpoint attempt_handles.${id}`));
    } catch {
      // Not a handle: nothing to end.
    }
  }
  return handles;
}
