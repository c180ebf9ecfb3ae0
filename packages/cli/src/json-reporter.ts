import type { Dispatcher } from '@sdp/dispatcher';
import type { RunReport } from '@sdp/dispatcher';
import type { Output, Reporter, SummaryContext } from './reporter.js';

/** One JSON object per line: every event, then the final report. */
export class JsonReporter implements Reporter {
  constructor(
    private readonly out: Output,
    private readonly now: () => number = Date.now,
  ) {}

  #emit(event: string, fields: Record<string, unknown>): void {
    this.out.write(`${JSON.stringify({ event, time: new Date(this.now()).toISOString(), ...fields }, replacer)}\n`);
  }

  attach(dispatcher: Dispatcher): () => void {
    const disposers = [
      dispatcher.onStart((event) => {
        this.#emit('start', { ...event });
      }),
      dispatcher.onComplete((event) => {
        this.#emit('complete', { ...event });
      }),
      dispatcher.onFailure((event) => {
        this.#emit('fail', { ...event });
      }),
      dispatcher.onSkip((event) => {
        this.#emit('skip', { ...event });
      }),
      dispatcher.onBreakerStateChange((event) => {
        this.#emit('breaker', { from: event.from, to: event.to });
      }),
      dispatcher.onCheckpoint((event) => {
        this.#emit('checkpoint', { ...event });
      }),
    ];
    return () => {
      for (const dispose of disposers) dispose();
    };
  }

  interrupted(signal: NodeJS.Signals, forced: boolean): void {
    this.#emit('interrupt', { signal, forced });
  }

  note(text: string): void {
    this.#emit('note', { message: text });
  }

  finish(report: RunReport, context: SummaryContext): void {
    this.#emit('report', { ...report, resumeCommand: report.checkpoint?.kept === true ? context.resumeCommand : undefined });
  }
}

/** Errors become `{ name, message, code, ... }` instead of `{}`. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const { name, message } = value;
    return { name, message, ...(value as unknown as Record<string, unknown>) };
  }
  return value;
}
