import { hasErrorCode } from '@sdp/internal';

/** The codes of invalid graph input: the issues a {@link GraphError} lists. */
export type GraphIssueCode =
  | 'GRAPH_CYCLE'
  | 'GRAPH_MISSING_DEPENDENCY'
  | 'GRAPH_DUPLICATE_NODE'
  | 'GRAPH_SELF_DEPENDENCY'
  | 'GRAPH_INVALID_ID'
  | 'GRAPH_INVALID_SNAPSHOT';

/** Every code of this package's errors: the issue codes, and `GRAPH_NODE_NOT_RUNNING` of a `NodeStateError`. */
export type GraphErrorCode = GraphIssueCode | 'GRAPH_NODE_NOT_RUNNING';

/** One problem found in a graph or a snapshot (or, for a `NodeStateError`, the one misuse). */
export interface GraphIssue {
  readonly code: GraphErrorCode;
  /** One line, naming the ids involved. */
  readonly message: string;
  /** The node the problem belongs to, when there is one. */
  readonly nodeId?: string;
  /** The dependency at fault (`GRAPH_MISSING_DEPENDENCY`, an invalid dependency id). */
  readonly dependencyId?: string;
  /** `GRAPH_CYCLE` only: the ids around the loop in "depends on" direction, first id repeated last. */
  readonly cycle?: readonly string[];
}

const GRAPH_ERROR_CODES: ReadonlySet<string> = new Set<GraphErrorCode>([
  'GRAPH_CYCLE',
  'GRAPH_MISSING_DEPENDENCY',
  'GRAPH_DUPLICATE_NODE',
  'GRAPH_SELF_DEPENDENCY',
  'GRAPH_INVALID_ID',
  'GRAPH_INVALID_SNAPSHOT',
  'GRAPH_NODE_NOT_RUNNING',
]);

/**
 * The base of every error of this package, and itself the error of invalid graph input.
 * Validation reports every problem it finds: `issues` lists them all (cycles last), `code` is the
 * first issue's code and `cycle` the first cycle found. `NodeStateError` extends it.
 */
export class GraphError extends Error {
  override readonly name: string = 'GraphError';
  readonly code: GraphErrorCode;
  readonly issues: readonly GraphIssue[];
  // `declare`: absent, not `undefined`, when there is no cycle.
  declare readonly cycle?: readonly string[];

  constructor(issues: readonly GraphIssue[]) {
    const [first] = issues;
    if (first === undefined) throw new RangeError('GraphError needs at least one issue');
    super(
      issues.length === 1
        ? first.message
        : [`${issues.length} problems in the dependency graph:`, ...issues.map((issue) => `- ${issue.message}`)].join('\n'),
    );
    this.code = first.code;
    this.issues = Object.freeze([...issues]);
    const cycle = issues.find((issue) => issue.cycle !== undefined)?.cycle;
    if (cycle !== undefined) this.cycle = cycle;
  }
}

/**
 * Whether `value` is an error of this package (a {@link GraphError}, including a `NodeStateError`),
 * also one thrown by another copy of it. For invalid input only, test `!isNodeStateError(value)` too.
 */
export function isGraphError(value: unknown): value is GraphError {
  return hasErrorCode(value, undefined, GRAPH_ERROR_CODES);
}

function quote(id: string): string {
  return JSON.stringify(id);
}

/** `where` locates an id that is not a string, e.g. `nodes[3]`. */
export function invalidIdIssue(id: unknown, problem: string, where?: string): GraphIssue {
  if (typeof id === 'string') return { code: 'GRAPH_INVALID_ID', message: `invalid node id ${quote(id)}: ${problem}`, nodeId: id };
  return { code: 'GRAPH_INVALID_ID', message: `invalid node id${where === undefined ? '' : ` at ${where}`}: ${problem}` };
}

export function invalidDependencyIdIssue(nodeId: string, dependencyId: unknown, problem: string): GraphIssue {
  const message = `node ${quote(nodeId)} has an invalid dependency id`;
  return typeof dependencyId === 'string'
    ? { code: 'GRAPH_INVALID_ID', message: `${message} ${quote(dependencyId)}: ${problem}`, nodeId, dependencyId }
    : { code: 'GRAPH_INVALID_ID', message: `${message}: ${problem}`, nodeId };
}

export function missingDependencyIssue(nodeId: string, dependencyId: string): GraphIssue {
  return {
    code: 'GRAPH_MISSING_DEPENDENCY',
    message: `node ${quote(nodeId)} depends on missing node ${quote(dependencyId)}`,
    nodeId,
    dependencyId,
  };
}

export function duplicateNodeIssue(nodeId: string): GraphIssue {
  return { code: 'GRAPH_DUPLICATE_NODE', message: `duplicate node ${quote(nodeId)}`, nodeId };
}

export function selfDependencyIssue(nodeId: string): GraphIssue {
  return { code: 'GRAPH_SELF_DEPENDENCY', message: `node ${quote(nodeId)} depends on itself`, nodeId };
}

/** `cycle` has its first id repeated last. */
export function cycleIssue(cycle: readonly string[]): GraphIssue {
  const [first] = cycle;
  return {
    code: 'GRAPH_CYCLE',
    message: `cycle: ${cycle.join(' -> ')}`,
    ...(first === undefined ? {} : { nodeId: first }),
    cycle: Object.freeze([...cycle]),
  };
}

export function invalidSnapshotIssue(detail: string, nodeId?: string): GraphIssue {
  return {
    code: 'GRAPH_INVALID_SNAPSHOT',
    message: `invalid snapshot: ${detail}`,
    ...(nodeId === undefined ? {} : { nodeId }),
  };
}
