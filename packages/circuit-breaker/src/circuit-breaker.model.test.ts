import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import type { CircuitBreakerSnapshot } from './circuit-breaker-snapshot.js';
import { isCircuitOpenError } from './circuit-open-error.js';
import type { CircuitState } from './circuit-state.js';
import { ManualClock, deferred, type Deferred } from '@sdp/internal/testing';
import { T0, abortError, nowOf } from './test-support.js';

// --- reference model: the rules of the README, written as plainly as possible ---------------

interface ModelOptions {
  readonly threshold: number;
  readonly window: number;
  readonly halfOpenAfterMs: number;
  readonly maxHalfOpenAfterMs: number;
}

type ModelOutcome = 'success' | 'failure' | 'ignored' | 'cancelled';

interface ModelCall {
  readonly era: number;
  readonly trial: boolean;
}

class ReferenceBreaker {
  state: CircuitState = 'closed';
  outcomes: boolean[] = [];
  consecutiveOpens = 0;
  trial = false;
  private era = 0;
  private openUntil = 0;
  private lastSeen = 0;

  constructor(private readonly options: ModelOptions) {}

  observe(now: number): void {
    if (this.state !== 'open') return;
    // a clock that went back: no time passed
    if (now < this.lastSeen) this.openUntil += now - this.lastSeen;
    this.lastSeen = now;
    if (now >= this.openUntil) {
      this.state = 'half-open';
      this.trial = false;
      this.era++;
    }
  }

  admit(now: number): ModelCall | undefined {
    this.observe(now);
    if (this.state === 'closed') return { era: this.era, trial: false };
    if (this.state === 'half-open' && !this.trial) {
      this.trial = true;
      return { era: this.era, trial: true };
    }
    return undefined;
  }

  settle(call: ModelCall, outcome: ModelOutcome, now: number): void {
    if (call.era !== this.era) return;
    if (outcome === 'cancelled') {
      if (call.trial) this.trial = false;
      return;
    }
    const failed = outcome === 'failure';
    if (call.trial) {
      this.trial = false;
      if (failed) {
        this.open(now);
      } else {
        this.state = 'closed';
        this.outcomes = [];
        this.consecutiveOpens = 0;
        this.era++;
      }
      return;
    }
    this.outcomes = [...this.outcomes, failed].slice(-this.options.window);
    if (failed && this.outcomes.filter(Boolean).length >= this.options.threshold) this.open(now);
  }

  retryAfter(now: number): number {
    this.observe(now);
    return this.state === 'open' ? this.openUntil - now : 0;
  }

  private open(now: number): void {
    this.consecutiveOpens++;
    let duration = this.options.halfOpenAfterMs;
    for (let i = 1; i < this.consecutiveOpens; i++) duration = Math.min(duration * 2, this.options.maxHalfOpenAfterMs);
    this.openUntil = now + duration;
    this.lastSeen = now;
    this.state = 'open';
    this.era++;
  }
}

// --- driving the real breaker ----------------------------------------------------------------

class IgnoredError extends Error {}
const isFailure = (error: unknown): boolean => !(error instanceof IgnoredError);

type Settlement = 'success' | 'failure' | 'ignored' | 'abortError' | 'abortThenResolve' | 'abortThenReject';

type Op =
  | { readonly kind: 'call'; readonly withSignal: boolean }
  | { readonly kind: 'settle'; readonly pick: number; readonly how: Settlement }
  | { readonly kind: 'advance'; readonly ms: number };

interface PendingCall {
  readonly control: Deferred<string>;
  readonly controller: AbortController | undefined;
  readonly result: Promise<unknown>;
  readonly model: ModelCall | undefined;
}

function modelOutcome(how: Settlement, withSignal: boolean): ModelOutcome {
  switch (how) {
    case 'abortThenResolve':
      return withSignal ? 'cancelled' : 'success';
    case 'abortThenReject':
      return withSignal ? 'cancelled' : 'failure';
    case 'abortError':
      return 'cancelled';
    default:
      return how;
  }
}

class Driver {
  readonly pending: PendingCall[] = [];

  constructor(
    readonly breaker: CircuitBreaker,
    readonly clock: ManualClock,
  ) {}

  /** Starts a call; returns whether `fn` ran and, if not, the rejection. */
  call(withSignal: boolean, model?: ModelCall): { admitted: boolean; result: Promise<unknown> } {
    const control = deferred<string>();
    const controller = withSignal ? new AbortController() : undefined;
    const ran = { fn: false };
    const result = this.breaker.execute(() => {
      ran.fn = true;
      return control.promise;
    }, controller?.signal);
    const admitted = ran.fn;
    const settled = result.then(
      () => undefined,
      (error: unknown) => error,
    );
    if (admitted) this.pending.push({ control, controller, result: settled, model });
    return { admitted, result: settled };
  }

  async settle(pick: number, how: Settlement): Promise<PendingCall | undefined> {
    if (this.pending.length === 0) return undefined;
    const [call] = this.pending.splice(this.pending.length - 1 - (pick % this.pending.length), 1);
    if (call === undefined) return undefined;
    if (how === 'abortThenResolve' || how === 'abortThenReject') call.controller?.abort();
    if (how === 'success' || how === 'abortThenResolve') call.control.resolve('ok');
    else if (how === 'ignored') call.control.reject(new IgnoredError('ignored'));
    else if (how === 'abortError') call.control.reject(abortError());
    else call.control.reject(new Error('failure'));
    await call.result;
    return call;
  }

  async drain(): Promise<void> {
    while (this.pending.length > 0) await this.settle(0, 'failure');
  }
}

// --- arbitraries -----------------------------------------------------------------------------

const optionsArb = fc
  .record({
    window: fc.integer({ min: 1, max: 6 }),
    thresholdPart: fc.double({ min: 0, max: 1, noNaN: true }),
    halfOpenAfterMs: fc.integer({ min: 1, max: 5000 }),
    backoffFactor: fc.integer({ min: 1, max: 12 }),
  })
  .map(({ window, thresholdPart, halfOpenAfterMs, backoffFactor }) => ({
    window,
    threshold: Math.max(1, Math.ceil(thresholdPart * window)),
    halfOpenAfterMs,
    maxHalfOpenAfterMs: halfOpenAfterMs * backoffFactor,
  }));

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('call' as const), withSignal: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      // 0 = the newest call (often the half-open trial), so trials settle often
      pick: fc.oneof(fc.constant(0), fc.nat(20)),
      how: fc.constantFrom<Settlement>('success', 'failure', 'failure', 'ignored', 'abortError', 'abortThenResolve', 'abortThenReject'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 70_000 }), fc.integer({ min: -3000, max: -1 })),
    }),
  },
);

const opsArb = fc.array(opArb, { maxLength: 80, size: 'max' });

// --- properties ------------------------------------------------------------------------------

describe('model test', () => {
  it('agrees with the reference model on state and admission at every step', async () => {
    await fc.assert(
      fc.asyncProperty(optionsArb, opsArb, async (options, ops) => {
        const clock = new ManualClock(T0);
        const driver = new Driver(new CircuitBreaker({ ...options, isFailure, now: nowOf(clock) }), clock);
        const model = new ReferenceBreaker(options);
        for (const op of ops) {
          if (op.kind === 'advance') {
            clock.tick(op.ms);
          } else if (op.kind === 'call') {
            const expected = model.admit(clock.now());
            const retryAfter = model.retryAfter(clock.now());
            const { admitted, result } = driver.call(op.withSignal, expected);
            expect(admitted).toBe(expected !== undefined);
            if (!admitted) {
              const error = await result;
              expect(isCircuitOpenError(error)).toBe(true);
              expect(error).toMatchObject({ retryAfterMs: retryAfter, state: model.state });
            }
          } else {
            const call = await driver.settle(op.pick, op.how);
            if (call?.model !== undefined) {
              model.settle(call.model, modelOutcome(op.how, call.controller !== undefined), clock.now());
            }
          }
          const metrics = driver.breaker.metrics();
          model.observe(clock.now());
          expect(metrics).toMatchObject({
            state: model.state,
            window: model.outcomes,
            consecutiveOpens: model.consecutiveOpens,
            trialInFlight: model.trial,
            retryAfterMs: model.retryAfter(clock.now()),
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('fromSnapshot(b.snapshot()) behaves exactly like b for any following sequence', async () => {
    await fc.assert(
      fc.asyncProperty(optionsArb, opsArb, fc.integer({ min: -5000, max: 20_000 }), opsArb, async (options, prefix, gap, suffix) => {
        const clock = new ManualClock(T0);
        const fullOptions = { ...options, isFailure, now: nowOf(clock) };
        const original = new Driver(new CircuitBreaker(fullOptions), clock);
        for (const op of prefix) {
          if (op.kind === 'advance') clock.tick(op.ms);
          else if (op.kind === 'call') original.call(op.withSignal);
          else await original.settle(op.pick, op.how);
        }
        await original.drain();

        const snapshot = JSON.parse(JSON.stringify(original.breaker.snapshot())) as CircuitBreakerSnapshot;
        // restored later (or, with a clock that went back, "earlier") than it was taken
        clock.tick(gap);
        const restored = new Driver(CircuitBreaker.fromSnapshot(snapshot, fullOptions), clock);
        expect(restored.breaker.snapshot()).toEqual(original.breaker.snapshot());

        const events = [original, restored].map(({ breaker }) => {
          const log: unknown[] = [];
          breaker.onStateChange((event) => log.push(event));
          breaker.onSuccess((event) => log.push(event));
          breaker.onFailure(({ kind, counted, durationMs }) => log.push({ kind, counted, durationMs }));
          breaker.onReject(({ retryAfterMs, state }) => log.push({ retryAfterMs, state }));
          return log;
        });

        for (const op of suffix) {
          if (op.kind === 'advance') {
            clock.tick(op.ms);
          } else if (op.kind === 'call') {
            const a = original.call(op.withSignal);
            const b = restored.call(op.withSignal);
            expect(b.admitted).toBe(a.admitted);
          } else {
            await original.settle(op.pick, op.how);
            await restored.settle(op.pick, op.how);
          }
          expect(restored.breaker.metrics()).toEqual(original.breaker.metrics());
        }
        expect(restored.breaker.snapshot()).toEqual(original.breaker.snapshot());
        expect(events[1]).toEqual(events[0]);
      }),
      { numRuns: 200 },
    );
  });
});
