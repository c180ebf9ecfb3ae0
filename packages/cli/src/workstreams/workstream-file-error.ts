export interface WorkstreamFileErrorDetails {
  /** Absolute path of the file at fault. */
  file: string;
  /** What is wrong, as a sentence fragment (`depends_on "x" is not a list of workstream ids`). */
  problem: string;
  /** 1-based line of the offending field or syntax error, when known. */
  line?: number | undefined;
  /** The field at fault as written in the file (`depends_on`, `dependencies`, `ws_id`). */
  field?: string | undefined;
  /** The offending text, verbatim. */
  text?: string | undefined;
  /** The workstream the file declares, when it got that far. */
  workstream?: string | undefined;
}

/**
 * A markdown file that declares a workstream (or clearly tries to) but cannot be read as one:
 * YAML syntax error in the front matter, an id that is not an id, a dependency field that cannot be
 * understood, a workstream id declared twice. The message is one line:
 * `<file>:<line>: <workstream>: <problem>`.
 */
export class WorkstreamFileError extends Error {
  override readonly name = 'WorkstreamFileError';
  readonly code = 'INVALID_WORKSTREAM';
  readonly file: string;
  // Optional details are `declare`d so that an unknown one is absent rather than `undefined`.
  declare readonly line?: number;
  declare readonly field?: string;
  declare readonly text?: string;
  declare readonly workstream?: string;

  constructor(details: WorkstreamFileErrorDetails) {
    const where = details.line === undefined ? details.file : `${details.file}:${details.line}`;
    const who = details.workstream === undefined ? '' : `${details.workstream}: `;
    super(`${where}: ${who}${details.problem}`);
    this.file = details.file;
    if (details.line !== undefined) this.line = details.line;
    if (details.field !== undefined) this.field = details.field;
    if (details.text !== undefined) this.text = details.text;
    if (details.workstream !== undefined) this.workstream = details.workstream;
  }
}

/** True for a {@link WorkstreamFileError}, also one from another copy of this package. */
export function isWorkstreamFileError(value: unknown): value is WorkstreamFileError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Partial<WorkstreamFileError>).code === 'INVALID_WORKSTREAM' &&
    typeof (value as Partial<WorkstreamFileError>).file === 'string'
  );
}
