import { hasErrorCode } from '@sdp/internal';
import { CliError } from '../cli-error.js';

/** A workstream of the selected feature waits for a workstream of another feature that is not done. */
export interface WaitingDependency {
  /** The selected feature's workstream that has the dependency. */
  readonly workstream: string;
  /** The other feature's workstream it depends on. */
  readonly dependency: string;
  /** Canonical feature id of `dependency`. */
  readonly dependencyFeature: string;
  /** Absolute path of the file of `workstream`. */
  readonly file: string;
  /** `not-done`: in the folder, not done; `not-found`: no file in the folder declares it. */
  readonly reason: 'not-done' | 'not-found';
  /** Absolute path of the file of `dependency`, when it is in the folder. */
  readonly dependencyFile?: string;
}

/** `<file>: 00-060-01 depends on 00-052-02 of feature F052, which is not done (<its file>)` */
export function describeWaiting(waiting: WaitingDependency): string {
  const what =
    waiting.reason === 'not-done' ? `which is not done (${waiting.dependencyFile ?? ''})` : 'which no file in the folder declares';
  return `${waiting.file}: ${waiting.workstream} depends on ${waiting.dependency} of feature ${waiting.dependencyFeature}, ${what}`;
}

/**
 * Workstreams of the selected feature depend on workstreams of other features that cannot count
 * as completed. Running would either wait forever or start work before its prerequisite, so `run`
 * stops here (`plan` shows them instead). `waiting` lists every such dependency; the other fields
 * are those of the first.
 */
export class ExternalDependencyError extends CliError {
  override readonly name = 'ExternalDependencyError';
  declare readonly code: 'CLI_EXTERNAL_DEPENDENCY';
  readonly workstream: string;
  readonly dependency: string;
  readonly file: string;
  readonly reason: 'not-done' | 'not-found';
  declare readonly dependencyFile?: string;
  readonly waiting: readonly WaitingDependency[];

  constructor(details: WaitingDependency | readonly WaitingDependency[]) {
    const waiting = 'length' in details ? [...details] : [details];
    const [first] = waiting;
    if (first === undefined) throw new RangeError('ExternalDependencyError needs at least one dependency');
    super(
      'CLI_EXTERNAL_DEPENDENCY',
      waiting.length === 1
        ? describeWaiting(first)
        : [
            `${waiting.length} dependencies on unfinished workstreams of other features:`,
            ...waiting.map((item) => `  ${describeWaiting(item)}`),
          ].join('\n'),
    );
    this.workstream = first.workstream;
    this.dependency = first.dependency;
    this.file = first.file;
    this.reason = first.reason;
    if (first.dependencyFile !== undefined) this.dependencyFile = first.dependencyFile;
    this.waiting = Object.freeze(waiting);
  }
}

const CLI_EXTERNAL_DEPENDENCY: ReadonlySet<string> = new Set(['CLI_EXTERNAL_DEPENDENCY']);

/** True for an {@link ExternalDependencyError}, also one from another copy of this package. */
export function isExternalDependencyError(value: unknown): value is ExternalDependencyError {
  return hasErrorCode(value, 'ExternalDependencyError', CLI_EXTERNAL_DEPENDENCY);
}
