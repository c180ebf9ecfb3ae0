// How a workstream's command can fail under the shell executor: the outcomes its attempts reject with.
import { hasErrorCode } from '@sdp/internal';
import { CliError } from './cli-error.js';

/** A workstream's command exited non-zero or was killed by a signal. */
export class CommandFailedError extends CliError {
  override readonly name = 'CommandFailedError';
  declare readonly code: 'CLI_COMMAND_FAILED';
  constructor(
    readonly workstream: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly logFile: string,
    /** The last lines the command printed. */
    readonly tail: readonly string[],
    /** What else happened: its group outlived the grace period, processes outlived the shell. */
    readonly notes: readonly string[] = [],
  ) {
    super(
      'CLI_COMMAND_FAILED',
      (signal === null ? `command exited with code ${String(exitCode)}` : `command was killed by ${signal}`) +
        (notes.length > 0 ? ` (${notes.join('; ')})` : ''),
    );
  }
}

const CLI_COMMAND_FAILED: ReadonlySet<string> = new Set(['CLI_COMMAND_FAILED']);

export function isCommandFailedError(value: unknown): value is CommandFailedError {
  return hasErrorCode(value, 'CommandFailedError', CLI_COMMAND_FAILED);
}

/** A workstream's log file is a symbolic link: the attempt is refused rather than writing where it points. */
export class LogFileLinkError extends CliError {
  override readonly name = 'LogFileLinkError';
  declare readonly code: 'CLI_LOG_FILE_LINK';
  constructor(readonly logFile: string) {
    super('CLI_LOG_FILE_LINK', `the log ${logFile} is a symbolic link; remove it (sdp-dispatch never writes through a link) and run again`);
  }
}

/** The supervisor of a command ended without saying how its command ended (killed on its own, say). */
export class SupervisorLostError extends CliError {
  override readonly name = 'SupervisorLostError';
  declare readonly code: 'CLI_SUPERVISOR_LOST';
  constructor(
    readonly workstream: string,
    detail: string,
  ) {
    super('CLI_SUPERVISOR_LOST', `the supervisor of ${workstream}'s command ${detail}; its process group was ended`);
  }
}
