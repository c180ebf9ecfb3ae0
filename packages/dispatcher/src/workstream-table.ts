import type { AttemptHandle } from './attempt-handle.js';
import { errorRecordOf } from '@sdp/internal';
import type { AttemptOutcome, AttemptRecord } from './run-report.js';

/**
 * What a run keeps of every workstream once its attempts are over, by node index (the position in
 * `graph.ids()`). Numbers sit in typed arrays and the rare things (errors, attempts that did not simply
 * complete) in small maps. Why: an object per workstream (its track, attempt records, boxed times) kept
 * about 430 bytes per workstream alive through the run, each copied by the garbage collector; this keeps
 * about 30 (docs/architecture.md).
 */
export class WorkstreamTable {
  readonly size: number;
  /** Taken from the ready set in this run (an in-doubt one is taken and failed without an attempt). */
  readonly taken: Uint8Array;
  /** Attempts started in this run. */
  readonly attempts: Int32Array;
  /** Start of the first attempt in this run (epoch ms); NaN when none started. */
  readonly startedAt: Float64Array;
  /** Start of the latest attempt (epoch ms). */
  readonly attemptStartedAt: Float64Array;
  /** Of the last attempt that measured the work (not a cancelled one); NaN when none did. */
  readonly durationMs: Float64Array;
  /** Time spent executing, over all its attempts. */
  readonly workMs: Float64Array;
  /** End of its last attempt when that attempt simply completed (no handle): its record is made when read. */
  readonly completedAt: Float64Array;
  /** The records of every other attempt that is over, in order. */
  readonly #records = new Map<number, AttemptRecord[]>();
  /** The error of its last attempt that did not complete. */
  readonly errors = new Map<number, unknown>();

  constructor(size: number) {
    this.size = size;
    this.taken = new Uint8Array(size);
    this.attempts = new Int32Array(size);
    this.startedAt = new Float64Array(size).fill(Number.NaN);
    this.attemptStartedAt = new Float64Array(size);
    this.durationMs = new Float64Array(size).fill(Number.NaN);
    this.workMs = new Float64Array(size);
    this.completedAt = new Float64Array(size).fill(Number.NaN);
  }

  /** Records the attempt of `node` that just ended: number `attempts[node]`, started at `attemptStartedAt[node]`. */
  recordEnd(node: number, outcome: AttemptOutcome, endedAt: number, handle: AttemptHandle | undefined, error: unknown): void {
    if (outcome === 'completed' && handle === undefined) {
      this.completedAt[node] = endedAt;
      return;
    }
    const attempt = this.attempts[node] ?? 0;
    const startedAt = this.attemptStartedAt[node] ?? 0;
    const ended = { attempt, startedAt, endedAt, outcome };
    const withError = outcome === 'completed' ? ended : { ...ended, error: errorRecordOf(error) };
    const record: AttemptRecord = handle === undefined ? withError : { ...withError, handle };
    const records = this.#records.get(node);
    if (records === undefined) this.#records.set(node, [record]);
    else records.push(record);
  }

  /** Every attempt of `node` in this run that is over, in order. */
  recordsOf(node: number): readonly AttemptRecord[] {
    const records = this.#records.get(node) ?? noAttempts;
    const completedAt = this.completedAt[node] ?? Number.NaN;
    if (Number.isNaN(completedAt)) return records;
    const completion: AttemptRecord = {
      attempt: this.attempts[node] ?? 0,
      startedAt: this.attemptStartedAt[node] ?? 0,
      endedAt: completedAt,
      outcome: 'completed',
    };
    return records.length === 0 ? [completion] : [...records, completion];
  }
}

const noAttempts: readonly AttemptRecord[] = Object.freeze([]);

/** A number column's value, or undefined for NaN (nothing recorded). */
export function recorded(column: Float64Array, node: number): number | undefined {
  const value = column[node];
  return value === undefined || Number.isNaN(value) ? undefined : value;
}
