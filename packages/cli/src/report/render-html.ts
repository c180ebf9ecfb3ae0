import { formatDuration } from '../reporter.js';
import { htmlScript, htmlStyle } from './html-assets.js';
import type { StoredRunRecord } from './run-record.js';
import { timelineOf, type Timeline, type TimelineRow } from './timeline.js';

/** Rows above which the timeline is drawn dense (12 px a row) so that thousands stay scrollable. */
const denseAbove = 150;

/**
 * The run as one self-contained html page (inline CSS and a few lines of inline JS, no network):
 * a row per workstream, a bar per attempt coloured by outcome, waits and retries, skipped ones with
 * what blocked them, the critical path marked, breaker-open periods shaded, makespan against the lower bound.
 */
export function renderHtml(record: StoredRunRecord): string {
  const timeline = timelineOf(record);
  const span = Math.max(timeline.end - timeline.start, 1);
  const at = (ms: number) => `${round(((ms - timeline.start) / span) * 100)}%`;
  const width = (from: number, to: number) => `${round((Math.max(to - from, 0) / span) * 100)}%`;
  const ratio = record.lowerBoundMs > 0 ? ` (${(record.makespanMs / record.lowerBoundMs).toFixed(2)}× the lower bound)` : '';
  const dense = timeline.rows.length > denseAbove;
  const title = `Feature ${record.featureId} — run ${record.runId}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>${htmlStyle}</style>
</head>
<body>
<header>
<h1>${escape(`Feature ${record.featureId}: ${outcomeText(record.outcome)}`)}</h1>
<p class="meta">Run <code>${escape(record.runId)}</code>, started ${escape(new Date(record.startedAt).toISOString())}, concurrency ${record.concurrency}${record.resumed ? ', resumed from a checkpoint' : ''}</p>
<dl class="stats">
${stat('Makespan', `${formatDuration(record.makespanMs)}${ratio}`, 'makespan')}
${stat('Lower bound', `${formatDuration(record.lowerBoundMs)} = max(critical path, work ÷ concurrency)`, 'lower-bound')}
${Object.entries(record.totals)
  .filter(([, count]) => count > 0)
  .map(([status, count]) => stat(status, String(count), `total-${status}`))
  .join('\n')}
</dl>
${criticalPathHtml(record.criticalPath)}
${breakerText(timeline)}
</header>
<div class="legend">
<span><i class="swatch outcome-completed"></i>completed</span><span><i class="swatch outcome-failed"></i>failed</span><span><i class="swatch outcome-timed-out"></i>timed out</span><span><i class="swatch outcome-cancelled"></i>cancelled</span><span><i class="swatch outcome-abandoned"></i>abandoned</span><span><i class="swatch wait"></i>ready, waiting for a slot</span><span><i class="swatch retry-wait"></i>retry delay</span><span><i class="swatch breaker-open"></i>breaker open</span><span><i class="swatch critical-mark"></i>critical path</span>
<label class="zoom">Zoom <input id="zoom" type="range" min="1" max="40" value="1"></label>
<input id="filter" type="search" placeholder="Filter: id or status" aria-label="Filter workstreams">
</div>
<main class="timeline${dense ? ' dense' : ''}">
<div class="canvas">
<div class="axis"><div class="label">${timeline.rows.length} workstreams</div><div class="track">${timeline.ticks
    .map((tick) => `<span class="tick" style="left:${at(timeline.start + tick)}">${escape(formatDuration(tick))}</span>`)
    .join('')}</div></div>
<div class="rows">
<div class="bands">${timeline.breakerOpen
    .map(
      ({ from, to }) =>
        `<div class="breaker-open" style="left:${at(from)};width:${width(from, to)}" title="breaker open for ${escape(formatDuration(to - from))}"></div>`,
    )
    .join('')}</div>
${timeline.rows.map((row) => rowHtml(row, at, width)).join('\n')}
</div>
</div>
</main>
<script>${htmlScript}</script>
</body>
</html>
`;
}

function rowHtml(row: TimelineRow, at: (ms: number) => string, width: (from: number, to: number) => string): string {
  const { result } = row;
  const parts: string[] = [];
  const first = result.attemptRecords[0];
  if (first !== undefined && row.readyAt !== undefined && first.startedAt > row.readyAt) {
    parts.push(
      `<div class="wait" style="left:${at(row.readyAt)};width:${width(row.readyAt, first.startedAt)}" title="ready, waited ${escape(formatDuration(first.startedAt - row.readyAt))} for a slot or the breaker"></div>`,
    );
  }
  let previousEnd: number | undefined;
  for (const attempt of result.attemptRecords) {
    if (previousEnd !== undefined && attempt.startedAt > previousEnd) {
      parts.push(
        `<div class="retry-wait" style="left:${at(previousEnd)};width:${width(previousEnd, attempt.startedAt)}" title="retry after ${escape(formatDuration(attempt.startedAt - previousEnd))}"></div>`,
      );
    }
    const error =
      attempt.error === undefined
        ? ''
        : `: ${attempt.error.message}${attempt.error.exitCode === undefined ? '' : ` (exit ${attempt.error.exitCode})`}`;
    const tip = `${result.id} attempt ${attempt.attempt}: ${attempt.outcome} in ${formatDuration(attempt.endedAt - attempt.startedAt)}${error}`;
    parts.push(
      `<div class="attempt outcome-${attempt.outcome}" data-attempt="${attempt.attempt}" style="left:${at(attempt.startedAt)};width:${width(attempt.startedAt, attempt.endedAt)}" title="${escape(tip)}"></div>`,
    );
    previousEnd = attempt.endedAt;
  }
  const note = noteOf(result);
  if (note !== '')
    parts.push(`<span class="note"${previousEnd === undefined ? '' : ` style="left:${at(previousEnd)}"`}>${escape(note)}</span>`);
  const classes = ['row', `status-${result.status}`, ...(row.critical ? ['critical'] : [])].join(' ');
  return `<div class="${classes}" data-ws="${escape(result.id)}" data-status="${result.status}"><div class="label" title="${escape(result.id)}">${escape(result.id)}</div><div class="track">${parts.join('')}</div></div>`;
}

function noteOf(result: TimelineRow['result']): string {
  if (result.status === 'skipped') return `skipped: blocked by ${result.blockedBy ?? 'a failed dependency'}`;
  if (result.alreadyCompleted) return 'completed before this run';
  if (result.status === 'not-run') return 'not run';
  if (result.attemptRecords.length > 1)
    return `${result.attemptRecords.length} attempts${result.rerunAfterCrash ? ', rerun after a crash' : ''}`;
  if (result.rerunAfterCrash) return 'rerun after a crash';
  return '';
}

/** Long paths (thousands of workstreams) fold: the ends shown, the whole path one click away. */
function criticalPathHtml(path: readonly string[]): string {
  const list = (ids: readonly string[]) => ids.map((id) => `<code>${escape(id)}</code>`).join(' → ');
  if (path.length === 0) return '<p class="critical-path">Critical path: none</p>';
  if (path.length <= 12) return `<p class="critical-path">Critical path: ${list(path)}</p>`;
  return `<details class="critical-path"><summary>Critical path: ${path.length} workstreams, ${list(path.slice(0, 3))} → … → ${list(path.slice(-3))}</summary>${list(path)}</details>`;
}

function breakerText(timeline: Timeline): string {
  if (timeline.breakerOpen.length === 0) return '';
  const total = timeline.breakerOpen.reduce((sum, { from, to }) => sum + (to - from), 0);
  return `<p class="breaker">The circuit breaker was open ${timeline.breakerOpen.length} time(s), ${escape(formatDuration(total))} in all (shaded).</p>`;
}

function stat(name: string, value: string, id: string): string {
  return `<div id="${id}"><dt>${escape(name)}</dt><dd>${escape(value)}</dd></div>`;
}

function outcomeText(outcome: string): string {
  const texts: Record<string, string> = {
    completed: 'all workstreams completed',
    failed: 'some workstreams failed',
    cancelled: 'interrupted',
    'breaker-open': 'stopped, the circuit breaker opened',
    'checkpoint-error': 'stopped, a checkpoint could not be saved',
    'lock-lost': 'stopped, another run took over the lock',
  };
  return texts[outcome] ?? outcome;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => entities[char] ?? char);
}
