import { styleText } from 'node:util';
import type { CircuitState } from '@sdp/circuit-breaker';
import type { Dispatcher } from '@sdp/dispatcher';
import type { RunReport } from '@sdp/dispatcher';
import { formatDuration, type Reporter, type SummaryContext } from './reporter.js';
import { formatSummary } from './summary.js';

export interface Terminal {
  write(text: string): unknown;
  readonly columns?: number;
}

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const recentLines = 8;

/** A live view for a terminal: what runs and for how long, what finished, the breaker, elapsed time. */
export class LiveReporter implements Reporter {
  readonly #running = new Map<string, number>();
  readonly #recent: string[] = [];
  #done = 0;
  #failed = 0;
  #skipped = 0;
  #breaker: CircuitState = 'closed';
  #note = '';
  #drawnLines = 0;
  #frame = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #startedAt: number;

  constructor(
    private readonly out: Terminal,
    private readonly featureId: string,
    private readonly total: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#startedAt = now();
  }

  attach(dispatcher: Dispatcher): () => void {
    const disposers = [
      dispatcher.onStart(({ id, startedAt }) => {
        this.#running.set(id, startedAt.getTime());
        this.#draw();
      }),
      dispatcher.onComplete(({ id, durationMs }) => {
        this.#running.delete(id);
        this.#done += 1;
        this.#push(`${styleText('green', '✓')} ${id} ${styleText('dim', formatDuration(durationMs))}`);
      }),
      dispatcher.onFailure(({ id, error, willRetry }) => {
        this.#running.delete(id);
        if (!willRetry) this.#failed += 1;
        const message = error instanceof Error ? error.message : String(error);
        this.#push(`${styleText('red', '✗')} ${id} ${styleText('red', willRetry ? `failed, retrying: ${message}` : message)}`);
      }),
      dispatcher.onSkip(({ id, blockedBy }) => {
        this.#skipped += 1;
        this.#push(`${styleText('yellow', '↷')} ${id} ${styleText('dim', `skipped (blocked by ${blockedBy})`)}`);
      }),
      dispatcher.onBreakerStateChange(({ to }) => {
        this.#breaker = to;
        this.#draw();
      }),
    ];
    this.out.write('\x1b[?25l');
    this.#timer = setInterval(() => {
      this.#frame += 1;
      this.#draw();
    }, 120);
    this.#timer.unref();
    this.#draw();
    return () => {
      for (const dispose of disposers) dispose();
      clearInterval(this.#timer);
      // Whatever ended the run (even an error), the terminal gets its cursor back.
      this.out.write('\x1b[?25h');
    };
  }

  interrupted(signal: NodeJS.Signals, forced: boolean): void {
    this.#note = forced
      ? `${signal} again: killing running commands`
      : `${signal}: stopping — waiting for running commands (Ctrl-C again to kill them)`;
    this.#draw();
  }

  note(text: string): void {
    this.#push(styleText('yellow', text));
  }

  finish(report: RunReport, context: SummaryContext): void {
    clearInterval(this.#timer);
    this.#running.clear();
    this.#draw();
    this.out.write(`\x1b[?25h${formatSummary(report, context)}`);
  }

  #push(line: string): void {
    this.#recent.push(line);
    if (this.#recent.length > recentLines) this.#recent.shift();
    this.#draw();
  }

  #draw(): void {
    const now = this.now();
    // A pseudo-terminal without a size reports 0 columns.
    const width = Math.max(20, (this.out.columns === undefined || this.out.columns === 0 ? 80 : this.out.columns) - 1);
    const breaker =
      this.#breaker === 'closed' ? styleText('green', 'closed') : styleText(this.#breaker === 'open' ? 'red' : 'yellow', this.#breaker);
    const lines = [
      `${styleText('bold', `sdp-dispatch ${this.featureId}`)}  ${formatDuration(now - this.#startedAt)} elapsed  breaker ${breaker}`,
      `${this.#done}/${this.total} done  ${this.#running.size} running  ${this.#failed} failed  ${this.#skipped} skipped`,
      ...this.#recent,
      ...[...this.#running].map(
        ([id, startedAt]) =>
          `${styleText('cyan', spinner[this.#frame % spinner.length] ?? '')} ${id} ${styleText('dim', formatDuration(now - startedAt))}`,
      ),
      ...(this.#note === '' ? [] : [styleText('yellow', this.#note)]),
    ].map((line) => truncate(line, width));
    // Move to the top of the previous frame and clear it, then draw the new one.
    const rewind = this.#drawnLines > 0 ? `\x1b[${this.#drawnLines}F\x1b[J` : '';
    this.out.write(`${rewind}${lines.join('\n')}\n`);
    this.#drawnLines = lines.length;
  }
}

/** Cuts a line to the terminal width, counting visible characters only (escape codes are free). */
function truncate(line: string, width: number): string {
  let visible = 0;
  let result = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      result += line.slice(i, end + 1);
      i = end;
      continue;
    }
    if (visible >= width) continue;
    result += line.charAt(i);
    visible += 1;
  }
  return result;
}
