/**
 * A set of indices in `[0, capacity)` that hands out its lowest first, held in one Int32Array: a
 * hierarchy of 32-bit words where a bit of one level says that the word below it is not empty.
 * Adding and popping touch one word per level (4 levels for 100k indices), far less than a heap's
 * log2(n) sifting, and compare nothing but integers. Plain functions over the array, so optimised
 * callers depend on no object shape.
 *
 * Layout: `[levels, count, start of level 0, ..., start of level levels - 1, words...]`, leaves
 * first; the last level is a single word.
 */
export function minIndexSet(capacity: number): Int32Array {
  const widths: number[] = [];
  let width = Math.max(1, capacity);
  do {
    width = (width + 31) >>> 5;
    widths.push(width);
  } while (width > 1);
  const header = 2 + widths.length;
  const set = new Int32Array(header + widths.reduce((sum, w) => sum + w, 0));
  set[0] = widths.length;
  let start = header;
  widths.forEach((w, level) => {
    set[2 + level] = start;
    start += w;
  });
  return set;
}

export function minIndexSetSize(set: Int32Array): number {
  return set[1] ?? 0;
}

/** Adds `index`, which must not be in the set yet. */
export function addIndex(set: Int32Array, index: number): void {
  const levels = set[0] ?? 0;
  set[1] = (set[1] ?? 0) + 1;
  let at = index;
  for (let level = 0; level < levels; level++) {
    const word = (set[2 + level] ?? 0) + (at >>> 5);
    const before = set[word] ?? 0;
    set[word] = before | (1 << (at & 31));
    // The word was already non-empty, so the levels above already say so.
    if (before !== 0) return;
    at >>>= 5;
  }
}

/** Removes and returns the lowest index, or -1 when the set is empty. */
export function popLowest(set: Int32Array): number {
  const count = set[1] ?? 0;
  if (count === 0) return -1;
  set[1] = count - 1;
  const levels = set[0] ?? 0;
  let index = 0;
  for (let level = levels - 1; level >= 0; level--) {
    const word = set[(set[2 + level] ?? 0) + index] ?? 0;
    // The lowest set bit: word & -word isolates it, clz32 counts from the top.
    index = (index << 5) | (31 - Math.clz32(word & -word));
  }
  let at = index;
  for (let level = 0; level < levels; level++) {
    const word = (set[2 + level] ?? 0) + (at >>> 5);
    const after = (set[word] ?? 0) & ~(1 << (at & 31));
    set[word] = after;
    if (after !== 0) break;
    at >>>= 5;
  }
  return index;
}
