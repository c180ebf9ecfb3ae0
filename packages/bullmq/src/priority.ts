/** BullMQ's lowest priority (highest number); 1 is the highest. */
const lowestPriority = 2 ** 21;

/**
 * BullMQ priorities from remaining chain lengths: the longest remaining chain gets 1 (runs first on a
 * free worker), the next distinct length 2, and so on, as the local dispatcher orders ready work.
 */
export function prioritiesOf(chainLengths: ReadonlyMap<string, number>): Map<string, number> {
  const distinct = [...new Set(chainLengths.values())].sort((a, b) => b - a);
  const rank = new Map(distinct.map((length, index) => [length, Math.min(index + 1, lowestPriority)]));
  return new Map([...chainLengths].map(([id, length]) => [id, rank.get(length) ?? lowestPriority]));
}
