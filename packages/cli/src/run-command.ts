import { hostname } from 'node:os';
import { CheckpointStore } from '@sdp/checkpoint';
import { Dispatcher, type DispatcherOptions } from '@sdp/dispatcher';
import type { RunArgs } from './args.js';
import { CliError } from './cli-error.js';
import type { GuardedOutput } from './guarded-output.js';
import { inDoubtEnder, isInDoubtElsewhereError } from './in-doubt.js';
import { JsonReporter } from './json-reporter.js';
import { LiveReporter } from './live-reporter.js';
import { loadFeature, skippedFilesText, warningsText } from './load-feature.js';
import { lockLostReason } from './lock-check.js';
import { PlainReporter } from './plain-reporter.js';
import { RunRecording, sayAlreadyCompleted } from './report/run-recording.js';
import type { Reporter } from './reporter.js';
import { ShellExecutor } from './shell-executor.js';
import type { RemoteExecutor } from './distributed/remote-executor.js';

const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/**
 * The dispatcher gives a stopped attempt this much longer than the grace period before it abandons it:
 * the executor's SIGKILL (at the grace period) ends the group first, so a slot is never freed while
 * a command of it may live.
 */
const SETTLE_AFTER_KILL_MS = 2000;

/** What `run` needs of its executor: the local shell executor, or the coordinator of `--redis` workers. */
type RunExecutor = Pick<ShellExecutor, 'execute' | 'logFile' | 'killAll' | 'note' | 'stopSignal'> & {
  close(graceMs: number): Promise<void>;
};

export interface RunIo {
  stdout: GuardedOutput;
  stderr: GuardedOutput;
  resumeCommand: string;
}

/** A run that lost its checkpoint lock to another run (INTERFACES.md section 3). */
export class RunLockLostError extends CliError {
  override readonly name = 'RunLockLostError';
  declare readonly code: 'CLI_LOCK_LOST';
  constructor(
    readonly featureId: string,
    readonly reason: string,
  ) {
    super('CLI_LOCK_LOST', `another run took over the lock of feature ${featureId}; this run stopped: ${reason}`);
  }
}

/**
 * `sdp-dispatch run`: exit 0 all completed, 1 some failed or skipped (or the breaker stopped it), 2 a
 * workstream in doubt on another host, 3 the lock was lost, 130 interrupted.
 */
export async function runCommand(args: RunArgs, io: RunIo): Promise<number> {
  const { loaded, graph, done, files, paths } = await loadFeature(args);
  const { featureId } = loaded;
  io.stderr.write(warningsText(loaded) + skippedFilesText(loaded, args.verbose));
  const store = new CheckpointStore({
    featureId,
    dir: paths.checkpointDir,
    ...(args.lockStaleMs === undefined ? {} : { staleMs: args.lockStaleMs }),
  });
  // Run records (report/): no silent re-run of a completed feature, durations from history.
  const recording = await RunRecording.open({
    featureId,
    graph,
    runsDir: paths.runsDir,
    fresh: args.fresh,
    checkpointFiles: [store.path, store.backupPath, store.journalPath],
  });
  for (const note of recording.notes) io.stderr.write(`sdp-dispatch: ${note}\n`);
  if (recording.plan.kind === 'done')
    return sayAlreadyCompleted(recording.plan.record, io.stdout, {
      json: args.json,
      ...(args.reportPath === undefined ? {} : { htmlPath: args.reportPath }),
    });
  const reporter: Reporter = args.json
    ? new JsonReporter(io.stdout)
    : io.stdout.isTTY
      ? new LiveReporter(io.stdout, featureId, graph.size)
      : new PlainReporter(io.stdout);
  const controller = new AbortController();
  let lockLost: RunLockLostError | undefined;
  const loseLock = (reason: string): RunLockLostError => {
    if (lockLost !== undefined) return lockLost;
    const lost = new RunLockLostError(featureId, reason);
    lockLost = lost;
    reporter.note(lost.message);
    // Nothing new starts; running commands get the grace period (INTERFACES.md section 3).
    controller.abort(lost);
    return lost;
  };
  // --redis: workers run the commands; this process coordinates (distributed/remote-executor.ts).
  const remote: RemoteExecutor | undefined =
    args.redis === undefined
      ? undefined
      : await (
          await import('./distributed/remote-executor.js')
        ).RemoteExecutor.connect(args.redis, {
          featureId,
          graph,
          files,
          concurrency: args.concurrency,
          fresh: args.fresh,
          logDir: paths.logDir,
          note: (line) => io.stderr.write(`sdp-dispatch: ${line}\n`),
        });
  const executor: RunExecutor =
    remote ??
    new ShellExecutor({
      command: args.exec,
      featureId,
      files,
      logDir: paths.logDir,
      graceMs: args.graceMs,
      spares: Math.min(args.concurrency, 4),
      beforeStart: async () => {
        const reason = lockLost?.reason ?? (await lockLostReason(store.lockPath));
        if (reason !== undefined) throw loseLock(reason);
      },
    });
  const options: DispatcherOptions = {
    featureId,
    concurrency: args.concurrency,
    checkpoint: store,
    breaker: args.breaker,
    onBreakerOpen: args.onBreakerOpen,
    retries: args.retries,
    graceMs: args.graceMs + SETTLE_AFTER_KILL_MS,
    ...(args.retryDelayMs === undefined ? {} : { retryDelayMs: args.retryDelayMs }),
    ...(args.timeoutMs === undefined ? {} : { attemptTimeoutMs: args.timeoutMs }),
    ...recording.dispatcherOptions(),
    endInDoubt: inDoubtEnder({
      host: hostname(),
      graceMs: args.graceMs,
      onEnding: ({ id, pgid }) => {
        reporter.note(
          `in doubt ${id}: a command of an earlier run (process group ${String(pgid)}) still runs; ending it before ${id} starts again`,
        );
      },
    }),
  };
  const dispatcher = new Dispatcher(graph, options);
  for (const output of [io.stdout, io.stderr]) {
    output.onLost((error) => {
      executor.note(`the CLI's ${output.name} failed (${error.message}); the run goes on without printing`);
    });
  }

  // First Ctrl-C / SIGTERM / SIGHUP: stop starting work, pass the signal on, wait the grace period, save.
  // A second one kills the commands at once; the checkpoint is still saved before exit.
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    reporter.interrupted(signal, interrupts > 1);
    if (interrupts === 1) {
      executor.stopSignal = signal;
      controller.abort(new Error(`interrupted by ${signal}`));
    } else {
      executor.killAll();
    }
  };
  for (const signal of stopSignals) process.on(signal, onSignal);
  const disposeStoreListeners = [
    store.onRecover((event) => {
      io.stderr.write(`sdp-dispatch: recovered: ${event.summary}\n`);
    }),
    store.onLockCompromised(({ reason }) => {
      loseLock(reason);
    }),
  ];
  const detach = reporter.attach(dispatcher);
  const detachRecording = recording.attach(dispatcher);
  const detachRemote = remote?.attach(dispatcher);
  try {
    const report = await dispatcher
      .run(executor.execute, { signal: controller.signal, completed: [...done, ...recording.completed], fresh: args.fresh })
      .catch((error: unknown) => {
        // Interrupted before the run started (while the checkpoint was being loaded): nothing ran.
        if (controller.signal.aborted) return undefined;
        throw error;
      });
    if (report !== undefined) {
      await recording
        .finish(report, {
          concurrency: args.concurrency,
          logDir: paths.logDir,
          resumeCommand: io.resumeCommand,
          ...(args.reportPath === undefined ? {} : { htmlPath: args.reportPath }),
        })
        .catch((error: unknown) =>
          io.stderr.write(
            `sdp-dispatch: warning: the run record could not be written: ${error instanceof Error ? error.message : String(error)}\n`,
          ),
        );
    }
    if (lockLost !== undefined || report?.outcome === 'lock-lost') {
      const lost = lockLost ?? new RunLockLostError(featureId, 'its lock was taken over');
      if (report !== undefined)
        reporter.finish(report, {
          resumeCommand: io.resumeCommand,
          logFile: (id) => executor.logFile(id),
          stoppedBecause: 'stopped: the lock was lost',
        });
      io.stderr.write(`sdp-dispatch: ${lost.message}\n`);
      return 3;
    }
    if (report === undefined) return 130;
    await remote?.finish(report.outcome);
    reporter.finish(report, { resumeCommand: io.resumeCommand, logFile: (id) => executor.logFile(id) });
    const elsewhere = report.results.map((result) => result.error).find(isInDoubtElsewhereError);
    if (elsewhere !== undefined) {
      io.stderr.write(`sdp-dispatch: ${elsewhere.message}\n`);
      return 2;
    }
    if (report.outcome === 'cancelled') return 130;
    return report.outcome === 'completed' ? 0 : 1;
  } finally {
    // Commands that outlived the grace period are killed: nothing of this run is left running.
    await executor.close(SETTLE_AFTER_KILL_MS);
    detach();
    detachRecording();
    detachRemote?.();
    for (const signal of stopSignals) process.off(signal, onSignal);
    for (const dispose of disposeStoreListeners) dispose();
  }
}
