/**
 * A workstream id is `project-feature-sequence`, all digits, e.g. `00-052-14` (the seed's form).
 * Wider groups are accepted (`00-1052-140`) so numbering can grow; narrower ones are not, because
 * `00-52-1` next to `00-052-01` would be two different ids that look like one. A fix workstream is
 * `99-F063-0001`: two digits, `F` and the feature's three (or more) digits, four digits.
 */
const WORKSTREAM_ID = /^(\d{2,})-(\d{3,})-(\d{2,})$/;
const FIX_WORKSTREAM_ID = /^(\d{2})-F(\d{3,})-(\d{4,})$/;

/** Ids inside prose or a heading (`WS 00-053-01`, `99-F063-0001:`), not inside longer words or numbers. */
export const WORKSTREAM_ID_IN_TEXT = /(?<![\w-])(?:\d{2,}-\d{3,}-\d{2,}|\d{2}-F\d{3,}-\d{4,})(?![\w-])/g;

/** Placeholders of templates: `PP-FFF-WW`, `XX-XXX-XX`, `00-XXX-YY`, `{ws_id}`, `<ws-id>`. */
const PLACEHOLDER_ID = /^(?:(?:\d{2}|([A-Z])\1)-(?:F?\d{3,}|([A-Z])\2{2,})-(?:\d{2,4}|([A-Z])\3+)|\{\{?[\w\s.-]*\}\}?|<[\w-]*>)$/i;

function partsOf(id: string): RegExpExecArray | null {
  return WORKSTREAM_ID.exec(id) ?? FIX_WORKSTREAM_ID.exec(id);
}

export function isWorkstreamId(text: string): boolean {
  return partsOf(text) !== null;
}

/** `PP-FFF-WW` and the like: a template's stand-in for an id (letters where the digits go). */
export function isPlaceholderId(text: string): boolean {
  const trimmed = text.trim();
  return !isWorkstreamId(trimmed) && /[A-Za-z{<]/.test(trimmed.replace(/-F(?=\d)/, '-')) && PLACEHOLDER_ID.test(trimmed);
}

/** The feature part of a workstream id (`'052'` for `00-052-14`, `'063'` for `99-F063-0001`). */
export function featureDigitsOfWorkstreamId(id: string): string | undefined {
  return partsOf(id)?.[2];
}

/** Orders ids by their numeric parts (project, feature, sequence), then as strings. */
export function compareWorkstreamIds(a: string, b: string): number {
  const partsA = partsOf(a);
  const partsB = partsOf(b);
  if (partsA !== null && partsB !== null) {
    for (let index = 1; index <= 3; index += 1) {
      const difference = Number(partsA[index]) - Number(partsB[index]);
      if (difference !== 0) return difference;
    }
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
