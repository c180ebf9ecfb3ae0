/** `await` does not look up a promise's `then` (a patched `then` on a native promise is not called); neither does `execute`. */
// eslint-disable-next-line @typescript-eslint/unbound-method -- always called with .call
const then = Promise.prototype.then;

/**
 * Attaches the callbacks to `result` as `await result` would follow it: a native promise is adopted
 * as is, a thenable or a plain value as `await` takes it, so they run in the same microtask as the
 * continuation of `await result` in an async function would.
 */
export function followLikeAwait<T>(
  result: Promise<T> | T,
  resolved: (value: unknown) => unknown,
  rejected: (error: unknown) => never,
): Promise<T> {
  return then.call(Promise.resolve(result), resolved, rejected) as Promise<T>;
}
