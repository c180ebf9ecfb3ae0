import { hasErrorCode } from '@sdp/internal';

/** The stable codes of {@link CliError}: one per error class of `@sdp/cli`. */
export type CliErrorCode = 'CLI_USAGE' | 'CLI_WORKSTREAM_FILE' | 'CLI_SELECTION' | 'CLI_EXTERNAL_DEPENDENCY' | 'CLI_GRAPH';

export const CLI_ERROR_CODES: ReadonlySet<string> = new Set<CliErrorCode>([
  'CLI_USAGE',
  'CLI_WORKSTREAM_FILE',
  'CLI_SELECTION',
  'CLI_EXTERNAL_DEPENDENCY',
  'CLI_GRAPH',
]);

/**
 * The base of every error `@sdp/cli` throws on purpose: bad usage, workstream files that cannot be
 * read, a feature that cannot be selected or started. `code` says which (`CLI_…`); every one means
 * "invalid input" (exit code 2).
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
