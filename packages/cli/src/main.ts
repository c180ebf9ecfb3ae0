import { readFileSync } from 'node:fs';
import { isCheckpointLockedError } from '@sdp/checkpoint';
import { parseCommandLine, fullHelpText, isUsageError } from './args.js';
import { GuardedOutput } from './guarded-output.js';
import { cleanCommand } from './clean-command.js';
import { resumeCommandOf } from './paths.js';
import { planCommand } from './plan-command.js';
import { reportCommand } from './report/report-command.js';
import { runCommand } from './run-command.js';
import { statusCommand } from './status-command.js';

/** Runs the command line; resolves to the exit code. Prints errors as one clear line (stack with --verbose). */
export async function main(argv: readonly string[]): Promise<number> {
  // An output that fails (a reader gone with `| head`, a full disk, `ulimit -f`, a closed terminal) must not
  // kill a run: output stops, work goes on, exit codes keep their meaning.
  const stdout = new GuardedOutput(process.stdout, 'stdout');
  const stderr = new GuardedOutput(process.stderr, 'stderr');
  // Past `ulimit -f` the kernel sends SIGXFSZ; write-file-atomic's signal-exit would re-raise it with its
  // default action (death). A write past the limit must be a reported failure (EFBIG) instead.
  process.on('SIGXFSZ', ignoreSignal);
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    const parsed = parseCommandLine(argv);
    switch (parsed.kind) {
      case 'help':
        stdout.write(fullHelpText);
        return 0;
      case 'version':
        stdout.write(`${version()}\n`);
        return 0;
      case 'plan':
        return await planCommand(parsed.args, stdout);
      case 'status':
        return await statusCommand(parsed.args, stdout);
      case 'clean':
        return await cleanCommand(parsed.args, stdout);
      case 'report':
        return await reportCommand(parsed.args, stdout);
      case 'worker': {
        // Loaded on demand: BullMQ and ioredis would double the start-up time of every other command.
        const { workerCommand } = await import('./distributed/worker-command.js');
        return await workerCommand(parsed.args, { stderr });
      }
      case 'run':
        return await runCommand(parsed.args, {
          stdout,
          stderr,
          resumeCommand: resumeCommandOf(argv),
        });
    }
  } catch (error) {
    stderr.write(`sdp-dispatch: ${describeError(error)}\n`);
    if (isUsageError(error)) stderr.write(`Run sdp-dispatch --help for usage.\n`);
    if (verbose && error instanceof Error && error.stack !== undefined) stderr.write(`${error.stack}\n`);
    return 2;
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code } = error as { code?: unknown };
  if (isCheckpointLockedError(error)) return `${error.message}; is another run of this feature still going?`;
  // A damaged checkpoint's message names the choices itself (CHECKPOINT_CORRUPT).
  if (code === 'CHECKPOINT_GRAPH') return `${error.message}; start over with --fresh`;
  return error.message;
}

function ignoreSignal(): void {
  // Ignored: see main().
}

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
