// Engine trick, kept for fromNodes' build time (the graph-faster-scheduling changeset: ~0.35 µs per node at 20k, was 1.05):
// V8 throws an optimised loop away each time the elements kind of an array it reads or writes is new to it.

/** An empty array that holds strings from the start: a plain `[]` begins as small integers and changes kind on the first string. */
export function emptyStringArray(): string[] {
  const strings = [''];
  strings.length = 0;
  return strings;
}

/**
 * `list.length` through `Reflect.get`: lists come in several kinds (empty, packed, holey), and a
 * plain `.length` in a hot loop deoptimises at each kind it has not met yet.
 */
export function lengthOf(list: readonly unknown[]): number {
  return Reflect.get<readonly unknown[], 'length'>(list, 'length');
}
