import { hasErrorCode } from '@sdp/internal';

/** The stable codes of {@link CliError}: one per error class of `@sdp/cli`. */
export type CliErrorCode =
  // Invalid input: the command exits with code 2.
  | 'CLI_USAGE'
  | 'CLI_WORKSTREAM_FILE'
  | 'CLI_SELECTION'
  | 'CLI_EXTERNAL_DEPENDENCY'
  | 'CLI_GRAPH'
  // A workstream's command failed: the workstream's attempt fails with it.
  | 'CLI_COMMAND_FAILED'
  | 'CLI_LOG_FILE_LINK'
  | 'CLI_SUPERVISOR_LOST'
  // How a run stopped: exit code 2 for a workstream in doubt on another host, 3 for a lost lock.
  | 'CLI_IN_DOUBT_ELSEWHERE'
  | 'CLI_LOCK_LOST'
  // `report` found no run record, or one it cannot use: exit code 2.
  | 'CLI_RUN_NOT_FOUND'
  | 'CLI_RUN_RECORD_INVALID';

export const CLI_ERROR_CODES: ReadonlySet<string> = new Set<CliErrorCode>([
  'CLI_USAGE',
  'CLI_WORKSTREAM_FILE',
  'CLI_SELECTION',
  'CLI_EXTERNAL_DEPENDENCY',
  'CLI_GRAPH',
  'CLI_COMMAND_FAILED',
  'CLI_LOG_FILE_LINK',
  'CLI_SUPERVISOR_LOST',
  'CLI_IN_DOUBT_ELSEWHERE',
  'CLI_LOCK_LOST',
  'CLI_RUN_NOT_FOUND',
  'CLI_RUN_RECORD_INVALID',
]);

/**
 * The base of every error `@sdp/cli` makes on purpose: bad usage, workstream files that cannot be
 * read, a feature that cannot be selected or started, a workstream's command that failed, a run
 * stopped by a workstream in doubt elsewhere or a lost lock, a run record `report` cannot use. `code`
 * says which (`CLI_…`).
 */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** True for any {@link CliError}, also one thrown by another copy of this package. */
export function isCliError(value: unknown): value is CliError {
  return hasErrorCode(value, undefined, CLI_ERROR_CODES);
}
