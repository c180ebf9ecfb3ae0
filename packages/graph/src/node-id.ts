import { describeValue } from '@sdp/internal';

const WHITESPACE = /^\s$/u;

/** `\s` of a regular expression, with the ASCII cases answered without one (ids are validated in bulk). */
function isWhitespace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return WHITESPACE.test(String.fromCharCode(code));
}

/** Unicode category Cc: C0 controls, DEL and C1 controls. */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/**
 * Why `value` is not a valid node id, or `undefined` when it is one. A valid id is a non-empty
 * string without leading or trailing whitespace and without control characters, so that it prints
 * unambiguously in messages, file names and logs.
 */
export function nodeIdProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `expected a string, got ${describeValue(value)}`;
  if (value.length === 0) return 'must not be empty';
  if (isWhitespace(value.charCodeAt(0)) || isWhitespace(value.charCodeAt(value.length - 1))) {
    return 'must not have leading or trailing whitespace';
  }
  for (let i = 0; i < value.length; i++) {
    if (isControl(value.charCodeAt(i))) return 'must not contain control characters';
  }
  return undefined;
}

/** Whether `value` can be used as a node id (see {@link nodeIdProblem} for the rule). */
export function isValidNodeId(value: unknown): value is string {
  return nodeIdProblem(value) === undefined;
}
