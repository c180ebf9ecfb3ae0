import type { Execute, ExecuteContext } from '../attempt.js';
import { deferred, type Deferred } from '@sdp/internal/testing';

/**
 * An executor for tests that records what ran and leaves each attempt pending until the test
 * resolves or rejects it (or settles it at once through `auto`).
 */
export class RecordingExecutor {
  readonly started: string[] = [];
  readonly signals = new Map<string, AbortSignal>();
  readonly #pending = new Map<string, Deferred<unknown>>();
  readonly #runningNow = new Set<string>();
  maxInFlight = 0;

  /** When set, decides each attempt at once: `true` succeeds, an Error fails it. */
  constructor(private readonly auto?: (id: string, context: ExecuteContext) => true | Error) {}

  readonly execute: Execute = (id, context) => {
    this.started.push(id);
    this.signals.set(id, context.signal);
    this.#runningNow.add(id);
    this.maxInFlight = Math.max(this.maxInFlight, this.#runningNow.size);
    const done = () => this.#runningNow.delete(id);
    const decision = this.auto?.(id, context);
    if (decision !== undefined) {
      done();
      return decision === true ? Promise.resolve() : Promise.reject(decision);
    }
    const pending = deferred<unknown>();
    this.#pending.set(id, pending);
    return pending.promise.finally(done);
  };

  get inFlight(): string[] {
    return [...this.#runningNow];
  }

  runs(id: string): number {
    return this.started.filter((started) => started === id).length;
  }

  resolve(id: string): void {
    this.#take(id).resolve(undefined);
  }

  reject(id: string, error: unknown = new Error(`${id} failed`)): void {
    this.#take(id).reject(error);
  }

  #take(id: string): Deferred<unknown> {
    const pending = this.#pending.get(id);
    if (pending === undefined) throw new Error(`${id} is not running`);
    this.#pending.delete(id);
    return pending;
  }
}
