/** The workstream fields the loader reads; every other key of a file is ignored. */
export type FieldName = 'ws_id' | 'feature' | 'depends_on' | 'blocks' | 'status' | 'title' | 'kind';

/** Where in a file a field was found: it decides how liberal the reading is and names the place in warnings. */
export type FieldSource = 'front matter' | 'metadata' | 'header' | 'body';

/** One `key: value` as found in front matter, a `## Metadata` bullet or a header line, before interpretation. */
export interface RawField {
  readonly name: FieldName;
  /** The key as written (`dependencies`, `feature_id`, `WS ID`, `UPSTREAM`), for messages. */
  readonly key: string;
  /** A string, a list (YAML sequence or bullets), or whatever else YAML held. */
  readonly value: unknown;
  /** 1-based line of the key in the file. */
  readonly line: number;
  /** The value's source text, for messages. */
  readonly text: string;
  readonly source?: FieldSource;
}

const ALIASES = new Map<string, FieldName>([
  ['ws_id', 'ws_id'],
  ['wsid', 'ws_id'],
  ['workstream_id', 'ws_id'],
  ['feature_id', 'feature'],
  ['feature', 'feature'],
  ['depends_on', 'depends_on'],
  ['dependencies', 'depends_on'],
  ['dependency', 'depends_on'],
  // The format's own resolver reads `parent` as a dependency; UPSTREAM is what must come first.
  ['parent', 'depends_on'],
  ['upstream', 'depends_on'],
  ['blocked_by', 'depends_on'],
  ['blocks', 'blocks'],
  // DOWNSTREAM is the reverse edge, like `blocks`.
  ['downstream', 'blocks'],
  ['status', 'status'],
  ['title', 'title'],
  ['type', 'kind'],
  ['kind', 'kind'],
  ['doc_type', 'kind'],
]);

/** Maps a key as written (`Depends On`, `ws-id`, `feature_id`) to the field it means, if any. */
export function fieldNameOf(key: string): FieldName | undefined {
  return ALIASES.get(
    key
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
}

/** Matches a line that starts a `ws_id` key in any of the accepted spellings. */
export const WS_ID_KEY_LINE = /^\s*(?:[-*+]\s+)?(?:\*\*|__)?\s*["']?(?:ws|workstream)[\s_-]?id["']?\s*(?:\*\*|__)?\s*:/i;
