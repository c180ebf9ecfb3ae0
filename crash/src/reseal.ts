import { createHash } from 'node:crypto';

/**
 * Recomputes the checksum of a hand-edited checkpoint file, so that it loads as a deliberate content
 * rather than as damage: the SHA-256 of every byte before `,"checksum"` (the @sdp/checkpoint README).
 */
export function reseal(text: string): string {
  const cut = text.lastIndexOf(',"checksum":"sha256:');
  if (cut < 0) throw new Error('not a checkpoint written by @sdp/checkpoint: no checksum');
  const body = text.slice(0, cut);
  return `${body},"checksum":"sha256:${createHash('sha256').update(body).digest('hex')}"}`;
}
