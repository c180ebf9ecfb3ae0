import { setMaxListeners } from 'node:events';

/**
 * The run's own controller, whose signal every attempt without a deadline shares. Why shared: an
 * AbortController per attempt was the largest cost of scheduling short work (benchmarks, issue 8). So
 * a listener per running executor is expected, not a leak: no MaxListenersExceededWarning.
 */
export function sharedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
