import type { Dispatcher } from '@sdp/dispatcher';
import type { RunReport } from '@sdp/dispatcher';
import { formatDuration, type Output, type Reporter, type SummaryContext } from './reporter.js';
import { formatSummary } from './summary.js';

/** One plain line per event, for CI logs and pipes. */
export class PlainReporter implements Reporter {
  constructor(
    private readonly out: Output,
    private readonly now: () => number = Date.now,
  ) {}

  #line(text: string): void {
    this.out.write(`[${new Date(this.now()).toISOString().slice(11, 19)}] ${text}\n`);
  }

  attach(dispatcher: Dispatcher): () => void {
    const disposers = [
      dispatcher.onStart(({ id, attempt, rerunAfterCrash }) => {
        const notes = [attempt > 1 ? `attempt ${attempt}` : '', rerunAfterCrash ? 'rerun after a crash' : ''].filter(Boolean);
        this.#line(`start   ${id}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`);
      }),
      dispatcher.onComplete(({ id, durationMs }) => {
        this.#line(`done    ${id} in ${formatDuration(durationMs)}`);
      }),
      dispatcher.onFailure(({ id, error, willRetry, retryInMs }) => {
        const message = error instanceof Error ? error.message : String(error);
        this.#line(`FAILED  ${id}: ${message}${willRetry ? ` (retry in ${formatDuration(retryInMs ?? 0)})` : ''}`);
      }),
      dispatcher.onSkip(({ id, blockedBy }) => {
        this.#line(`skip    ${id} (blocked by ${blockedBy})`);
      }),
      dispatcher.onBreakerStateChange(({ from, to }) => {
        this.#line(`breaker ${from} -> ${to}`);
      }),
      dispatcher.onCheckpoint((event) => {
        if (!event.ok) this.#line(`checkpoint save failed: ${String(event.error)}`);
      }),
    ];
    return () => {
      for (const dispose of disposers) dispose();
    };
  }

  interrupted(signal: NodeJS.Signals, forced: boolean): void {
    this.#line(
      forced
        ? `${signal} again: killing running commands now`
        : `${signal}: stopping, waiting for running commands (Ctrl-C again to kill them)`,
    );
  }

  note(text: string): void {
    this.#line(text);
  }

  finish(report: RunReport, context: SummaryContext): void {
    this.out.write(formatSummary(report, context));
  }
}
