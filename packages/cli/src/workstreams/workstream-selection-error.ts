import { hasErrorCode } from '@sdp/internal';
import { CliError } from '../cli-error.js';

/**
 * The folder's workstreams cannot be narrowed to one feature: it holds several and no `--feature`
 * was given, the requested feature is not there, or there are no workstreams at all.
 * `features` lists the canonical ids present (`['F052', 'F060']`), sorted by number.
 */
export class WorkstreamSelectionError extends CliError {
  override readonly name = 'WorkstreamSelectionError';
  declare readonly code: 'CLI_SELECTION';
  readonly features: string[];
  /** The `feature` option as given, when one was. */
  declare readonly requested?: string;

  constructor(message: string, features: string[], requested?: string) {
    super('CLI_SELECTION', message);
    this.features = features;
    if (requested !== undefined) this.requested = requested;
  }
}

const CLI_SELECTION: ReadonlySet<string> = new Set(['CLI_SELECTION']);

/** True for a {@link WorkstreamSelectionError}, also one from another copy of this package. */
export function isWorkstreamSelectionError(value: unknown): value is WorkstreamSelectionError {
  return hasErrorCode(value, 'WorkstreamSelectionError', CLI_SELECTION);
}
