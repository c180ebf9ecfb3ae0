/**
 * A workstream id is `project-feature-sequence`, all digits, e.g. `00-052-14` (the seed's form).
 * Wider groups are accepted (`00-1052-140`) so numbering can grow; narrower ones are not, because
 * `00-52-1` next to `00-052-01` would be two different ids that look like one.
 */
const WORKSTREAM_ID = /^(\d{2,})-(\d{3,})-(\d{2,})$/;

export function isWorkstreamId(text: string): boolean {
  return WORKSTREAM_ID.test(text);
}

/** The feature part of a workstream id (`'052'` for `00-052-14`), or `undefined` if it is not an id. */
export function featureDigitsOfWorkstreamId(id: string): string | undefined {
  return WORKSTREAM_ID.exec(id)?.[2];
}

/** Orders ids by their numeric parts (project, feature, sequence), then as strings. */
export function compareWorkstreamIds(a: string, b: string): number {
  const partsA = WORKSTREAM_ID.exec(a);
  const partsB = WORKSTREAM_ID.exec(b);
  if (partsA !== null && partsB !== null) {
    for (let index = 1; index <= 3; index += 1) {
      const difference = Number(partsA[index]) - Number(partsB[index]);
      if (difference !== 0) return difference;
    }
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
