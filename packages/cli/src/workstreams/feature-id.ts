import { featureDigitsOfWorkstreamId } from './workstream-id.js';

const FEATURE_ID = /^[Ff]?(\d{1,9})$/;

/**
 * Canonical feature id: `F` followed by the feature number, zero-padded to at least three digits —
 * the form of the seed's checkpoint (`"feature_id": "F052"`, `F052-checkpoint.json`). `052`, `52`,
 * `F52`, `f052` and `F052` all name feature `F052`.
 */
export function canonicalFeatureId(text: string): string | undefined {
  const digits = FEATURE_ID.exec(text.trim())?.[1];
  return digits === undefined ? undefined : `F${String(Number(digits)).padStart(3, '0')}`;
}

/** The canonical feature id a workstream id belongs to (`F052` for `00-052-14`). */
export function featureIdOfWorkstreamId(id: string): string | undefined {
  const digits = featureDigitsOfWorkstreamId(id);
  return digits === undefined ? undefined : canonicalFeatureId(digits);
}

/** Orders canonical feature ids by number. */
export function compareFeatureIds(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1));
}

/**
 * The feature id at the start of a field that may carry a name or a note after it:
 * `F053 - Checkpoints`, `F028 (tracker-id)`, `**F041**`, `052`. `undefined` when it does not start with one.
 */
export function featureIdInText(text: string): string | undefined {
  const stripped = text.trim().replace(/^[`*_"']+/, '');
  const digits = /^(?:[Ff](?:eature)?[\s-]?)?(\d{1,9})(?=$|[\s:()[\]—–,.;`*_"'-])/.exec(stripped)?.[1];
  return digits === undefined ? undefined : canonicalFeatureId(digits);
}
