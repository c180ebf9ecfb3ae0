/**
 * A workstream of the selected feature depends on a workstream of another feature that cannot
 * count as completed: it is in the folder but not done (`reason: 'not-done'`), or no file in the
 * folder declares it (`reason: 'not-found'`). Running would either wait forever or start work
 * before its prerequisite, so loading stops here.
 */
export class ExternalDependencyError extends Error {
  override readonly name = 'ExternalDependencyError';
  readonly code = 'EXTERNAL_DEPENDENCY';
  /** The selected feature's workstream that has the dependency. */
  readonly workstream: string;
  /** The other feature's workstream it depends on. */
  readonly dependency: string;
  /** Absolute path of the file of `workstream`. */
  readonly file: string;
  readonly reason: 'not-done' | 'not-found';
  /** Absolute path of the file of `dependency`, when it is in the folder. */
  declare readonly dependencyFile?: string;

  constructor(details: {
    workstream: string;
    dependency: string;
    file: string;
    reason: 'not-done' | 'not-found';
    dependencyFile?: string | undefined;
    dependencyFeature: string;
  }) {
    const what =
      details.reason === 'not-done'
        ? `which is not done (${details.dependencyFile ?? ''})`
        : 'which no file in the folder declares';
    super(
      `${details.file}: ${details.workstream} depends on ${details.dependency} of feature ${details.dependencyFeature}, ${what}`,
    );
    this.workstream = details.workstream;
    this.dependency = details.dependency;
    this.file = details.file;
    this.reason = details.reason;
    if (details.dependencyFile !== undefined) this.dependencyFile = details.dependencyFile;
  }
}

/** True for an {@link ExternalDependencyError}, also one from another copy of this package. */
export function isExternalDependencyError(value: unknown): value is ExternalDependencyError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Partial<ExternalDependencyError>).code === 'EXTERNAL_DEPENDENCY' &&
    typeof (value as Partial<ExternalDependencyError>).workstream === 'string'
  );
}
