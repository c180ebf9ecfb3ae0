import { afterEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import type { CircuitBreakerOptions } from './circuit-breaker-options.js';
import type { CircuitFailureEvent, CircuitStateChangeEvent, CircuitSuccessEvent } from './circuit-events.js';
import { CircuitOpenError, isCircuitOpenError } from './circuit-open-error.js';
import { ManualClock, deferred, rejectionOf, type Deferred } from '@sdp/internal/testing';
import { T0, abortError, nowOf } from './test-support.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const boom = (): Promise<never> => Promise.reject(new Error('boom'));
const ok = (): Promise<string> => Promise.resolve('ok');

function setup(options: CircuitBreakerOptions = {}): { clock: ManualClock; breaker: CircuitBreaker } {
  const clock = new ManualClock(T0);
  return { clock, breaker: new CircuitBreaker({ now: nowOf(clock), ...options }) };
}

async function fail(breaker: CircuitBreaker, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await rejectionOf(breaker.execute(boom));
}

/** Opens a breaker with default threshold (3) by failing three calls. */
async function trip(breaker: CircuitBreaker): Promise<void> {
  await fail(breaker, 3);
  expect(breaker.state).toBe('open');
}

/** Starts a call whose outcome the test decides later. */
function pending<T = string>(breaker: CircuitBreaker, signal?: AbortSignal): { control: Deferred<T>; result: Promise<T> } {
  const control = deferred<T>();
  return { control, result: breaker.execute(() => control.promise, signal) };
}

describe('closed', () => {
  it('passes the result, the error and the signal through', async () => {
    const { breaker } = setup();
    const signal = new AbortController().signal;
    const fn = vi.fn((s?: AbortSignal) => Promise.resolve(s));
    await expect(breaker.execute(fn, signal)).resolves.toBe(signal);
    const error = new Error('boom');
    await expect(breaker.execute(() => Promise.reject(error))).rejects.toBe(error);
    expect(breaker.state).toBe('closed');
  });

  it('accepts synchronous functions, including ones that throw', async () => {
    const { breaker } = setup({ threshold: 1, window: 1 });
    await expect(breaker.execute(() => 42)).resolves.toBe(42);
    const error = new Error('sync');
    await expect(
      breaker.execute(() => {
        throw error;
      }),
    ).rejects.toBe(error);
    expect(breaker.state).toBe('open');
  });

  it('rejects a non-function with a TypeError', async () => {
    const { breaker } = setup();
    await expect(breaker.execute('x' as unknown as () => number)).rejects.toThrow(
      new TypeError('CircuitBreaker.execute: fn must be a function, got string'),
    );
  });
});

describe('count-based sliding window', () => {
  it('opens when threshold failures are among the last window calls, even if not consecutive', async () => {
    const { breaker } = setup({ threshold: 3, window: 5 });
    await fail(breaker);
    await breaker.execute(ok);
    await fail(breaker);
    await breaker.execute(ok);
    expect(breaker.state).toBe('closed');
    await fail(breaker);
    expect(breaker.state).toBe('open');
    expect(breaker.metrics().window).toEqual([true, false, true, false, true]);
  });

  it('forgets failures that slid out of the window', async () => {
    const { breaker } = setup({ threshold: 3, window: 5 });
    await fail(breaker, 2);
    for (let i = 0; i < 4; i++) await breaker.execute(ok);
    // window: F S S S S -> one failure left; the next failure pushes it out
    await fail(breaker);
    expect(breaker.metrics()).toMatchObject({ state: 'closed', failureCount: 1, successCount: 4 });
    await fail(breaker);
    expect(breaker.metrics()).toMatchObject({ state: 'closed', window: [false, false, false, true, true] });
    await fail(breaker);
    expect(breaker.state).toBe('open');
  });

  it('threshold = window = 1 opens on the first failure', async () => {
    const { breaker } = setup({ threshold: 1, window: 1 });
    await fail(breaker);
    expect(breaker.state).toBe('open');
  });
});

describe('what fn returns', () => {
  it('a synchronous throw counts before execute returns, and the call rejects with it', async () => {
    const { breaker } = setup({ threshold: 1, window: 1 });
    const error = new Error('sync');
    const result = breaker.execute(() => {
      throw error;
    });
    expect(breaker.state).toBe('open');
    await expect(result).rejects.toBe(error);
  });

  it('a plain value counts one microtask later, as if awaited', async () => {
    const { breaker } = setup();
    const result = breaker.execute(() => 7);
    expect(breaker.metrics().window).toEqual([]);
    await Promise.resolve();
    expect(breaker.metrics().window).toEqual([false]);
    await expect(result).resolves.toBe(7);
    await expect(breaker.execute(() => undefined)).resolves.toBeUndefined();
    expect(breaker.metrics().window).toEqual([false, false]);
  });

  it('a thenable is followed as await follows it: then is called on a later microtask', async () => {
    const { breaker } = setup({ threshold: 1, window: 2 });
    const then = vi.fn((resolve: (value: string) => void) => {
      resolve('from thenable');
    });
    const result = breaker.execute<unknown>(() => ({ then }));
    expect(then).not.toHaveBeenCalled();
    await expect(result).resolves.toBe('from thenable');
    expect(then).toHaveBeenCalledOnce();
    expect(breaker.metrics().window).toEqual([false]);
    const error = new Error('thenable failed');
    const failing = breaker.execute<unknown>(() => ({
      then(_resolve: unknown, reject: (reason: unknown) => void) {
        reject(error);
      },
    }));
    await expect(failing).rejects.toBe(error);
    expect(breaker.state).toBe('open');
  });

  it('a then getter that throws fails the call with its error', async () => {
    const { breaker } = setup({ threshold: 1, window: 1 });
    const error = new Error('then getter');
    const result = breaker.execute<unknown>(() => ({
      get then(): never {
        throw error;
      },
    }));
    await expect(result).rejects.toBe(error);
    expect(breaker.state).toBe('open');
  });

  it('a native promise is adopted without looking up its then, as await does, and is not returned as is', async () => {
    const { breaker } = setup();
    const promise = Promise.resolve('native');
    const then = vi.fn();
    Reflect.defineProperty(promise, 'then', { value: then });
    const result = breaker.execute(() => promise);
    expect(result).not.toBe(promise);
    await expect(result).resolves.toBe('native');
    expect(then).not.toHaveBeenCalled();
    expect(breaker.metrics().window).toEqual([false]);
  });
});

describe('open', () => {
  it('rejects without calling fn, with retryAfterMs, and fires onReject with that very error', async () => {
    const { clock, breaker } = setup({ halfOpenAfterMs: 10_000 });
    await trip(breaker);
    const rejects: unknown[] = [];
    breaker.onReject((event) => rejects.push(event));
    clock.tick(2500);
    const fn = vi.fn(ok);
    const error = await rejectionOf(breaker.execute(fn));
    expect(fn).not.toHaveBeenCalled();
    expect(isCircuitOpenError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'BREAKER_OPEN', state: 'open', retryAfterMs: 7500 });
    expect(rejects).toEqual([error]);
    expect(rejects[0]).toBe(error);
    expect(breaker.retryAfterMs()).toBe(7500);
    expect(breaker.metrics()).toMatchObject({
      state: 'open',
      consecutiveOpens: 1,
      openedAt: T0,
      openUntil: T0 + 10_000,
      retryAfterMs: 7500,
      trialInFlight: false,
    });
  });

  it('a rejection is not a failure', async () => {
    const { clock, breaker } = setup({ halfOpenAfterMs: 1000 });
    await trip(breaker);
    const failures: unknown[] = [];
    breaker.onFailure((event) => failures.push(event));
    await rejectionOf(breaker.execute(ok));
    expect(failures).toEqual([]);
    expect(breaker.metrics().failureCount).toBe(3);
    clock.tick(1000);
    expect(breaker.state).toBe('half-open');
  });

  it('moves to half-open lazily, exactly at the end of the open duration, and never starts a timer', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const { clock, breaker } = setup({ halfOpenAfterMs: 1000 });
    const changes: CircuitStateChangeEvent[] = [];
    breaker.onStateChange((event) => changes.push(event));
    await trip(breaker);
    clock.tick(999);
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs()).toBe(1);
    clock.tick(5000);
    expect(changes).toHaveLength(1);
    expect(breaker.state).toBe('half-open');
    expect(changes).toEqual([
      { from: 'closed', to: 'open', at: T0 },
      { from: 'open', to: 'half-open', at: T0 + 5999 },
    ]);
    expect(breaker.retryAfterMs()).toBe(0);
    await breaker.execute(ok);
    expect(breaker.state).toBe('closed');
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(setIntervalSpy).not.toHaveBeenCalled();
  });

  it('a clock that jumps back while open counts as no time passing: the remaining time is kept', async () => {
    const { clock, breaker } = setup({ halfOpenAfterMs: 1000 });
    await trip(breaker);
    clock.tick(400);
    expect(breaker.retryAfterMs()).toBe(600);
    clock.tick(-10_000);
    expect(breaker.retryAfterMs()).toBe(600);
    expect(breaker.metrics().openUntil).toBe(clock.now() + 600);
    clock.tick(599);
    expect(breaker.state).toBe('open');
    clock.tick(1);
    expect(breaker.state).toBe('half-open');
  });

  it('a clock that jumps forward while open ends the open period (time did pass)', async () => {
    const { clock, breaker } = setup({ halfOpenAfterMs: 1000 });
    await trip(breaker);
    clock.tick(3_600_000);
    expect(breaker.retryAfterMs()).toBe(0);
    expect(breaker.state).toBe('half-open');
  });
});

describe('half-open', () => {
  async function halfOpen(options: CircuitBreakerOptions = {}): Promise<{ clock: ManualClock; breaker: CircuitBreaker }> {
    const { clock, breaker } = setup({ halfOpenAfterMs: 1000, ...options });
    await trip(breaker);
    clock.tick(1000);
    return { clock, breaker };
  }

  it('admits exactly one trial among many concurrent calls; the others are rejected without running', async () => {
    const { breaker } = await halfOpen();
    const rejects: unknown[] = [];
    breaker.onReject((event) => rejects.push(event));
    const trial = deferred<string>();
    let calls = 0;
    const results = Array.from({ length: 100 }, () =>
      breaker.execute(() => {
        calls++;
        return trial.promise;
      }),
    );
    expect(calls).toBe(1);
    expect(breaker.metrics()).toMatchObject({ state: 'half-open', trialInFlight: true, retryAfterMs: 0 });
    expect(breaker.retryAfterMs()).toBe(0);
    const errors = await Promise.all(results.slice(1).map(rejectionOf));
    for (const error of errors) {
      expect(error).toBeInstanceOf(CircuitOpenError);
      expect(error).toMatchObject({ state: 'half-open', retryAfterMs: 0 });
    }
    expect(rejects).toHaveLength(99);
    trial.resolve('done');
    await expect(results[0]).resolves.toBe('done');
    expect(breaker.state).toBe('closed');
    expect(calls).toBe(1);
  });

  it('a successful trial closes: window cleared, consecutiveOpens back to 0', async () => {
    const { clock, breaker } = await halfOpen();
    const events: string[] = [];
    breaker.onStateChange(({ from, to }) => events.push(`${from}->${to}`));
    breaker.onSuccess(() => events.push('success'));
    await breaker.execute(ok);
    expect(events).toEqual(['open->half-open', 'half-open->closed', 'success']);
    expect(breaker.metrics()).toEqual({
      state: 'closed',
      failureCount: 0,
      successCount: 0,
      consecutiveOpens: 0,
      window: [],
      trialInFlight: false,
      retryAfterMs: 0,
      lastFailureAt: T0,
      lastStateChangeAt: clock.now(),
    });
  });

  it('a failed trial re-opens with consecutiveOpens + 1 and a doubled open duration', async () => {
    const { clock, breaker } = await halfOpen();
    const events: string[] = [];
    breaker.onStateChange(({ from, to }) => events.push(`${from}->${to}`));
    breaker.onFailure(({ kind }) => events.push(kind));
    await fail(breaker);
    expect(events).toEqual(['open->half-open', 'half-open->open', 'failure']);
    expect(breaker.metrics()).toMatchObject({
      state: 'open',
      consecutiveOpens: 2,
      openedAt: clock.now(),
      openUntil: clock.now() + 2000,
      retryAfterMs: 2000,
      lastFailureAt: clock.now(),
    });
  });

  it('an error that isFailure rejects counts as a success and closes', async () => {
    const { breaker } = await halfOpen({ isFailure: (error) => !(error instanceof TypeError) });
    await rejectionOf(breaker.execute(() => Promise.reject(new TypeError('bad input'))));
    expect(breaker.state).toBe('closed');
  });
});

describe('backoff', () => {
  it('doubles the open duration on each consecutive open up to maxHalfOpenAfterMs, and resets after closing', async () => {
    const { clock, breaker } = setup({ halfOpenAfterMs: 1000, maxHalfOpenAfterMs: 5000 });
    await trip(breaker);
    const durations: number[] = [];
    for (let i = 0; i < 5; i++) {
      durations.push(breaker.retryAfterMs());
      clock.tick(breaker.retryAfterMs() - 1);
      expect(breaker.state).toBe('open');
      clock.tick(1);
      expect(breaker.state).toBe('half-open');
      await fail(breaker);
    }
    expect(durations).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(breaker.metrics().consecutiveOpens).toBe(6);
    clock.tick(5000);
    await breaker.execute(ok);
    await trip(breaker);
    expect(breaker.retryAfterMs()).toBe(1000);
    expect(breaker.metrics().consecutiveOpens).toBe(1);
  });
  it('the deprecated names timeout and maxBackoff still set the open periods', async () => {
    const { clock, breaker } = setup({ timeout: 1000, maxBackoff: 1500 });
    await trip(breaker);
    expect(breaker.retryAfterMs()).toBe(1000);
    clock.tick(1000);
    await fail(breaker);
    expect(breaker.retryAfterMs()).toBe(1500);
  });
});

describe('cancellation never counts', () => {
  it('an AbortError does not count, whatever isFailure says', async () => {
    const isFailure = vi.fn(() => true);
    const { breaker } = setup({ threshold: 1, window: 1, isFailure });
    const failures: CircuitFailureEvent[] = [];
    breaker.onFailure((event) => failures.push(event));
    await rejectionOf(breaker.execute(() => Promise.reject(abortError())));
    await rejectionOf(breaker.execute(() => Promise.reject(new DOMException('gone', 'AbortError'))));
    expect(breaker.state).toBe('closed');
    expect(breaker.metrics().window).toEqual([]);
    expect(isFailure).not.toHaveBeenCalled();
    expect(failures.map(({ kind, counted }) => ({ kind, counted }))).toEqual([
      { kind: 'cancelled', counted: false },
      { kind: 'cancelled', counted: false },
    ]);
  });

  it('any outcome after the caller aborted does not count', async () => {
    const { breaker } = setup({ threshold: 1, window: 2 });
    const controller = new AbortController();
    const failing = pending(breaker, controller.signal);
    const succeeding = pending(breaker, controller.signal);
    controller.abort();
    failing.control.reject(new Error('boom'));
    succeeding.control.resolve('late');
    await rejectionOf(failing.result);
    await expect(succeeding.result).resolves.toBe('late');
    expect(breaker.metrics()).toMatchObject({ state: 'closed', window: [] });
  });

  it('calls with different signals in one generation are each judged by their own signal', async () => {
    const { breaker } = setup({ threshold: 3, window: 5 });
    const first = new AbortController();
    const second = new AbortController();
    const calls = [pending(breaker, first.signal), pending(breaker, second.signal), pending(breaker, first.signal), pending(breaker)];
    second.abort();
    for (const call of calls) call.control.resolve('done');
    await Promise.all(calls.map((call) => call.result));
    expect(breaker.metrics().window).toEqual([false, false, false]);
  });

  it('an already aborted signal rejects with its reason without calling fn', async () => {
    const { breaker } = setup();
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    const fn = vi.fn(ok);
    await expect(breaker.execute(fn, controller.signal)).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('a cancelled half-open trial frees the trial slot without changing state', async () => {
    const { clock, breaker } = setup({ halfOpenAfterMs: 1000 });
    await trip(breaker);
    clock.tick(1000);
    const changes: CircuitStateChangeEvent[] = [];
    const controller = new AbortController();
    const trial = pending(breaker, controller.signal);
    breaker.onStateChange((event) => changes.push(event));
    expect(breaker.metrics().trialInFlight).toBe(true);
    controller.abort();
    trial.control.reject(abortError());
    await rejectionOf(trial.result);
    expect(breaker.metrics()).toMatchObject({ state: 'half-open', trialInFlight: false, consecutiveOpens: 1 });
    expect(changes).toEqual([]);
    const fn = vi.fn(ok);
    await breaker.execute(fn);
    expect(fn).toHaveBeenCalledOnce();
    expect(breaker.state).toBe('closed');
  });

  it('a pre-aborted signal in half-open does not take the trial slot', async () => {
    const { clock, breaker } = setup({ halfOpenAfterMs: 1000 });
    await trip(breaker);
    clock.tick(1000);
    await rejectionOf(breaker.execute(ok, AbortSignal.abort()));
    expect(breaker.metrics().trialInFlight).toBe(false);
  });
});

describe('isFailure', () => {
  it('errors it rejects count as successes and are reported as ignored', async () => {
    const { breaker } = setup({ threshold: 1, window: 2, isFailure: (error) => (error as Error).message !== 'not found' });
    const failures: CircuitFailureEvent[] = [];
    breaker.onFailure((event) => failures.push(event));
    const notFound = new Error('not found');
    await expect(breaker.execute(() => Promise.reject(notFound))).rejects.toBe(notFound);
    expect(breaker.metrics()).toMatchObject({ state: 'closed', window: [false] });
    expect(failures).toMatchObject([{ error: notFound, kind: 'ignored', counted: true }]);
    await fail(breaker);
    expect(breaker.state).toBe('open');
  });

  it("a predicate that throws counts the error as a failure, and its own error is ignored, as a listener's is", async () => {
    const scheduled = vi.spyOn(globalThis, 'queueMicrotask');
    const bug = new Error('predicate bug');
    const { breaker } = setup({
      threshold: 1,
      window: 1,
      isFailure: () => {
        throw bug;
      },
    });
    const failures: CircuitFailureEvent[] = [];
    breaker.onFailure((event) => failures.push(event));
    const error = new Error('boom');
    await expect(breaker.execute(() => Promise.reject(error))).rejects.toBe(error);
    expect(breaker.state).toBe('open');
    expect(failures).toMatchObject([{ error, kind: 'failure', counted: true }]);
    expect(scheduled).not.toHaveBeenCalled();
  });
});

describe('generation rule: calls admitted before a state change do not move the state after it', () => {
  it('a late failure from the closed generation does not re-open or extend an open breaker', async () => {
    const { clock, breaker } = setup({ halfOpenAfterMs: 1000 });
    const failures: CircuitFailureEvent[] = [];
    breaker.onFailure((event) => failures.push(event));
    const slow = pending(breaker);
    await trip(breaker);
    clock.tick(300);
    slow.control.reject(new Error('late'));
    await rejectionOf(slow.result);
    expect(breaker.metrics()).toMatchObject({ state: 'open', consecutiveOpens: 1, openUntil: T0 + 1000, lastFailureAt: T0 });
    expect(failures.at(-1)).toMatchObject({ kind: 'failure', counted: false });
  });

  it('a late success from the closed generation does not close a half-open breaker nor take the trial', async () => {
    const { clock, breaker } = setup({ halfOpenAfterMs: 1000 });
    const successes: CircuitSuccessEvent[] = [];
    breaker.onSuccess((event) => successes.push(event));
    const slow = pending(breaker);
    await trip(breaker);
    clock.tick(1000);
    const trial = pending(breaker);
    slow.control.resolve('late');
    await expect(slow.result).resolves.toBe('late');
    expect(breaker.metrics()).toMatchObject({ state: 'half-open', trialInFlight: true });
    expect(successes).toEqual([{ durationMs: 1000, counted: false }]);
    trial.control.reject(new Error('still down'));
    await rejectionOf(trial.result);
    expect(breaker.metrics()).toMatchObject({ state: 'open', consecutiveOpens: 2 });
  });

  it('a late failure from an earlier closed period does not count in the new window', async () => {
    const { clock, breaker } = setup({ halfOpenAfterMs: 1000, threshold: 1, window: 1 });
    const slow = pending(breaker);
    await fail(breaker);
    clock.tick(1000);
    await breaker.execute(ok);
    expect(breaker.state).toBe('closed');
    slow.control.reject(new Error('late'));
    await rejectionOf(slow.result);
    expect(breaker.metrics()).toMatchObject({ state: 'closed', window: [] });
  });

  it('calls admitted in the same closed generation all count', async () => {
    const { breaker } = setup({ threshold: 3, window: 5 });
    const calls = [pending(breaker), pending(breaker), pending(breaker)];
    for (const call of calls) call.control.reject(new Error('x'));
    await Promise.all(calls.map((call) => rejectionOf(call.result)));
    expect(breaker.state).toBe('open');
  });
});

describe('events', () => {
  it('reports durations by the injected clock', async () => {
    const { clock, breaker } = setup();
    const seen: unknown[] = [];
    breaker.onSuccess((event) => seen.push(event));
    breaker.onFailure(({ durationMs, kind, counted }) => seen.push({ durationMs, kind, counted }));
    const a = pending(breaker);
    clock.tick(250);
    a.control.resolve('a');
    await a.result;
    const b = pending(breaker);
    clock.tick(40);
    b.control.reject(new Error('b'));
    await rejectionOf(b.result);
    expect(seen).toEqual([
      { durationMs: 250, counted: true },
      { durationMs: 40, kind: 'failure', counted: true },
    ]);
  });

  it('reports the real duration of a call admitted before anyone listened', async () => {
    const { clock, breaker } = setup();
    const a = pending(breaker);
    clock.tick(70);
    const seen: number[] = [];
    breaker.onSuccess(({ durationMs }) => seen.push(durationMs));
    a.control.resolve('a');
    await a.result;
    expect(seen).toEqual([70]);
  });

  it('calls admitted at different clock readings each report their own duration, whatever order they settle in', async () => {
    const { clock, breaker } = setup();
    const a = pending(breaker);
    const b = pending(breaker);
    clock.tick(10);
    const c = pending(breaker);
    clock.tick(5);
    const seen: number[] = [];
    breaker.onSuccess(({ durationMs }) => seen.push(durationMs));
    c.control.resolve('c');
    await c.result;
    a.control.resolve('a');
    await a.result;
    b.control.resolve('b');
    await b.result;
    expect(seen).toEqual([5, 15, 15]);
    expect(breaker.metrics().window).toEqual([false, false, false]);
  });

  it('disposers stop delivery', async () => {
    const { breaker } = setup({ threshold: 1, window: 1 });
    const seen: string[] = [];
    const disposers = [
      breaker.onStateChange(() => seen.push('change')),
      breaker.onSuccess(() => seen.push('success')),
      breaker.onFailure(() => seen.push('failure')),
      breaker.onReject(() => seen.push('reject')),
    ];
    for (const dispose of disposers) dispose();
    await breaker.execute(ok);
    await fail(breaker);
    await rejectionOf(breaker.execute(ok));
    expect(seen).toEqual([]);
  });

  it('a throwing listener does not disturb the call, the state or the other listeners', async () => {
    const scheduled = vi.spyOn(globalThis, 'queueMicrotask');
    const { breaker } = setup({ threshold: 1, window: 1 });
    const seen: string[] = [];
    breaker.onStateChange(() => {
      throw new Error('listener bug');
    });
    breaker.onFailure(() => {
      throw new Error('listener bug');
    });
    breaker.onStateChange(({ to }) => seen.push(to));
    const error = new Error('boom');
    await expect(breaker.execute(() => Promise.reject(error))).rejects.toBe(error);
    expect(breaker.state).toBe('open');
    expect(seen).toEqual(['open']);
    expect(scheduled).not.toHaveBeenCalled();
  });

  it('listeners see the state already updated', async () => {
    const { breaker } = setup({ threshold: 1, window: 1 });
    const seen: string[] = [];
    breaker.onFailure(() => seen.push(breaker.state));
    breaker.onStateChange(() => seen.push(breaker.state));
    await fail(breaker);
    expect(seen).toEqual(['open', 'open']);
  });
});
