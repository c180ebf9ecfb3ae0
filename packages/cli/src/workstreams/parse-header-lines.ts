import { HEADING, linesOutsideFences } from './markdown-lines.js';
import { fieldNameOf, type FieldName, type RawField } from './raw-field.js';
import { WORKSTREAM_ID_IN_TEXT } from './workstream-id.js';

/** A list item of a header field or body section, with its own line for messages. */
export interface ListItem {
  readonly text: string;
  /** 1-based. */
  readonly line: number;
}

/** A field read from a header line or a body section: its list items are read liberally. */
export interface HeaderField extends RawField {
  readonly items: readonly ListItem[];
}

export interface HeaderLines {
  readonly fields: HeaderField[];
  /** The id the first `#` heading starts with (`# 00-041-01: Title`, `# Workstream 99-F063-0001: Fix`). */
  readonly headingId?: { readonly id: string; readonly line: number; readonly title: string };
  /** The text of the first `#` heading, without a leading id. */
  readonly title?: string;
}

const BLOCKQUOTE = /^\s*>\s?/;
const BULLET = /^(\s*)(?:[-*+]|\d+[.)])\s+(.*?)\s*$/;
const BOLD_KEY = [/^(\*\*|__)([^*_:][^*:]*?):\1\s*(.*)$/, /^(\*\*|__)([^*_:][^*:]*?)\1\s*:\s*(.*)$/];
const PLAIN_KEY = /^()([A-Za-z][\w -]*?)\s*:\s*(.*)$/;
const HEADING_ID = new RegExp(String.raw`^(?:(?:workstream|ws)\b[\s:#-]*)?(${WORKSTREAM_ID_IN_TEXT.source})\s*(?:[:—–|-]\s*)?(.*)$`, 'i');
const DEPENDENCY_FIELDS: ReadonlySet<FieldName> = new Set(['depends_on', 'blocks']);
const HEADER_FIELDS: ReadonlySet<FieldName> = new Set(['ws_id', 'feature', 'status', 'depends_on', 'blocks', 'title']);

/**
 * Reads the formats that put fields in the text rather than in front matter or `## Metadata`:
 * - the header block (after the first `#` heading, before the first `##`): `> **Feature:** F041`,
 *   `**Status:** Pending`, `Feature: F028 (tracker-id)`, `> **Dependencies:**` + `> - 00-052-10` lines;
 * - anywhere in the body, bold or quoted dependency keys: `**Depends on**: 00-077-01`,
 *   `**UPSTREAM:**` + `- WS 00-053-01 (why)` bullets, `**DOWNSTREAM:**` (the reverse edge);
 * - sections headed `Dependencies`, `Depends on`, `Upstream`, `Downstream`, `Blocks`: their lines are list items.
 * `skip` holds 0-based lines already read as `## Metadata`.
 */
export function parseHeaderLines(lines: readonly string[], start: number, skip: ReadonlySet<number>): HeaderLines {
  const fields: HeaderField[] = [];
  let headingId: HeaderLines['headingId'];
  let title: string | undefined;
  let inHeader = true;
  let open: { name: FieldName; key: string; line: number; inline: string; items: ListItem[]; section: boolean } | undefined;
  let topIndent = -1;
  const flush = (): void => {
    if (open === undefined) return;
    const value = open.items.length === 0 ? open.inline : open.items.map((item) => item.text);
    const text = [open.inline, ...open.items.map((item) => item.text)].filter((item) => item !== '').join(', ');
    const items = open.inline === '' ? open.items : [{ text: open.inline, line: open.line }, ...open.items];
    fields.push({ name: open.name, key: open.key, value, line: open.line, text, items, source: inHeader ? 'header' : 'body' });
    open = undefined;
  };

  for (const index of linesOutsideFences(lines, start)) {
    if (skip.has(index)) continue;
    const raw = lines[index] ?? '';
    const quoted = BLOCKQUOTE.test(raw);
    const line = raw.replace(BLOCKQUOTE, '').replace(BLOCKQUOTE, '');
    const heading = HEADING.exec(line);
    if (heading !== null) {
      flush();
      const level = (heading[1] ?? '').length;
      const text = (heading[2] ?? '').trim();
      if (level === 1) {
        if (title !== undefined) continue;
        const match = HEADING_ID.exec(text.replace(/[`*_]/g, ''));
        title = (match?.[2] ?? text).trim();
        if (match?.[1] !== undefined) headingId = { id: match[1], line: index + 1, title };
        continue;
      }
      if (level >= 2) inHeader = false;
      const name = fieldNameOf(text.replace(/[`*_:]/g, ''));
      if (name !== undefined && DEPENDENCY_FIELDS.has(name)) {
        open = { name, key: text, line: index + 1, inline: '', items: [], section: true };
        topIndent = -1;
      }
      continue;
    }
    if (line.trim() === '') continue;
    const bullet = BULLET.exec(line);
    const content = bullet === null ? line.trim() : (bullet[2] ?? '');
    // Key lines are not bullets: `- **ws_id**: …` outside `## Metadata` is the seed's format misplaced.
    // Plain `Key: value` lines only after the `#` heading: before it they are broken front matter or prose.
    const key = bullet === null ? keyOf(content, (inHeader && title !== undefined) || open?.section === true) : undefined;
    const name = key === undefined ? undefined : fieldNameOf(key.key);
    const accepted =
      name !== undefined && (inHeader ? HEADER_FIELDS.has(name) : DEPENDENCY_FIELDS.has(name) && (key?.bold === true || quoted));
    if (key !== undefined && name !== undefined && accepted) {
      const section = open?.section === true && !inHeader;
      flush();
      open = { name, key: key.key, line: index + 1, inline: key.value, items: [], section };
      topIndent = -1;
      continue;
    }
    if (open === undefined) continue;
    const indent = bullet === null ? -1 : (bullet[1] ?? '').length;
    if (bullet !== null && (topIndent === -1 || indent <= topIndent)) {
      topIndent = indent;
      open.items.push({ text: content, line: index + 1 });
    } else if (bullet === null && open.section && !content.startsWith('|')) {
      open.items.push({ text: content, line: index + 1 });
    } else if (bullet === null && content.startsWith('|') && new RegExp(WORKSTREAM_ID_IN_TEXT.source).test(content)) {
      open.items.push({ text: content, line: index + 1 });
    } else if (bullet === null && !open.section) {
      // A paragraph after a key's bullets ends its list.
      flush();
    }
    // Deeper bullets are notes on the item above them.
  }
  flush();
  return { fields, ...(headingId === undefined ? {} : { headingId }), ...(title === undefined ? {} : { title }) };
}

/** `**Key:** value`, `**Key**: value`, and (where plain keys are allowed) `Key: value`. */
function keyOf(content: string, plainAllowed: boolean): { key: string; value: string; bold: boolean } | undefined {
  for (const pattern of BOLD_KEY) {
    const match = pattern.exec(content);
    if (match !== null) return { key: (match[2] ?? '').trim(), value: (match[3] ?? '').trim(), bold: true };
  }
  if (!plainAllowed) return undefined;
  const match = PLAIN_KEY.exec(content);
  return match === null ? undefined : { key: (match[2] ?? '').trim(), value: (match[3] ?? '').trim(), bold: false };
}
