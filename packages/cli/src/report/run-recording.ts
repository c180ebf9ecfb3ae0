import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Dispatcher, RunReport } from '@sdp/dispatcher';
import type { DependencyGraph } from '@sdp/graph';
import { formatDuration, type Output } from '../reporter.js';
import { renderHtml } from './render-html.js';
import { planFromHistory, readHistory, type HistoryPlan } from './run-history.js';
import type { StoredRunRecord } from './run-record.js';
import { RunRecorder } from './run-recorder.js';
import { newRunId, RunStore } from './run-store.js';

export interface RecordingOptions {
  readonly featureId: string;
  readonly graph: DependencyGraph;
  /** `.sdp/runs/<feature>` */
  readonly runsDir: string;
  /** `--fresh` */
  readonly fresh: boolean;
  /** The checkpoint's files (main, backup, journal): any of them means a resume, which records cannot overrule. */
  readonly checkpointFiles: readonly string[];
  readonly now?: () => number;
}

export interface FinishOptions {
  readonly concurrency: number;
  readonly logDir: string;
  readonly resumeCommand: string;
  /** `run --report <file.html>` */
  readonly htmlPath?: string;
}

/**
 * The `run` command's side of run records: before the run, what earlier records say (nothing to do,
 * what is still complete after a graph change, measured durations); during it, every attempt; after
 * it, however it stopped, the record (and the html report when asked for).
 */
export class RunRecording {
  readonly plan: HistoryPlan;
  /** What the user should know before the run: records passed over, a graph changed since a complete run. */
  readonly notes: readonly string[];
  readonly #store: RunStore;
  readonly #recorder = new RunRecorder();
  readonly #graph: DependencyGraph;
  readonly #now: () => number;
  #startedAt: number | undefined;

  private constructor(store: RunStore, plan: HistoryPlan, notes: readonly string[], graph: DependencyGraph, now: () => number) {
    this.#store = store;
    this.plan = plan;
    this.notes = notes;
    this.#graph = graph;
    this.#now = now;
  }

  static async open(options: RecordingOptions): Promise<RunRecording> {
    const store = new RunStore(options.runsDir);
    const history = await readHistory(store);
    const checkpointExists = options.checkpointFiles.some((file) => existsSync(file));
    const plan = planFromHistory(history, options.graph, { fresh: options.fresh, checkpointExists });
    const notes = history.unreadable.map(
      ({ runId, error }) => `warning: run record ${runId} passed over: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (plan.kind === 'run' && plan.changedSince !== undefined) {
      const kept = plan.completed.length;
      notes.push(
        `the workstreams changed since run ${plan.changedSince.runId} completed them: ${kept} unchanged are kept, ${options.graph.size - kept} run`,
      );
    }
    return new RunRecording(store, plan, notes, options.graph, options.now ?? Date.now);
  }

  /** Workstreams to pass to the dispatcher as completed already (unchanged since the last complete run). */
  get completed(): readonly string[] {
    return this.plan.kind === 'run' ? this.plan.completed : [];
  }

  /** Dispatcher options from history: `knownDurationsMs` (INTEGRATOR: a real DispatcherOptions field once the dispatcher has it). */
  dispatcherOptions(): { knownDurationsMs?: ReadonlyMap<string, number> } {
    return this.plan.kind === 'run' && this.plan.knownDurationsMs.size > 0 ? { knownDurationsMs: this.plan.knownDurationsMs } : {};
  }

  /** Listens to the run's attempts; call right before `run()`. */
  attach(dispatcher: Dispatcher): () => void {
    this.#startedAt = this.#now();
    return this.#recorder.attach(dispatcher);
  }

  /**
   * Writes the record of a run that started work or completed everything (the next run's no-re-run
   * check needs it), then the html report when asked. Resolves to the record and its path.
   */
  async finish(report: RunReport, options: FinishOptions): Promise<{ record: StoredRunRecord; path?: string }> {
    const endedAt = this.#now();
    const startedAt = this.#startedAt ?? endedAt;
    const record = this.#recorder.record(report, {
      runId: newRunId(startedAt),
      graph: this.#graph,
      concurrency: options.concurrency,
      startedAt,
      endedAt,
      logDir: options.logDir,
      ...(report.checkpoint?.kept === true ? { resumeCommand: options.resumeCommand } : {}),
    });
    const startedWork = record.results.some((result) => result.attemptRecords.length > 0);
    const path = startedWork || record.outcome === 'completed' ? await this.#store.write(record) : undefined;
    if (options.htmlPath !== undefined) await writeHtml(record, options.htmlPath);
    return path === undefined ? { record } : { record, path };
  }
}

async function writeHtml(record: StoredRunRecord, path: string): Promise<void> {
  await writeFile(resolve(path), renderHtml(record));
}

/**
 * Instead of running a feature whose latest run completed it, graph unchanged: says which run, when it
 * ended and how long it took (and writes that run's html report when asked). Resolves to exit code 0.
 */
export async function sayAlreadyCompleted(
  record: StoredRunRecord,
  out: Output,
  options: { readonly json: boolean; readonly htmlPath?: string },
): Promise<0> {
  out.write(alreadyCompletedText(record, options.json));
  if (options.htmlPath !== undefined) await writeHtml(record, options.htmlPath);
  return 0;
}

function alreadyCompletedText(record: StoredRunRecord, json: boolean): string {
  const endedAt = new Date(record.endedAt).toISOString();
  const durationMs = record.endedAt - record.startedAt;
  if (json)
    return `${JSON.stringify({ event: 'already-completed', featureId: record.featureId, runId: record.runId, endedAt, durationMs })}\n`;
  return `Feature ${record.featureId}: every workstream completed in run ${record.runId}, which ended ${endedAt} after ${formatDuration(durationMs)}; the workstreams have not changed since. Nothing to run (--fresh runs them all again).\n`;
}
