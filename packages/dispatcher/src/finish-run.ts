import type { CheckpointStore } from '@sdp/checkpoint';
import type { Clock } from '@sdp/internal';
import type { DispatchRun } from './dispatch-run.js';
import type { InDoubtResult } from './events.js';
import type { LockLostError } from './errors.js';
import type { ResumePlan } from './resume-plan.js';
import type { RunCheckpointer } from './run-checkpointer.js';
import { countByStatus, criticalPathOf, resultsOf, type BreakerChange, type RunOutcome, type RunReport } from './run-report.js';

export interface FinishInputs {
  readonly featureId: string;
  readonly outcome: RunOutcome;
  readonly run: DispatchRun;
  readonly store: CheckpointStore | undefined;
  readonly checkpointer: RunCheckpointer | undefined;
  /** Filled during the run; the end of the run adds its own. */
  readonly checkpointErrors: unknown[];
  /** Read at the end: the lock may be lost until the last moment. */
  readonly lockLost: () => LockLostError | undefined;
  readonly plan: ResumePlan | undefined;
  readonly resumed: boolean;
  readonly startedAt: number;
  readonly clock: Clock;
  readonly breakerChanges: readonly BreakerChange[];
  readonly inDoubt: readonly InDoubtResult[];
  readonly onCheckpointError: (error: unknown) => void;
}

/**
 * Ends a run's checkpoint (deleted once the whole graph completed; otherwise one JSON file with the last
 * state; untouched once the lock is lost) and makes its report.
 */
export async function finishRun(inputs: FinishInputs): Promise<RunReport & { checkpointErrors: unknown[] }> {
  const { run, store, checkpointer, checkpointErrors } = inputs;
  const reportInputs = run.ledger.reportInputs();
  const results = resultsOf(reportInputs);
  const totals = countByStatus(results);
  let checkpointKept = store !== undefined;
  // Nodes added to the graph during the run are not part of it: the checkpoint stays for the run that does them.
  const wholeGraph = results.length === reportInputs.graph.size;
  if (store !== undefined && inputs.lockLost() === undefined) {
    if (totals.completed === results.length && wholeGraph) {
      try {
        await store.delete();
        checkpointKept = false;
      } catch (error) {
        // The work is done either way; a checkpoint left behind only means a no-op resume.
        checkpointErrors.push(error);
      }
    } else if (checkpointer !== undefined) {
      try {
        // What a user finds after the run stops: one JSON file with the last state.
        await checkpointer.finish(run.ledger);
      } catch (error) {
        // The journal stays beside the last JSON; loading still applies it.
        checkpointErrors.push(error);
        inputs.onCheckpointError(error);
      }
    }
  }
  const lockLost = inputs.lockLost();
  const { path, lowerBoundMs } = criticalPathOf(reportInputs);
  const { graph } = reportInputs;
  const report = {
    featureId: inputs.featureId,
    outcome: lockLost === undefined ? inputs.outcome : 'lock-lost',
    results,
    totals,
    resumed: inputs.resumed,
    ...(inputs.plan?.graphChanges === undefined ? {} : { graphChanges: inputs.plan.graphChanges }),
    startedAt: inputs.startedAt,
    endedAt: inputs.clock.now(),
    concurrency: reportInputs.concurrency,
    graphFingerprint: '',
    makespanMs: run.ledger.makespanMs(),
    lowerBoundMs,
    criticalPath: path,
    breakerChanges: inputs.breakerChanges,
    inDoubt: inputs.inDoubt,
    abandoned: run.ledger.abandoned,
    ...(lockLost === undefined ? {} : { lockLost: { reason: lockLost.reason } }),
    ...(store === undefined ? {} : { checkpoint: { path: store.path, kept: checkpointKept } }),
    checkpointErrors,
  } satisfies RunReport;
  // Computed on first read (then cached by the graph): hashing the graph costs about as much as
  // scheduling it, and a run without checkpoint may never need it.
  Object.defineProperty(report, 'graphFingerprint', { enumerable: true, configurable: true, get: () => graph.fingerprint() });
  return report;
}
