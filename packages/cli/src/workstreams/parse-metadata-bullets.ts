import { HEADING, linesOutsideFences } from './markdown-lines.js';
import { fieldNameOf, type RawField } from './raw-field.js';

export interface MetadataSection {
  readonly fields: RawField[];
  /** 0-based indexes of the section's lines (heading included), outside code fences. */
  readonly lines: ReadonlySet<number>;
}

const BULLET = /^(\s*)[-*+]\s+(.*?)\s*$/;
/** `**key:** value` (the seed's `title`), `**key**: value`, `key: value`; also with `__`. */
const KEY_VALUE = [/^(\*\*|__)([^*_:][^*:]*?):\1\s*(.*)$/, /^(\*\*|__)([^*_:][^*:]*?)\1\s*:\s*(.*)$/, /^()([A-Za-z][\w -]*?)\s*:\s*(.*)$/];

interface OpenField {
  name: RawField['name'];
  key: string;
  line: number;
  inline: string;
  items: string[];
}

/**
 * Reads the seed's format: the bullets of the first `## Metadata` section (any heading level,
 * up to the next heading), e.g. `- **ws_id**: 00-052-14`, `- **title:** Checkpoint`,
 * `- **dependencies**: None`. A key with indented sub-bullets gets them as a list. Bullets that
 * are not `key: value`, and keys the loader does not know, are ignored.
 */
export function parseMetadataBullets(lines: readonly string[], start: number): MetadataSection {
  const fields: RawField[] = [];
  const section = new Set<number>();
  let open: OpenField | undefined;
  let topIndent = -1;
  const flush = (): void => {
    if (open === undefined) return;
    const value = open.items.length === 0 ? open.inline : [open.inline, ...open.items].filter((item) => item !== '');
    const text = [open.inline, ...open.items].filter((item) => item !== '').join(', ');
    fields.push({ name: open.name, key: open.key, value, line: open.line + 1, text, source: 'metadata' });
    open = undefined;
  };

  for (const index of linesOutsideFences(lines, start)) {
    const line = lines[index] ?? '';
    const heading = HEADING.exec(line);
    if (heading !== null) {
      if (section.size > 0) break;
      if (/^metadata$/i.test(heading[2] ?? '')) section.add(index);
      continue;
    }
    if (section.size === 0) continue;
    section.add(index);
    if (line.trim() === '') continue;
    // Bullets are the format; a bare `**key**: value` line in the section is read as one too.
    const bullet = BULLET.exec(line);
    const indent = bullet === null ? 0 : (bullet[1] ?? '').length;
    const content = bullet === null ? line.trim() : (bullet[2] ?? '');
    if (bullet !== null && topIndent >= 0 && indent > topIndent) {
      // A sub-bullet: part of the list of the key above it, if that key is one we read.
      open?.items.push(content);
      continue;
    }
    flush();
    topIndent = indent;
    const match = KEY_VALUE.map((pattern) => pattern.exec(content)).find((result) => result !== null);
    const key = match?.[2]?.trim();
    const name = key === undefined ? undefined : fieldNameOf(key);
    if (key !== undefined && name !== undefined) {
      open = { name, key, line: index, inline: (match?.[3] ?? '').trim(), items: [] };
    }
  }
  flush();
  return { fields, lines: section };
}
