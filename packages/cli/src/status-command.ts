import { CheckpointStore, type Checkpoint, type CheckpointReading } from '@sdp/checkpoint';
import type { DependencyGraph } from '@sdp/graph';
import type { CommonArgs } from './args.js';
import { loadFeature } from './load-feature.js';
import type { Output } from './reporter.js';
import { stateRootOf, statePathsOf, type StatePaths } from './state-dir.js';

const DEFAULT_CHECKPOINT_DIR = '.sdp/checkpoints';

/**
 * The state paths of the selected feature (INTERFACES.md section 4). With the default checkpoint folder the root
 * is the working directory, where `run` keeps its state today; when `run` takes its root from `stateRootOf`, so
 * does this (the one place to change). With `--checkpoint-dir`, the checkpoints are there and the logs stay under
 * the state root's `.sdp/logs`.
 */
export function featureStatePaths(args: CommonArgs, featureId: string): StatePaths {
  if (args.checkpointDir === DEFAULT_CHECKPOINT_DIR) return statePathsOf(process.cwd(), featureId);
  return statePathsOf(stateRootOf(args.dir), featureId, args.checkpointDir);
}

/** What `status` shows, as `status --json` prints it. */
export interface StatusDocument {
  readonly featureId: string;
  readonly checkpointPath: string;
  /**
   * `none`: nothing recorded; `ok`: a run resumes from it as it is; `recoverable`: a run repairs first (see
   * `problems`); `unusable`: a run stops (exit 2) and changes nothing until the checkpoint is discarded (`--fresh`).
   */
  readonly state: 'none' | 'ok' | 'recoverable' | 'unusable';
  /** Where a run would resume from: the checkpoint file, or its backup. */
  readonly source: CheckpointReading['source'];
  readonly timestamp: string | null;
  readonly total: number;
  readonly completed: readonly string[];
  readonly failed: readonly string[];
  readonly skipped: Readonly<Record<string, string>>;
  /** Running when last saved: they run again on resume. */
  readonly running: readonly string[];
  readonly notRun: readonly string[];
  readonly breaker: 'closed' | 'open' | 'half-open' | null;
  readonly journalRecords: number;
  readonly lostRecords: readonly number[];
  /** What is wrong with the state directory, and what `run` would do about it. Nothing was changed. */
  readonly problems: readonly { readonly kind: string; readonly path: string; readonly problem: string; readonly action: string }[];
  /** Why a run cannot use the checkpoint, when `state` is `unusable`. */
  readonly error: string | null;
}

const BREAKER_STATES = ['closed', 'open', 'half-open'] as const;

function documentOf(featureId: string, graph: DependencyGraph, done: readonly string[], reading: CheckpointReading): StatusDocument {
  const checkpoint: Checkpoint | null = reading.checkpoint;
  const problems: { kind: string; path: string; problem: string; action: string }[] = reading.findings.map(
    ({ kind, path, problem, action }) => ({ kind, path, problem, action }),
  );
  let error = reading.unusable?.message ?? null;
  if (checkpoint !== null && checkpoint.feature_id !== featureId) {
    error = `the checkpoint belongs to feature ${checkpoint.feature_id}, not ${featureId}`;
    problems.push({
      kind: 'checkpoint-foreign',
      path: reading.path,
      problem: error,
      action: 'a run refuses it (exit 2) and changes nothing',
    });
  }
  const usable = error === null ? checkpoint : null;
  const completedSet = new Set([...(usable?.completed ?? []), ...done]);
  const failed = (usable?.failed ?? []).filter((id) => !completedSet.has(id));
  const skipped = usable?.skipped ?? {};
  const running = usable?.running ?? [];
  const settled = new Set([...completedSet, ...failed, ...Object.keys(skipped), ...running]);
  const breakerState = usable?.circuit_breaker?.state;
  return {
    featureId,
    checkpointPath: reading.path,
    state:
      error !== null
        ? 'unusable'
        : checkpoint === null
          ? 'none'
          : problems.some((entry) => entry.kind !== 'lock-held')
            ? 'recoverable'
            : 'ok',
    source: reading.source,
    timestamp: usable?.timestamp ?? null,
    total: graph.size,
    completed: graph.ids().filter((id) => completedSet.has(id)),
    failed,
    skipped,
    running,
    notRun: graph.ids().filter((id) => !settled.has(id)),
    breaker: breakerState === undefined ? null : BREAKER_STATES[breakerState],
    journalRecords: reading.journalRecords,
    lostRecords: reading.lostRecords,
    problems,
    error,
  };
}

function textOf(status: StatusDocument): string {
  const lines: string[] = [];
  if (status.state === 'none') {
    lines.push(
      `Feature ${status.featureId}: no checkpoint at ${status.checkpointPath} (not started, or the last run completed everything)`,
    );
  } else if (status.state === 'unusable') {
    lines.push(`Feature ${status.featureId}: the checkpoint cannot be used: ${status.error ?? ''}`);
    lines.push('  A run stops (exit 2) and changes nothing; to discard it and start over: run with --fresh');
  } else {
    const from = status.source === 'backup' ? ' (from its backup)' : '';
    lines.push(`Feature ${status.featureId}: checkpoint of ${status.timestamp ?? '?'}${from}`, `  ${status.checkpointPath}`);
    lines.push(`Completed ${status.completed.length} of ${status.total}`);
    if (status.failed.length > 0) lines.push(`Failed: ${status.failed.join(', ')}`);
    const skipped = Object.entries(status.skipped);
    if (skipped.length > 0) lines.push(`Skipped: ${skipped.map(([id, by]) => `${id} (blocked by ${by})`).join(', ')}`);
    if (status.running.length > 0) lines.push(`Running when saved (they run again on resume): ${status.running.join(', ')}`);
    if (status.notRun.length > 0) lines.push(`Not run yet: ${status.notRun.join(', ')}`);
    if (status.breaker !== null) lines.push(`Breaker: ${status.breaker}`);
  }
  if (status.problems.length > 0) {
    lines.push('Found (nothing was changed):');
    for (const { path, problem, action } of status.problems) lines.push(`  ${path}: ${problem}; ${action}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `sdp-dispatch status`: what the feature's checkpoint says, read without the lock and without changing anything;
 * what is damaged, foreign or left over, and what `run` would do about it. Exit 2 when a run could not use it.
 */
export async function statusCommand(args: CommonArgs, out: Output): Promise<number> {
  const { loaded, graph, done } = await loadFeature(args);
  const { checkpointDir } = featureStatePaths(args, loaded.featureId);
  const reading = await new CheckpointStore({ featureId: loaded.featureId, dir: checkpointDir }).inspect();
  const status = documentOf(loaded.featureId, graph, done, reading);
  out.write(args.json ? `${JSON.stringify(status, null, 2)}\n` : textOf(status));
  return status.state === 'unusable' ? 2 : 0;
}
