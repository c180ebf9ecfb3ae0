import type { Dispatcher } from '@sdp/dispatcher';
import type { RunReport } from '@sdp/dispatcher';

/** Where a run's progress goes: a live terminal view, plain lines, or JSON lines. */
export interface Reporter {
  /** Subscribes to the dispatcher's events; returns the disposer. */
  attach(dispatcher: Dispatcher): () => void;
  /** Ctrl-C or SIGTERM arrived (`forced` on the second one). */
  interrupted(signal: NodeJS.Signals, forced: boolean): void;
  /** Something the run did on its own that the user must hear of, as one line (a survivor ended, the lock lost). */
  note(text: string): void;
  /** The run ended; prints the summary. */
  finish(report: RunReport, context: SummaryContext): void;
}

export interface SummaryContext {
  /** The exact command that resumes this run. */
  resumeCommand: string;
  /** Log file of a workstream. */
  logFile(id: string): string;
  /** Why the run stopped, when the report's outcome does not say it (e.g. the lock was lost). */
  stoppedBecause?: string;
}

export interface Output {
  write(text: string): unknown;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}
