import { LineCounter, isMap, isNode, isScalar, parseDocument } from 'yaml';
import { WS_ID_KEY_LINE, fieldNameOf, type RawField } from './raw-field.js';

export type FrontMatter =
  /** No front matter: the file does not start with a `---` line closed by a `---` or `...` line. */
  | { readonly kind: 'none' }
  | { readonly kind: 'fields'; readonly fields: RawField[]; readonly bodyStart: number }
  | {
      readonly kind: 'invalid';
      /** 1-based file line of the YAML error. */
      readonly line: number;
      readonly problem: string;
      /** The offending line, verbatim. */
      readonly text: string;
      /** Whether a `ws_id` key line is visible in the broken YAML. */
      readonly declaresWorkstream: boolean;
      readonly bodyStart: number;
    };

const OPEN = /^---\s*$/;
const CLOSE = /^(?:---|\.\.\.)\s*$/;

/**
 * Reads YAML front matter with the `yaml` package's failsafe schema, so every scalar stays the
 * text that was written (`052` stays `'052'`, never the number 52). Returns the top-level keys the
 * loader knows, each with its 1-based file line. Lines are given by {@link splitLines}.
 */
export function parseFrontMatter(lines: readonly string[]): FrontMatter {
  if (!OPEN.test(lines[0] ?? '')) return { kind: 'none' };
  const close = lines.findIndex((line, index) => index > 0 && CLOSE.test(line));
  if (close === -1) return { kind: 'none' };
  const source = lines.slice(1, close).join('\n');
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { schema: 'failsafe', lineCounter, prettyErrors: false });
  // The YAML starts on the file's second line.
  const fileLine = (offset: number): number => lineCounter.linePos(offset).line + 1;

  const error = document.errors[0];
  if (error !== undefined) {
    const line = fileLine(error.pos[0]);
    return {
      kind: 'invalid',
      line,
      problem: `front matter is not valid YAML: ${error.message.split('\n')[0] ?? error.message}`,
      text: lines[line - 1] ?? '',
      declaresWorkstream: lines.slice(1, close).some((text) => WS_ID_KEY_LINE.test(text)),
      bodyStart: close + 1,
    };
  }

  const fields: RawField[] = [];
  if (isMap(document.contents)) {
    for (const pair of document.contents.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const name = fieldNameOf(key);
      if (name === undefined) continue;
      const node = pair.value;
      const range = isNode(node) ? node.range : null;
      fields.push({
        name,
        key,
        value: isNode(node) ? node.toJS(document) : node,
        line: fileLine(pair.key.range[0]),
        source: 'front matter',
        text: range == null ? '' : source.slice(range[0], range[1]).trim(),
      });
    }
  }
  return { kind: 'fields', fields, bodyStart: close + 1 };
}
