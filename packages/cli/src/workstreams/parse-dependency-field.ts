import { WORKSTREAM_ID_IN_TEXT, isWorkstreamId } from './workstream-id.js';

export type DependencyFieldResult =
  | { readonly ok: true; readonly ids: string[] }
  /** `unreadable` is the first piece that is neither an id, a separator nor a note. */
  | { readonly ok: false; readonly unreadable: string };

/** Spellings of "no dependencies" seen in hand- and agent-written files. */
const NOTHING = /^(?:none|n\/a|nil|null|~|-+|—|–)\.?$/i;
const MARKDOWN_LINK = /\[([^\]]*)\]\([^)]*\)/g;
const INNERMOST_NOTE = /\([^()]*\)/g;
/** Markup around ids: code spans, bold/italics, quotes, inline-list brackets. */
const MARKUP = /[`*_"'[\]]/g;
const SEPARATOR = /[\s,;&]+/;
/** `WS 00-053-01`, `WS-00-053-01`, `ws: 00-053-01`: the prefix is markup, not part of the id. */
const WS_PREFIX = /\bWS[\s:-]*(?=\d{2}-)/gi;
/** A list item or prose line that says there is nothing to wait for. */
const NOTHING_SAID = /^(?:none|n\/a|nil|nothing|no (?:dependencies|dependency|blockers|prerequisites)|independent|-+|—|–)\b/i;

/**
 * Reads a `depends_on` / `dependencies` / `blocks` field: a YAML list, or text with several ids
 * separated by commas, semicolons, spaces or `and`, each possibly followed by a note in
 * parentheses (`00-052-13 (needs the schema)`), possibly as markdown links or code spans.
 * `None`, `-`, `n/a`, an empty value or an empty list mean no ids. Repeated ids count once.
 * Anything else is unreadable: the caller reports it instead of guessing.
 */
export function parseDependencyField(value: unknown): DependencyFieldResult {
  if (value === null || value === undefined) return { ok: true, ids: [] };
  const entries: unknown[] = Array.isArray(value) ? value : [value];
  const ids = new Set<string>();
  for (const entry of entries) {
    if (typeof entry !== 'string') return { ok: false, unreadable: JSON.stringify(entry) };
    const result = parseDependencyText(entry);
    if (!result.ok) return result;
    for (const id of result.ids) ids.add(id);
  }
  return { ok: true, ids: [...ids] };
}

function parseDependencyText(text: string): DependencyFieldResult {
  let rest = text.replace(MARKDOWN_LINK, '$1').replace(WS_PREFIX, '');
  for (let previous = ''; previous !== rest;) {
    previous = rest;
    rest = rest.replace(INNERMOST_NOTE, ' ');
  }
  rest = rest.replace(MARKUP, ' ').trim();
  if (rest === '' || NOTHING.test(rest)) return { ok: true, ids: [] };
  const ids: string[] = [];
  for (const piece of rest.split(SEPARATOR)) {
    const token = piece.replace(/\.$/, '');
    if (token === '' || /^and$/i.test(token)) continue;
    if (!isWorkstreamId(token)) return { ok: false, unreadable: piece };
    ids.push(token);
  }
  return { ok: true, ids };
}

export type DependencyItem =
  | { readonly kind: 'ids'; readonly ids: string[] }
  /** `None`, `No dependencies`, `Independent`, with or without a note. */
  | { readonly kind: 'none' }
  /** A line that introduces a list (`Internal:`): it says nothing by itself. */
  | { readonly kind: 'intro' }
  | { readonly kind: 'unreadable' };

/**
 * Reads one list item or prose line of a body dependency list (`## Dependencies`, `**UPSTREAM:**`):
 * liberal where a field is strict, because such lines carry notes without parentheses
 * (`- 00-052-10 — the schema must exist`). Every id in the line counts; a line naming none is
 * unreadable unless it says there is nothing (`None`) or introduces a list (ends with `:`).
 */
export function readDependencyItem(text: string): DependencyItem {
  const plain = text.replace(MARKDOWN_LINK, '$1').replace(MARKUP, ' ').replace(WS_PREFIX, '').trim();
  const ids = [...new Set(plain.match(WORKSTREAM_ID_IN_TEXT) ?? [])];
  if (ids.length > 0) return { kind: 'ids', ids };
  if (plain === '' || NOTHING_SAID.test(plain) || NOTHING.test(plain)) return { kind: 'none' };
  if (plain.endsWith(':')) return { kind: 'intro' };
  return { kind: 'unreadable' };
}
