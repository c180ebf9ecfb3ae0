import type { LogRecord } from './run-log.js';

/** An invariant of the contract did not hold; the harness adds the seed to replay it. */
export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
  readonly code = 'INVARIANT_VIOLATION' as const;
}

/** What the checkpoint said after a run ended (read with `CheckpointStore.load()`), or null for none. */
export interface CheckpointView {
  readonly completed: readonly string[];
  readonly running: readonly string[];
}

/** How a run ended: exit 0, or SIGKILL when the log held `recordsAtKill` records. */
export type RunEnd = { readonly killed: false } | { readonly killed: true; readonly recordsAtKill: number };

/** What one run (one dispatcher process, killed or not) did, as seen from the log and the checkpoint. */
export interface RunFigures {
  /** Start records of this run. */
  readonly starts: number;
  /** Workstreams started again although an earlier run had started them. */
  readonly reExecutions: number;
  /** Killed: workstreams whose executor ran at the kill (no end record before it). At most the concurrency. */
  readonly executingAtKill: number;
  /** Killed: workstreams that ended before the kill but are not completed in the checkpoint it left. */
  readonly unsavedCompletions: number;
  /** Work of this run the next runs must do again: `executingAtKill + unsavedCompletions`. */
  readonly lost: number;
}

/**
 * Checks the contract's invariants run by run over the executor's log (records in append order) and
 * the checkpoint each run left. Runs are separated by the harness: every process of a killed run is
 * dead before the next run starts, so the records of one run are contiguous in the log.
 */
export class TrialChecker {
  readonly #dependsOn: ReadonlyMap<string, readonly string[]>;
  readonly #concurrency: number;
  /** Index in the log where the next run's records begin. */
  #offset = 0;
  readonly #ended = new Set<string>();
  readonly #started = new Set<string>();
  /** Recorded completed by a checkpoint some run left: never to be started again. */
  readonly #durablyCompleted = new Set<string>();
  #runs = 0;
  #totalStarts = 0;
  #totalLost = 0;

  constructor(dependsOn: ReadonlyMap<string, readonly string[]>, concurrency: number) {
    this.#dependsOn = dependsOn;
    this.#concurrency = concurrency;
  }

  /**
   * The records of the run that just ended are `log.slice(offset)`; `checkpoint` is what it left.
   * Throws {@link InvariantViolation} naming the first broken invariant.
   */
  afterRun(log: readonly LogRecord[], checkpoint: CheckpointView | null, end: RunEnd): RunFigures {
    this.#runs += 1;
    const runStart = this.#offset;
    this.#offset = log.length;
    const fail = (message: string): never => {
      throw new InvariantViolation(`run ${this.#runs}: ${message}`);
    };

    const open = new Set<string>();
    const startedHere = new Set<string>();
    /** Workstreams of this run that ended before the kill (all of them when not killed). */
    const endedBeforeKill = new Set<string>();
    let starts = 0;
    let reExecutions = 0;
    log.slice(runStart).forEach((record, index) => {
      const { id } = record;
      if (!this.#dependsOn.has(id)) fail(`the log names ${id}, which is not a workstream of the feature`);
      if (record.kind === 'start') {
        if (this.#durablyCompleted.has(id)) fail(`${id} started again although a checkpoint recorded it completed`);
        if (open.has(id)) fail(`${id} started twice at once`);
        for (const dependency of this.#dependsOn.get(id) ?? []) {
          if (!this.#ended.has(dependency)) fail(`${id} started before its dependency ${dependency} had an end record`);
        }
        open.add(id);
        if (open.size > this.#concurrency)
          fail(`${open.size} executors ran at once (${[...open].join(', ')}), above concurrency ${this.#concurrency}`);
        if (this.#started.has(id)) reExecutions += 1;
        this.#started.add(id);
        startedHere.add(id);
        starts += 1;
      } else {
        if (!open.delete(id)) fail(`end ${id} without a start in the same run`);
        this.#ended.add(id);
        if (!end.killed || runStart + index < end.recordsAtKill) endedBeforeKill.add(id);
      }
    });

    const completed = new Set(checkpoint?.completed ?? []);
    if (checkpoint !== null) {
      for (const id of checkpoint.completed) {
        if (!this.#dependsOn.has(id)) fail(`the checkpoint records ${id} completed, which is not a workstream of the feature`);
        if (!this.#ended.has(id)) fail(`the checkpoint records ${id} completed without an end record in the log`);
        this.#durablyCompleted.add(id);
      }
      // `running` lists what the dispatcher had dispatched: its executor may not have written `start` yet.
      for (const id of checkpoint.running) {
        if (!this.#dependsOn.has(id)) fail(`the checkpoint records ${id} running, which is not a workstream of the feature`);
        if (completed.has(id)) fail(`the checkpoint records ${id} both completed and running`);
      }
    }

    if (!end.killed) {
      if (open.size > 0) fail(`the run exited 0 with executors still running: ${[...open].join(', ')}`);
      const never = [...this.#dependsOn.keys()].filter((id) => !this.#ended.has(id));
      if (never.length > 0) fail(`the run exited 0 but never completed ${never.join(', ')}`);
      if (checkpoint !== null) fail('the run exited 0 but left a checkpoint');
      this.#totalStarts += starts;
      return { starts, reExecutions, executingAtKill: 0, unsavedCompletions: 0, lost: 0 };
    }

    // Started in this run and not completed in the checkpoint it left: the next runs do it again.
    const lost = [...startedHere].filter((id) => !completed.has(id));
    const unsavedCompletions = lost.filter((id) => endedBeforeKill.has(id)).length;
    const executingAtKill = lost.length - unsavedCompletions;
    if (executingAtKill > this.#concurrency) {
      fail(`${executingAtKill} workstreams were executing at the kill, above concurrency ${this.#concurrency}`);
    }
    this.#totalStarts += starts;
    this.#totalLost += lost.length;
    return { starts, reExecutions, executingAtKill, unsavedCompletions, lost: lost.length };
  }

  /**
   * After the final, successful run: every re-execution is accounted for by work a kill lost (no
   * workstream ran again for another reason, such as running twice in one run).
   */
  finish(): { starts: number; reExecutions: number } {
    const size = this.#dependsOn.size;
    const reExecutions = this.#totalStarts - size;
    if (reExecutions !== this.#totalLost) {
      throw new InvariantViolation(
        `${this.#totalStarts} starts for ${size} workstreams: ${reExecutions} re-executions, but the kills lost only ${this.#totalLost} executions`,
      );
    }
    return { starts: this.#totalStarts, reExecutions };
  }
}
