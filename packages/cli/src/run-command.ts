import { CheckpointStore } from '@sdp/checkpoint';
import { Dispatcher } from '@sdp/dispatcher';
import type { RunArgs } from './args.js';
import { JsonReporter } from './json-reporter.js';
import { LiveReporter } from './live-reporter.js';
import { loadFeature, skippedFilesText } from './load-feature.js';
import { logDirOf } from './paths.js';
import { PlainReporter } from './plain-reporter.js';
import type { Reporter } from './reporter.js';
import { ShellExecutor } from './shell-executor.js';
import type { RemoteExecutor } from './distributed/remote-executor.js';

const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface RunIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  resumeCommand: string;
}

/** `sdp-dispatch run`: exit 0 all completed, 1 some failed or skipped (or the breaker stopped it), 130 interrupted. */
export async function runCommand(args: RunArgs, io: RunIo): Promise<number> {
  const { loaded, graph, done, files } = await loadFeature(args);
  const { featureId } = loaded;
  if (args.verbose) io.stderr.write(skippedFilesText(loaded));
  const store = new CheckpointStore({ featureId, dir: args.checkpointDir });
  // --redis: workers run the commands; this process coordinates (distributed/remote-executor.ts).
  const remote: RemoteExecutor | undefined = args.redis === undefined ? undefined : await (await import('./distributed/remote-executor.js')).RemoteExecutor.connect(args.redis, {
    featureId, graph, files, concurrency: args.concurrency, fresh: args.fresh,
    logDir: logDirOf(args.checkpointDir, featureId), note: (line) => io.stderr.write(`sdp-dispatch: ${line}\n`),
  });
  const executor = remote ?? new ShellExecutor({
    command: args.exec,
    featureId,
    files,
    logDir: logDirOf(args.checkpointDir, featureId),
    killAfterMs: args.graceMs,
  });
  const dispatcher = new Dispatcher(graph, {
    featureId,
    concurrency: args.concurrency,
    checkpoint: store,
    breaker: args.breaker,
    onBreakerOpen: args.onBreakerOpen,
    retries: args.retries,
    gracePeriod: args.graceMs,
    ...(args.retryDelayMs === undefined ? {} : { retryDelay: args.retryDelayMs }),
    ...(args.timeoutMs === undefined ? {} : { timeout: args.timeoutMs }),
  });
  const reporter: Reporter = args.json
    ? new JsonReporter(io.stdout)
    : io.stdout.isTTY
      ? new LiveReporter(io.stdout, featureId, graph.size)
      : new PlainReporter(io.stdout);

  // First Ctrl-C / SIGTERM: stop starting work, pass the signal on, wait the grace period, save.
  // A second one kills the commands at once; the checkpoint is still saved before exit.
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    reporter.interrupted(signal, interrupts > 1);
    if (interrupts === 1) {
      executor.stopSignal = signal;
      controller.abort(new Error(`interrupted by ${signal}`));
    } else {
      executor.killAll('SIGKILL');
    }
  };
  // SIGHUP (the terminal closed) too: the commands run in their own process groups and would be orphaned.
  for (const signal of stopSignals) process.on(signal, onSignal);
  // write-file-atomic's signal-exit re-raises SIGXFSZ (file size limit) and would kill the run; a
  // save past the limit must be a reported failure (short write), with the last good checkpoint kept.
  const ignoreFileSizeLimit = () => undefined;
  process.on('SIGXFSZ', ignoreFileSizeLimit);
  const disposeStoreListeners = [
    store.onRecover(({ from, movedTo, reason }) => {
      const resumedFrom = from === 'backup' ? 'its backup' : 'the journal records before the damage';
      io.stderr.write(`sdp-dispatch: the checkpoint ${from === 'backup' ? '' : 'journal '}was damaged (${reason}); resumed from ${resumedFrom}, the damaged file is kept at ${movedTo}\n`);
    }),
    store.onLockCompromised(({ reason }) => {
      io.stderr.write(`sdp-dispatch: warning: this run lost the checkpoint lock (${reason}); another process may be running this feature\n`);
    }),
  ];
  const detach = reporter.attach(dispatcher);
  const detachRemote = remote?.attach(dispatcher);
  try {
    const report = await dispatcher
      .run(executor.execute, { signal: controller.signal, completed: done, fresh: args.fresh })
      .catch((error: unknown) => {
        // Interrupted before the run started (while the checkpoint was being loaded): nothing ran.
        if (controller.signal.aborted) return undefined;
        throw error;
      });
    if (report === undefined) return 130;
    await remote?.finish(report.outcome);
    reporter.finish(report, { resumeCommand: io.resumeCommand, logFile: (id) => executor.logFile(id) });
    if (report.outcome === 'cancelled') return 130;
    return report.outcome === 'completed' ? 0 : 1;
  } finally {
    // Commands that outlived the grace period are killed: nothing of this run is left running.
    executor.killAll('SIGKILL');
    detach();
    detachRemote?.();
    await remote?.close();
    for (const signal of stopSignals) process.off(signal, onSignal);
    process.off('SIGXFSZ', ignoreFileSizeLimit);
    for (const dispose of disposeStoreListeners) dispose();
  }
}
