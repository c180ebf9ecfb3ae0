/**
 * The folder's workstreams cannot be narrowed to one feature: it holds several and no `feature`
 * option was given, the requested feature is not there, or there are no workstreams at all.
 * `features` lists the canonical ids present (`['F052', 'F060']`), sorted by number.
 */
export class WorkstreamSelectionError extends Error {
  override readonly name = 'WorkstreamSelectionError';
  readonly code = 'FEATURE_SELECTION';
  readonly features: string[];
  /** The `feature` option as given, when one was. */
  declare readonly requested?: string;

  constructor(message: string, features: string[], requested?: string) {
    super(message);
    this.features = features;
    if (requested !== undefined) this.requested = requested;
  }
}

/** True for a {@link WorkstreamSelectionError}, also one from another copy of this package. */
export function isWorkstreamSelectionError(value: unknown): value is WorkstreamSelectionError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Partial<WorkstreamSelectionError>).code === 'FEATURE_SELECTION' &&
    Array.isArray((value as Partial<WorkstreamSelectionError>).features)
  );
}
