/** Splits a file into lines, dropping a byte-order mark and accepting CRLF endings. */
export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/**
 * Indexes of the lines from `start` on that are outside fenced code blocks, so that examples in
 * code (the seed shows JSON with `feature_id` in one) are never read as fields or headings.
 */
export function* linesOutsideFences(lines: readonly string[], start: number): Generator<number> {
  let fence: string | undefined;
  for (let index = start; index < lines.length; index += 1) {
    const marker = FENCE.exec(lines[index] ?? '')?.[1];
    if (fence === undefined) {
      if (marker === undefined) yield index;
      else fence = marker;
    } else if (marker !== undefined && marker.startsWith(fence.charAt(0)) && marker.length >= fence.length) {
      fence = undefined;
    }
  }
}

export const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
