import type { RunReport } from '@sdp/dispatcher';
import { isCommandFailedError } from './command-errors.js';
import { formatDuration, type SummaryContext } from './reporter.js';

/** The end-of-run summary: counts, failures with their output, what was skipped and why, and how to resume. */
export function formatSummary(report: RunReport, context: SummaryContext): string {
  const { totals } = report;
  const lines: string[] = [''];
  const parts = [
    `${totals.completed} completed`,
    `${totals.failed} failed`,
    `${totals.skipped} skipped`,
    ...(totals.cancelled > 0 ? [`${totals.cancelled} cancelled`] : []),
    ...(totals['not-run'] > 0 ? [`${totals['not-run']} not run`] : []),
  ];
  lines.push(
    `Feature ${report.featureId}: ${context.stoppedBecause ?? outcomeText(report)} — ${parts.join(', ')} of ${report.results.length}`,
  );

  const failed = report.results.filter((result) => result.status === 'failed');
  for (const result of failed) {
    const error = result.error;
    lines.push('', `✗ ${result.id} failed after ${result.attempts} attempt(s): ${error instanceof Error ? error.message : String(error)}`);
    if (isCommandFailedError(error)) {
      for (const line of error.tail) lines.push(`    │ ${line}`);
      lines.push(`    log: ${error.logFile}`);
    } else {
      lines.push(`    log: ${context.logFile(result.id)}`);
    }
  }

  const skippedBy = new Map<string, string[]>();
  for (const result of report.results) {
    if (result.status !== 'skipped' || result.blockedBy === undefined) continue;
    const list = skippedBy.get(result.blockedBy) ?? [];
    list.push(result.id);
    skippedBy.set(result.blockedBy, list);
  }
  if (skippedBy.size > 0) {
    lines.push('', 'Skipped because a dependency failed:');
    for (const [blocker, ids] of skippedBy) lines.push(`  ${blocker} blocked ${ids.join(', ')}`);
  }

  const rerun = report.results.filter((result) => result.rerunAfterCrash).map((result) => result.id);
  if (rerun.length > 0) lines.push('', `Ran again because an earlier run died while they ran: ${rerun.join(', ')}`);
  if (report.graphChanges !== undefined) {
    const { added, removed, changed, invalidated } = report.graphChanges;
    lines.push(
      '',
      `The workstreams changed since the checkpoint: added [${added.join(', ')}], removed [${removed.join(', ')}], changed [${changed.join(', ')}]; run again: [${invalidated.join(', ')}]`,
    );
  }
  if (report.checkpointErrors.length > 0) {
    lines.push('', `${report.checkpointErrors.length} checkpoint save(s) failed; the last good checkpoint was kept.`);
  }

  if (report.makespanMs > 0) {
    const ratio = report.lowerBoundMs > 0 ? ` (${(report.makespanMs / report.lowerBoundMs).toFixed(2)}x)` : '';
    lines.push('', `Makespan ${formatDuration(report.makespanMs)} against a lower bound of ${formatDuration(report.lowerBoundMs)}${ratio}`);
  }
  if (report.checkpoint?.kept === true) {
    lines.push(`Checkpoint: ${report.checkpoint.path}`, `Resume with: ${context.resumeCommand}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Keyed by string: the dispatcher's `'lock-lost'` outcome is named here before its type has it. */
const outcomeTexts: Readonly<Record<string, string>> = {
  completed: 'all workstreams completed',
  failed: 'some workstreams failed',
  cancelled: 'interrupted',
  'breaker-open': 'stopped: the circuit breaker opened',
  'checkpoint-error': 'stopped: a checkpoint could not be saved',
  'lock-lost': 'stopped: another run took over the lock',
};

function outcomeText(report: RunReport): string {
  return outcomeTexts[report.outcome] ?? `stopped (${report.outcome})`;
}
