import { hasErrorCode } from '@sdp/internal';
import { CliError } from '../cli-error.js';
import { describeProblem, problemOf, type ProblemDetails, type WorkstreamProblem } from './workstream-problem.js';

/** One problem: the file at fault, what is wrong, and the line, field, text and workstream when known. */
export type WorkstreamFileErrorDetails = ProblemDetails;

/**
 * Markdown files that declare workstreams (or clearly try to) but cannot be read as such: YAML
 * syntax errors, an id that is not an id, a dependency field that names no id, a workstream id
 * declared twice. `problems` lists every problem of the feature at once; `file`, `line`, `field`,
 * `text` and `workstream` are those of the first. With one problem the message is one line,
 * `<file>:<line>: <workstream>: <problem>`; with several, a count and then one such line each.
 */
export class WorkstreamFileError extends CliError {
  override readonly name = 'WorkstreamFileError';
  declare readonly code: 'CLI_WORKSTREAM_FILE';
  readonly file: string;
  // Optional details are `declare`d so that an unknown one is absent rather than `undefined`.
  declare readonly line?: number;
  declare readonly field?: string;
  declare readonly text?: string;
  declare readonly workstream?: string;
  /** Every problem found, the first one included, in file order. */
  readonly problems: readonly WorkstreamProblem[];

  constructor(details: WorkstreamFileErrorDetails | readonly WorkstreamProblem[], featureId?: string) {
    const problems = 'length' in details ? [...details] : [problemOf(details)];
    const [first] = problems;
    if (first === undefined) throw new RangeError('WorkstreamFileError needs at least one problem');
    const of = featureId === undefined ? '' : ` of feature ${featureId}`;
    super(
      'CLI_WORKSTREAM_FILE',
      problems.length === 1
        ? describeProblem(first)
        : [
            `${problems.length} problems in the workstream files${of} (fix them all):`,
            ...problems.map((problem) => `  ${describeProblem(problem)}`),
          ].join('\n'),
    );
    this.file = first.file;
    if (first.line !== undefined) this.line = first.line;
    if (first.field !== undefined) this.field = first.field;
    if (first.text !== undefined) this.text = first.text;
    if (first.workstream !== undefined) this.workstream = first.workstream;
    this.problems = Object.freeze(problems);
  }
}

const CLI_WORKSTREAM_FILE: ReadonlySet<string> = new Set(['CLI_WORKSTREAM_FILE']);

/** True for a {@link WorkstreamFileError}, also one from another copy of this package. */
export function isWorkstreamFileError(value: unknown): value is WorkstreamFileError {
  return hasErrorCode(value, 'WorkstreamFileError', CLI_WORKSTREAM_FILE);
}
