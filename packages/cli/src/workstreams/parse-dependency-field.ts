import { isWorkstreamId } from './workstream-id.js';

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
  let rest = text.replace(MARKDOWN_LINK, '$1');
  for (let previous = ''; previous !== rest; ) {
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
