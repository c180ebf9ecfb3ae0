import { CircuitBreaker } from '@sdp/circuit-breaker';
import type { Checkpoint, CheckpointStore } from '@sdp/checkpoint';
import { isGraphError, type DependencyGraph } from '@sdp/graph';
import type { Dispose } from '@sdp/internal';
import { recordedHandles, type AttemptHandle } from './attempt-handle.js';
import type { Execute } from './attempt.js';
import { priorityByRemainingChain } from './chain-priority.js';
import { CoalescingWriter } from './checkpoint-writer.js';
import { dispatcherListeners, runHooks } from './dispatcher-listeners.js';
import { DispatchRun } from './dispatch-run.js';
import { CheckpointFeatureMismatchError, CheckpointGraphError, DispatcherBusyError, LockLostError } from './errors.js';
import type {
  AbandonEvent,
  BreakerStateChangeEvent,
  CheckpointEvent,
  CompleteEvent,
  FailureEvent,
  InDoubtResult,
  SkipEvent,
  StartEvent,
} from './events.js';
import { endInDoubtAttempts } from './in-doubt.js';
import { resolveOptions, type DispatcherOptions, type ResolvedOptions } from './options.js';
import { RunCheckpointer } from './run-checkpointer.js';
import type { RunLedger } from './run-ledger.js';
import { planResume, type ResumePlan } from './resume-plan.js';
import { finishRun } from './finish-run.js';
import type { BreakerChange, RunReport } from './run-report.js';

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
 * resumes where it stopped. Never two live attempts of one workstream (see the README's executor contract).
 */
export class Dispatcher {
  readonly #graph: DependencyGraph;
  readonly #options: ResolvedOptions;
  #breaker: CircuitBreaker;
  #running = false;
  /** Books of earlier runs that abandoned attempts still running: their workstreams must not start again yet. */
  #abandonedBy: RunLedger[] = [];
  readonly #on = dispatcherListeners();

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

  onFailure(listener: (event: FailureEvent) => void): Dispose {
    return this.#on.failure.add(listener, 'onFailure');
  }

  /** @deprecated Renamed {@link Dispatcher.onFailure}; this alias goes in the next minor release. */
  onFail(listener: (event: FailureEvent) => void): Dispose {
    return this.#on.failure.add(listener, 'onFail');
  }

  onSkip(listener: (event: SkipEvent) => void): Dispose {
    return this.#on.skip.add(listener, 'onSkip');
  }

  /** An aborted attempt did not settle within `graceMs`: its slot was given up, it may still run. */
  onAbandon(listener: (event: AbandonEvent) => void): Dispose {
    return this.#on.abandon.add(listener, 'onAbandon');
  }

  /** What `endInDoubt` said about each workstream an earlier process recorded as running with a handle. */
  onInDoubt(listener: (event: InDoubtResult) => void): Dispose {
    return this.#on.inDoubt.add(listener, 'onInDoubt');
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
    const startedAt = this.#options.clock.now();
    const { store } = this.#options;
    try {
      await store?.acquire();
      let report: RunReport & { checkpointErrors: unknown[] };
      try {
        report = await this.#runLocked(execute, options, store, startedAt);
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
        report.checkpointErrors.push(error);
      }
      return report;
    } finally {
      this.#running = false;
    }
  }

  async #runLocked(
    execute: Execute,
    options: RunOptions,
    store: CheckpointStore | undefined,
    startedAt: number,
  ): Promise<RunReport & { checkpointErrors: unknown[] }> {
    const { featureId, clock } = this.#options;
    // From here on the lock may be lost at any moment: then nothing starts and nothing is written.
    let lockLost: LockLostError | undefined;
    let run: DispatchRun | undefined;
    let writer: CoalescingWriter | undefined;
    const disposeLockListener = store?.onLockCompromised(({ reason }) => {
      lockLost ??= new LockLostError(store.path, reason);
      writer?.close();
      run?.stop('lock-lost', lockLost);
    });
    try {
      if (options.fresh === true) await store?.delete();
      const checkpoint = store === undefined ? null : await store.load(options.signal);
      const plan = this.#planOf(checkpoint, store);
      if (checkpoint?.circuit_breaker && this.#options.breakerOptions !== undefined) {
        this.#breaker = CircuitBreaker.fromSnapshot(checkpoint.circuit_breaker, this.#options.breakerOptions);
      }
      // Never two live copies: what an earlier process left running is ended before anything starts.
      const inDoubt = await endInDoubtAttempts(
        this.#graph,
        checkpoint === null || lockLost !== undefined ? new Map() : recordedHandles(checkpoint),
        this.#options.endInDoubt,
        options.signal ?? new AbortController().signal,
        (result) => {
          this.#on.inDoubt.emit(result);
        },
        this.#stillRunning(),
      );

      const alreadyCompleted = new Set([...(plan?.completed ?? []), ...(options.completed ?? [])]);
      const priority = priorityByRemainingChain(this.#graph, plan?.durations ?? new Map(), this.#options.knownDurationsMs);
      const ready = this.#graph.readySet(
        priority === undefined ? { completed: alreadyCompleted } : { completed: alreadyCompleted, priority },
      );

      const checkpointErrors: unknown[] = [];
      const checkpointer =
        store && new RunCheckpointer({ store, graph: this.#graph, breaker: this.#breaker, featureId, clock, previous: checkpoint });
      // The writer and the run refer to each other: the run asks for saves, a failed save may stop the run.
      writer = new CoalescingWriter(
        async () => {
          if (store === undefined || checkpointer === undefined || run === undefined) return;
          const completed = await checkpointer.write(run.ledger);
          this.#on.checkpoint.emit({ ok: true, path: store.path, completed, total: this.#graph.size });
        },
        (error) => {
          if (lockLost !== undefined) return;
          checkpointErrors.push(error);
          this.#on.checkpoint.emit({ ok: false, path: store?.path ?? '', error });
          if (this.#options.stopOnCheckpointError) run?.stop('checkpoint-error', error);
        },
      );
      if (lockLost !== undefined) writer.close();
      const saves = writer;
      run = new DispatchRun({
        graph: this.#graph,
        ready,
        breaker: this.#breaker,
        options: this.#options,
        execute,
        hooks: runHooks(
          this.#on,
          store === undefined
            ? undefined
            : () => {
                saves.request();
              },
        ),
        interrupted: plan?.interrupted ?? new Set(),
        alreadyCompleted,
        inDoubt: inDoubt.unresolved,
      });
      if (lockLost !== undefined) run.stop('lock-lost', lockLost);

      const breakerChanges: BreakerChange[] = [];
      const activeRun = run;
      const disposeBreakerListener = this.#breaker.onStateChange((event) => {
        breakerChanges.push({ from: event.from, to: event.to, at: event.at });
        this.#on.breakerStateChange.emit(event);
        saves.request();
        activeRun.wake();
      });
      let outcome;
      try {
        outcome = await run.run(options.signal);
      } finally {
        if (run.ledger.abandoned.length > 0) this.#abandonedBy.push(run.ledger);
        disposeBreakerListener();
        // The last state is durable before run() returns (unless the lock is gone: then nothing is written).
        saves.request();
        await saves.flush();
      }
      return await finishRun({
        featureId,
        outcome,
        run,
        store,
        checkpointer,
        checkpointErrors,
        lockLost: () => lockLost,
        plan,
        resumed: checkpoint !== null,
        startedAt,
        clock,
        breakerChanges,
        inDoubt: inDoubt.results,
        onCheckpointError: (error) => {
          if (store !== undefined) this.#on.checkpoint.emit({ ok: false, path: store.path, error });
        },
      });
    } finally {
      disposeLockListener?.();
    }
  }

  /** Attempts abandoned by earlier runs of this dispatcher whose executor has still not settled. */
  #stillRunning(): Map<string, AttemptHandle | undefined> {
    const running = new Map<string, AttemptHandle | undefined>();
    this.#abandonedBy = this.#abandonedBy.filter((ledger) => {
      const still = ledger.stillRunning();
      for (const [id, handle] of still) running.set(id, handle);
      return still.size > 0;
    });
    return running;
  }

  #planOf(checkpoint: Checkpoint | null, store: CheckpointStore | undefined): ResumePlan | undefined {
    const { featureId } = this.#options;
    if (checkpoint !== null && checkpoint.feature_id !== featureId) {
      throw new CheckpointFeatureMismatchError(store?.path ?? '', featureId, checkpoint.feature_id);
    }
    try {
      return checkpoint === null ? undefined : planResume(this.#graph, checkpoint);
    } catch (error) {
      throw isGraphError(error) ? new CheckpointGraphError(store?.path ?? '', error) : error;
    }
  }
}
