import type { DispatcherOptions, ExecuteContext } from '@sdp/dispatcher';

// The dispatcher's side of attempt handles, in-doubt attempts and a lost lock (INTERFACES.md sections
// 2 and 3) is built alongside this CLI. Until @sdp/dispatcher has it, these feature-detect it, so the
// CLI works with either; once it is there, use its types and call `context.setHandle` directly.

/** How to find what an attempt started (INTERFACES.md section 2): flat and JSON-safe. */
export type AttemptHandle = Readonly<Record<string, string | number | boolean>>;

/** The `endInDoubt` option of the Dispatcher. */
export type EndInDoubt = (id: string, handle: AttemptHandle, signal: AbortSignal) => Promise<'ended' | 'gone'>;

export type DispatcherOptionsWithInDoubt = DispatcherOptions & { endInDoubt?: EndInDoubt };

/** `context.setHandle` when the dispatcher offers it; otherwise the handle is not recorded. */
export function setHandleOf(context: ExecuteContext): (handle: AttemptHandle) => void {
  const setHandle = (context as { setHandle?: unknown }).setHandle;
  return typeof setHandle === 'function' ? (handle) => void setHandle.call(context, handle) : () => undefined;
}

/** The run's outcome says the lock was lost (the dispatcher's own `'lock-lost'`). */
export function isLockLostOutcome(outcome: string): boolean {
  return outcome === 'lock-lost';
}
