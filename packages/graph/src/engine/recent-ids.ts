// Engine trick, kept to spare complete/fail/release the id hash lookup (tens of ns per call at 100k nodes, mostly cache misses).
/**
 * The nodes a ready set handed out most recently, found again by id without hashing the id into
 * the graph's map (tens of nanoseconds at 100k nodes, mostly cache misses). `complete`, `fail` and
 * `release` nearly always name a node taken moments before, so a small direct-mapped table,
 * indexed by the id's length and a few of its characters, answers them in a few nanoseconds. Every
 * hit is checked against the ids, so a stale or colliding entry is only a miss, never a wrong node.
 */

/** Slots in the table; a power of two, well above a scheduler's concurrency. */
const SLOTS = 256;

export function recentIds(): Int32Array {
  return new Int32Array(SLOTS).fill(-1);
}

/** The slot of `id`: its length and its first, middle and last two characters, mixed. */
function slotOf(id: string): number {
  const length = id.length;
  if (length === 0) return 0;
  const mixed =
    Math.imul(length, 0x9e3779b1) ^
    Math.imul(id.charCodeAt(length - 1), 0x85ebca6b) ^
    Math.imul(id.charCodeAt(length >> 1), 0xc2b2ae35) ^
    Math.imul(id.charCodeAt(length > 1 ? length - 2 : 0), 0x27d4eb2f) ^
    id.charCodeAt(0);
  return (mixed ^ (mixed >>> 16)) & (SLOTS - 1);
}

/** Records that node `node`, whose id is `ids[node]`, was just handed out. */
export function rememberRecent(recent: Int32Array, ids: readonly string[], node: number): void {
  recent[slotOf(ids[node] ?? '')] = node;
}

/** The node whose id is `id` if it is among the recent ones, else -1. */
export function findRecent(recent: Int32Array, ids: readonly string[], id: string): number {
  const node = recent[slotOf(id)] ?? -1;
  return node !== -1 && ids[node] === id ? node : -1;
}
