import { readFileSync } from 'node:fs';
import { parseCommandLine, fullHelpText, UsageError } from './args.js';
import { cleanCommand } from './clean-command.js';
import { resumeCommandOf } from './paths.js';
import { planCommand } from './plan-command.js';
import { runCommand } from './run-command.js';
import { statusCommand } from './status-command.js';

/** Runs the command line; resolves to the exit code. Prints errors as one clear line (stack with --verbose). */
export async function main(argv: readonly string[]): Promise<number> {
  // A reader that went away (`sdp-dispatch run … | head`) must not kill a run: output stops, work goes on.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', ignoreClosedPipe);
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    const parsed = parseCommandLine(argv);
    switch (parsed.kind) {
      case 'help':
        process.stdout.write(fullHelpText);
        return 0;
      case 'version':
        process.stdout.write(`${version()}\n`);
        return 0;
      case 'plan':
        return await planCommand(parsed.args, process.stdout);
      case 'status':
        return await statusCommand(parsed.args, process.stdout);
      case 'clean':
        return await cleanCommand(parsed.args, process.stdout);
      case 'worker': {
        // Loaded on demand: BullMQ and ioredis would double the start-up time of every other command.
        const { workerCommand } = await import('./distributed/worker-command.js');
        return await workerCommand(parsed.args, { stderr: process.stderr });
      }
      case 'run':
        return await runCommand(parsed.args, {
          stdout: process.stdout,
          stderr: process.stderr,
          resumeCommand: resumeCommandOf(argv),
        });
    }
  } catch (error) {
    process.stderr.write(`sdp-dispatch: ${describeError(error)}\n`);
    if (error instanceof UsageError) process.stderr.write(`Run sdp-dispatch --help for usage.\n`);
    if (verbose && error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code } = error as { code?: unknown };
  if (code === 'LOCKED') return `${error.message}; is another run of this feature still going?`;
  if (code === 'CORRUPT' || code === 'CHECKPOINT_GRAPH') return `${error.message}; start over with --fresh`;
  return error.message;
}

function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
}

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
