import type { Clock } from '../clock.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/** A clock for tests: time moves only when the test calls `advance`. */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Set<Timer>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const timer: Timer = {
        at: this.#now + ms,
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#timers.delete(timer);
        reject(signal?.reason as Error);
      };
      this.#timers.add(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Pending sleeps, for assertions like "the dispatcher is waiting for the breaker". */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms` at once, firing nothing: for code that only reads the time. */
  tick(ms: number): void {
    this.#now += ms;
  }

  /** Moves time forward by `ms`, firing due sleeps in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await settle();
      const due = [...this.#timers].filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.#timers.delete(due);
      this.#now = due.at;
      due.resolve();
    }
    this.#now = target;
    await settle();
  }
}

/** Lets every pending promise continuation run (a macrotask turn; no time passes on any clock). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
