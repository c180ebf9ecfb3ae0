import { CircuitBreaker } from '@sdp/circuit-breaker';
import type { CheckpointStore } from '@sdp/checkpoint';
import type { DependencyGraph } from '@sdp/graph';
import { CoalescingWriter } from './checkpoint-writer.js';
import { DispatchRun, type Execute } from './dispatch-run.js';
import { isGraphError } from '@sdp/graph';
import { CheckpointFeatureMismatchError, CheckpointGraphError, DispatcherBusyError } from './errors.js';
import type {
  BreakerStateChangeEvent,
  CheckpointEvent,
  CompleteEvent,
  FailEvent,
  SkipEvent,
  StartEvent,
} from './events.js';
import { Listeners, type Dispose } from '@sdp/internal';
import { resolveOptions, type DispatcherOptions, type ResolvedOptions } from './options.js';
import { RunCheckpointer } from './run-checkpointer.js';
import { planResume, type ResumePlan } from './resume-plan.js';
import { countByStatus, type RunReport } from './run-report.js';

export interface RunOptions {
  /** Cancels the run: nothing new starts, running executors are aborted and get the grace period. */
  signal?: AbortSignal;
  /** Workstreams known to be complete already (e.g. marked done in their files); never executed. */
  completed?: Iterable<string>;
  /** Ignore and delete an existing checkpoint instead of resuming from it. Default false. */
  fresh?: boolean;
}

/**
 * Runs a dependency graph of workstreams in parallel, greedily and by critical path, through a circuit
 * breaker, saving a checkpoint after every completion or failure so that a run killed at any instant
 * resumes where it stopped.
 */
export class Dispatcher {
  readonly #graph: DependencyGraph;
  readonly #options: ResolvedOptions;
  #breaker: CircuitBreaker;
  #running = false;
  // One field for all listeners: few fields keep instances out of V8's slow dictionary mode.
  readonly #on = {
    start: new Listeners<StartEvent>('Dispatcher'),
    complete: new Listeners<CompleteEvent>('Dispatcher'),
    fail: new Listeners<FailEvent>('Dispatcher'),
    skip: new Listeners<SkipEvent>('Dispatcher'),
    checkpoint: new Listeners<CheckpointEvent>('Dispatcher'),
    breakerStateChange: new Listeners<BreakerStateChangeEvent>('Dispatcher'),
  };

  constructor(graph: DependencyGraph, options: DispatcherOptions) {
    if (typeof graph !== 'object' || typeof (graph as Partial<DependencyGraph>).readySet !== 'function') {
      throw new TypeError('graph must be a DependencyGraph from @sdp/graph');
    }
    this.#graph = graph;
    this.#options = resolveOptions(options);
    this.#breaker = this.#options.breaker;
  }

  /** The breaker guarding executions; replaced by the restored one when a run resumes from a checkpoint. */
  get breaker(): CircuitBreaker {
    return this.#breaker;
  }

  /** The checkpoint file, or undefined when checkpointing is off. */
  get checkpointPath(): string | undefined {
    return this.#options.store?.path;
  }

  onStart(listener: (event: StartEvent) => void): Dispose {
    return this.#on.start.add(listener, 'onStart');
  }

  onComplete(listener: (event: CompleteEvent) => void): Dispose {
    return this.#on.complete.add(listener, 'onComplete');
  }

  onFail(listener: (event: FailEvent) => void): Dispose {
    return this.#on.fail.add(listener, 'onFail');
  }

  onSkip(listener: (event: SkipEvent) => void): Dispose {
    return this.#on.skip.add(listener, 'onSkip');
  }

  onCheckpoint(listener: (event: CheckpointEvent) => void): Dispose {
    return this.#on.checkpoint.add(listener, 'onCheckpoint');
  }

  onBreakerStateChange(listener: (event: BreakerStateChangeEvent) => void): Dispose {
    return this.#on.breakerStateChange.add(listener, 'onBreakerStateChange');
  }

  /**
   * Runs every workstream not completed yet. Resolves to a report; workstream failures are in the
   * report, not thrown. Rejects only when the run cannot start: the checkpoint is locked by another
   * process, damaged beyond its backup, of a newer format or of another feature.
   */
  async run(execute: Execute, options: RunOptions = {}): Promise<RunReport> {
    if (typeof execute !== 'function') {
      throw new TypeError(`execute must be a function, got ${typeof execute}`);
    }
    if (this.#running) throw new DispatcherBusyError();
    this.#running = true;
    const { store } = this.#options;
    try {
      await store?.acquire();
      let report: RunReport;
      try {
        report = await this.#runLocked(execute, options, store);
      } catch (error) {
        // The reason the run could not start matters more than a failed release.
        await store?.release().catch(() => undefined);
        throw error;
      }
      try {
        await store?.release();
      } catch (error) {
        // The work is done and the checkpoint written: a lock that could not be given up cleanly (its
        // holder is recognised as dead by the next run) is reported, not thrown over the report.
        return { ...report, checkpointErrors: [...report.checkpointErrors, error] };
      }
      return report;
    } finally {
      this.#running = false;
    }
  }

  async #runLocked(execute: Execute, options: RunOptions, store: CheckpointStore | undefined): Promise<RunReport> {
    const { featureId } = this.#options;
    if (options.fresh === true) await store?.delete();
    const checkpoint = store === undefined ? null : await store.load(options.signal);
    if (checkpoint !== null && checkpoint.feature_id !== featureId) {
      throw new CheckpointFeatureMismatchError(store?.path ?? '', featureId, checkpoint.feature_id);
    }
    let plan: ResumePlan | undefined;
    try {
      plan = checkpoint === null ? undefined : planResume(this.#graph, checkpoint);
    } catch (error) {
      throw isGraphError(error) ? new CheckpointGraphError(store?.path ?? '', error) : error;
    }
    if (checkpoint?.circuit_breaker && this.#options.breakerOptions !== undefined) {
      this.#breaker = CircuitBreaker.fromSnapshot(checkpoint.circuit_breaker, this.#options.breakerOptions);
    }

    const alreadyCompleted = new Set([...(plan?.completed ?? []), ...(options.completed ?? [])]);
    const priority = priorityByRemainingChain(this.#graph, plan?.durations ?? new Map());
    const ready = this.#graph.readySet(priority === undefined ? { completed: alreadyCompleted } : { completed: alreadyCompleted, priority });

    const checkpointErrors: unknown[] = [];
    const checkpointer =
      store &&
      new RunCheckpointer({
        store,
        graph: this.#graph,
        breaker: this.#breaker,
        featureId,
        clock: this.#options.clock,
        previous: checkpoint,
      });
    // The writer and the run refer to each other: the run asks for saves, a failed save may stop the run.
    let run: DispatchRun | undefined = undefined;
    const writer = new CoalescingWriter(
      async () => {
        if (store === undefined || checkpointer === undefined || run === undefined) return;
        const completed = await checkpointer.write(run);
        this.#on.checkpoint.emit({ ok: true, path: store.path, completed, total: this.#graph.size });
      },
      (error) => {
        checkpointErrors.push(error);
        this.#on.checkpoint.emit({ ok: false, path: store?.path ?? '', error });
        if (this.#options.stopOnCheckpointError) run?.stop('checkpoint-error', error);
      },
    );

    run = new DispatchRun({
      graph: this.#graph,
      ready,
      breaker: this.#breaker,
      options: this.#options,
      execute,
      hooks: {
        onStart: (id, attempt, startedAt, rerunAfterCrash) => {
          if (this.#on.start.size > 0) this.#on.start.emit({ id, attempt, startedAt: new Date(startedAt), rerunAfterCrash });
        },
        onComplete: (id, attempt, durationMs) => {
          if (this.#on.complete.size > 0) this.#on.complete.emit({ id, attempt, durationMs });
        },
        onFail: (event) => {
          this.#on.fail.emit(event);
        },
        onSkip: (event) => {
          this.#on.skip.emit(event);
        },
        onProgress:
          store === undefined
            ? () => undefined
            : () => {
                writer.request();
              },
      },
      interrupted: plan?.interrupted ?? new Set(),
      alreadyCompleted,
    });

    const disposeBreakerListener = this.#breaker.onStateChange((event) => {
      this.#on.breakerStateChange.emit(event);
      writer.request();
      run.wake();
    });
    let outcome;
    try {
      outcome = await run.run(options.signal);
    } finally {
      disposeBreakerListener();
      // The last state is durable before run() returns.
      writer.request();
      await writer.flush();
    }

    const results = run.results();
    const totals = countByStatus(results);
    let checkpointKept = store !== undefined;
    if (store !== undefined && totals.completed === results.length) {
      try {
        await store.delete();
        checkpointKept = false;
      } catch (error) {
        // The work is done either way; a checkpoint left behind only means a no-op resume.
        checkpointErrors.push(error);
      }
    } else if (store !== undefined && checkpointer !== undefined) {
      try {
        // What a user finds after the run stops: one JSON file with the last state.
        await checkpointer.finish(run);
      } catch (error) {
        // The journal stays beside the last JSON; loading still applies it.
        checkpointErrors.push(error);
        this.#on.checkpoint.emit({ ok: false, path: store.path, error });
      }
    }
    return {
      featureId,
      outcome,
      results,
      totals,
      resumed: checkpoint !== null,
      ...(plan?.graphChanges === undefined ? {} : { graphChanges: plan.graphChanges }),
      makespanMs: run.makespanMs(),
      lowerBoundMs: run.lowerBoundMs(),
      ...(store === undefined ? {} : { checkpoint: { path: store.path, kept: checkpointKept } }),
      checkpointErrors,
    };
  }
}

/**
 * Priority of a ready workstream: the heaviest chain of work still hanging on it. Durations measured in
 * earlier runs weigh where known; others weigh the mean of the known ones (1 when none is known).
 * With none known that is the ready set's own default, the chain length in workstreams, which it
 * computes without a call per workstream.
 */
function priorityByRemainingChain(graph: DependencyGraph, durations: ReadonlyMap<string, number>): ((id: string) => number) | undefined {
  if (durations.size === 0) return undefined;
  let known = 0;
  for (const ms of durations.values()) known += ms;
  const fallback = known / durations.size;
  const chains = graph.chainLengths((id) => durations.get(id) ?? fallback);
  return (id) => chains.get(id) ?? 0;
}
