import { createHash } from 'node:crypto';
import type { Adjacency } from './graph-core.js';

/** Changing the encoding changes every fingerprint, so it carries a version. */
const ENCODING = 'sdp-graph-fingerprint/1\n';
const CHUNK = 1 << 16;

/**
 * SHA-256 over the canonical structure: one JSON line `[id, [dependency ids]]` per node, ids and
 * dependency ids sorted by UTF-16 code units. Insertion order, the order of `dependsOn`, repeated
 * dependencies and progress do not enter it; every id and every edge does, unambiguously (JSON
 * escapes quotes and line breaks).
 */
export function fingerprintOf(ids: readonly string[], index: ReadonlyMap<string, number>, dependencies: Adjacency): string {
  const size = dependencies.offsets.length - 1;
  const sortedIds = ids.slice(0, size).sort();
  const nodeAtRank = new Int32Array(size);
  const rankOf = new Int32Array(size);
  sortedIds.forEach((id, rank) => {
    const node = index.get(id) ?? 0;
    nodeAtRank[rank] = node;
    rankOf[node] = rank;
  });

  const quoted = sortedIds.map((id) => JSON.stringify(id));
  const hash = createHash('sha256').update(ENCODING);
  const { offsets, targets } = dependencies;
  const ranks: number[] = [];
  let chunk = '';
  for (let rank = 0; rank < size; rank++) {
    const node = nodeAtRank[rank] ?? 0;
    ranks.length = 0;
    const end = offsets[node + 1] ?? 0;
    for (let e = offsets[node] ?? 0; e < end; e++) ranks.push(rankOf[targets[e] ?? 0] ?? 0);
    ranks.sort((a, b) => a - b);
    let line = `[${quoted[rank] ?? ''},[`;
    for (let d = 0; d < ranks.length; d++) line += `${d === 0 ? '' : ','}${quoted[ranks[d] ?? 0] ?? ''}`;
    chunk += `${line}]]\n`;
    if (chunk.length >= CHUNK) {
      hash.update(chunk);
      chunk = '';
    }
  }
  return `sha256:${hash.update(chunk).digest('hex')}`;
}
