import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Coordinator, connectionOf } from '@sdp/bullmq';
import type { Dispatcher, Execute } from '@sdp/dispatcher';
import type { DependencyGraph } from '@sdp/graph';
import type { RemoteArgs } from './distributed-args.js';
import { sayChangedErrors } from './repeated-errors.js';

export interface RemoteRunInputs {
  readonly featureId: string;
  readonly graph: DependencyGraph;
  /** Workstream id -> its file (its text goes with the job). */
  readonly files: ReadonlyMap<string, string>;
  readonly concurrency: number;
  /** Where the coordinator keeps the commands' output, one `<ws>.log` each (as a local run). */
  readonly logDir: string;
  /** `--fresh`: the feature's old jobs are cancelled and removed first (once this run holds the lock). */
  readonly fresh: boolean;
  readonly note: (line: string) => void;
}

/**
 * `run <dir> --redis <url>`: the executor the run command uses instead of its shell executor.
 * Same members the run command uses (`execute`, `stopSignal`, `killAll`, `logFile`), plus the
 * breaker hook, the cleanup of a finished run and `close`.
 */
export class RemoteExecutor {
  /** Unused: workers stop their commands when the coordinator's abort is relayed to them. */
  stopSignal: NodeJS.Signals = 'SIGTERM';
  #writes: Promise<void> = Promise.resolve();
  /** `--fresh`: the feature's old jobs, cancelled and removed once, before the first workstream is enqueued. */
  #discarded: Promise<number> | undefined;

  private constructor(
    private readonly coordinator: Coordinator,
    private readonly inputs: RemoteRunInputs,
  ) {}

  static async connect(remote: RemoteArgs, inputs: RemoteRunInputs): Promise<RemoteExecutor> {
    const coordinator = await Coordinator.connect({
      connection: connectionOf(remote.url),
      queue: remote.queue,
      featureId: inputs.featureId,
      concurrency: inputs.concurrency,
      chainLengths: inputs.graph.chainLengths(),
      textOf: (id) => readFile(inputs.files.get(id) ?? '', 'utf8'),
    });
    const executor = new RemoteExecutor(coordinator, inputs);
    coordinator.onAdopt(({ id, jobId, state }) => {
      inputs.note(
        state === 'completed'
          ? `${id} completed while no coordinator ran (job ${jobId}); recorded, not run again`
          : `${id} is still running on a worker (job ${jobId}); waiting for it`,
      );
    });
    coordinator.onError(
      sayChangedErrors((error) => {
        inputs.note(`Redis: ${error.message} (retrying)`);
      }),
    );
    coordinator.onOutput(({ id, text }) => {
      executor.#append(id, text);
    });
    return executor;
  }

  /** Appends in order; `close` waits for the last one (the run's summary reads these files). */
  #append(id: string, text: string): void {
    this.#writes = this.#writes
      .then(async () => {
        await mkdir(this.inputs.logDir, { recursive: true });
        await appendFile(this.logFile(id), text);
      })
      .catch(() => undefined);
  }

  // The dispatcher calls execute only once it holds the checkpoint lock, so a `--fresh` run that finds
  // another coordinator at work is refused before it could cancel that run's jobs.
  readonly execute: Execute = async (id, context) => {
    if (this.inputs.fresh) await (this.#discarded ??= this.coordinator.discard(this.inputs.graph.ids()));
    return this.coordinator.execute(id, context);
  };

  logFile(id: string): string {
    return join(this.inputs.logDir, `${id}.log`);
  }

  /** Nothing runs here: a cancel reaches the workers through the aborted attempts (same shape as the shell executor). */
  killAll(): void {
    // Intentionally empty.
  }

  /** A note for the run's logs: the coordinator has no command of its own, so it goes to its stderr. */
  note(line: string): void {
    this.inputs.note(line);
  }

  /** Pauses the queue while the dispatcher's breaker is open. */
  attach(dispatcher: Dispatcher): () => void {
    return this.coordinator.attach(dispatcher);
  }

  /** After the run: a run that completed everything has its jobs removed. */
  async finish(outcome: string): Promise<void> {
    await this.coordinator.finish(outcome, this.inputs.graph.ids());
  }

  /** The grace period is the workers' business; here only the log writes and the connection are closed. */
  async close(): Promise<void> {
    await this.#writes;
    await this.coordinator.close();
  }
}
