/**
 * One thing wrong with a workstream file, or one thing worth knowing about it: where (file and
 * 1-based line), the field as written, the offending text, the workstream, and what is wrong or
 * what to change.
 */
export interface WorkstreamProblem {
  /** Absolute path of the file at fault. */
  readonly file: string;
  /** What is wrong and what to change, as a sentence fragment. */
  readonly problem: string;
  /** 1-based line of the offending field or syntax error, when known. */
  readonly line?: number;
  /** The field at fault as written in the file (`depends_on`, `Dependencies`, `ws_id`). */
  readonly field?: string;
  /** The offending text, verbatim. */
  readonly text?: string;
  /** The workstream the file declares, when it got that far. */
  readonly workstream?: string;
}

/** A disagreement the loader resolved (by uniting dependencies, say) and reports instead of hiding. */
export type WorkstreamWarning = WorkstreamProblem;

/** `<file>:<line>: <workstream>: <problem>`, leaving out what is not known. */
export function describeProblem(problem: WorkstreamProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const who = problem.workstream === undefined ? '' : `${problem.workstream}: `;
  return `${where}: ${who}${problem.problem}`;
}

/** The details of a {@link WorkstreamProblem} as a caller has them: unknown ones may be `undefined`. */
export type ProblemDetails = {
  [K in keyof WorkstreamProblem]: WorkstreamProblem[K] | (undefined extends WorkstreamProblem[K] ? undefined : never);
};

/** A copy without the keys whose value is `undefined`, so that absent details stay absent. */
export function problemOf(details: ProblemDetails): WorkstreamProblem {
  const problem: { -readonly [K in keyof WorkstreamProblem]: WorkstreamProblem[K] } = { file: details.file, problem: details.problem };
  if (details.line !== undefined) problem.line = details.line;
  if (details.field !== undefined) problem.field = details.field;
  if (details.text !== undefined) problem.text = details.text;
  if (details.workstream !== undefined) problem.workstream = details.workstream;
  return problem;
}
