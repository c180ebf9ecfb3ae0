import { canonicalFeatureId, featureIdOfWorkstreamId } from './feature-id.js';
import { HEADING, linesOutsideFences, splitLines } from './markdown-lines.js';
import { parseDependencyField } from './parse-dependency-field.js';
import { parseFrontMatter } from './parse-front-matter.js';
import { parseMetadataBullets } from './parse-metadata-bullets.js';
import { WS_ID_KEY_LINE, type FieldName, type RawField } from './raw-field.js';
import { WorkstreamFileError } from './workstream-file-error.js';
import { isWorkstreamId } from './workstream-id.js';

/** A reference to another workstream with where it was written, for later error messages. */
export interface WorkstreamReference {
  readonly id: string;
  readonly field: RawField;
}

export interface ParsedWorkstream {
  readonly id: string;
  /** Canonical (`F052`), from the file's `feature_id`/`feature` or else from the id. */
  readonly featureId: string;
  readonly dependsOn: readonly string[];
  /** Ids that depend on this one according to its `blocks` field. */
  readonly blocks: readonly WorkstreamReference[];
  readonly done: boolean;
  readonly title?: string;
  readonly file: string;
  /** 1-based line of the `ws_id` field. */
  readonly line: number;
}

export type ParsedFile =
  | { readonly kind: 'workstream'; readonly workstream: ParsedWorkstream }
  | { readonly kind: 'skipped'; readonly reason: string };

const DONE_STATUSES = new Set(['done', 'completed', 'complete']);

/**
 * Reads one markdown file in either format (YAML front matter, or the seed's `## Metadata`
 * bullets; both in one file is fine when they agree). A file with no `ws_id` anywhere is not a
 * workstream and is skipped with a reason; a file that declares one but cannot be read throws a
 * {@link WorkstreamFileError}.
 */
export function parseWorkstreamFile(text: string, file: string): ParsedFile {
  const lines = splitLines(text);
  const frontMatter = parseFrontMatter(lines);
  const bodyStart = frontMatter.kind === 'none' ? 0 : frontMatter.bodyStart;
  const metadata = parseMetadataBullets(lines, bodyStart);
  const fields = [...(frontMatter.kind === 'fields' ? frontMatter.fields : []), ...metadata.fields];
  const idField = fields.find((field) => field.name === 'ws_id');

  if (frontMatter.kind === 'invalid') {
    if (frontMatter.declaresWorkstream || idField !== undefined) {
      const { line, problem, text: offending } = frontMatter;
      throw new WorkstreamFileError({ file, line, problem, text: offending });
    }
    return {
      kind: 'skipped',
      reason: `front matter is not valid YAML (line ${frontMatter.line}) and declares no ws_id`,
    };
  }
  if (idField === undefined) {
    const bodyLines = [...linesOutsideFences(lines, bodyStart)].filter((index) => !metadata.lines.has(index));
    refuseHalfDeclared(file, lines, fields, bodyLines);
    return { kind: 'skipped', reason: 'no ws_id in front matter or in a "## Metadata" section' };
  }
  const headingTitle = (): string | undefined => titleFromHeading(lines, bodyStart);
  return { kind: 'workstream', workstream: readWorkstream(file, idField, fields, headingTitle) };
}

/** Throws for a file without a usable `ws_id` that still looks like a workstream. */
function refuseHalfDeclared(
  file: string,
  lines: readonly string[],
  fields: readonly RawField[],
  bodyLines: readonly number[],
): void {
  const orphan = fields.find((field) => field.name === 'depends_on' || field.name === 'blocks');
  if (orphan !== undefined) throw fieldError(file, orphan, `has ${orphan.key} but no ws_id`);
  const stray = bodyLines.find((index) => WS_ID_KEY_LINE.test(lines[index] ?? ''));
  if (stray === undefined) return;
  const unclosed = /^---\s*$/.test(lines[0] ?? '');
  throw new WorkstreamFileError({
    file,
    line: stray + 1,
    field: 'ws_id',
    text: (lines[stray] ?? '').trim(),
    problem: unclosed
      ? 'front matter opened on line 1 is never closed by a "---" line'
      : 'ws_id is outside the front matter and outside a "## Metadata" section',
  });
}

/** Interprets the fields of a file that declares a workstream; every field given twice must agree. */
function readWorkstream(
  file: string,
  idField: RawField,
  fields: readonly RawField[],
  headingTitle: () => string | undefined,
): ParsedWorkstream {
  const named = (name: FieldName): RawField[] => fields.filter((field) => field.name === name);
  const id = readWorkstreamId(file, idField);
  for (const field of named('ws_id')) {
    const other = readWorkstreamId(file, field);
    if (other !== id) {
      const problem = `${field.key} ${other} disagrees with ${idField.key} ${id} on line ${idField.line}`;
      throw fieldError(file, field, problem);
    }
  }
  const scalar = (field: RawField): string => readScalar(file, field, id);
  const fail = (field: RawField, problem: string): never => {
    throw fieldError(file, field, problem, id);
  };

  const featureId = featureIdOfWorkstreamId(id) ?? '';
  for (const field of named('feature')) {
    const feature = canonicalFeatureId(scalar(field));
    if (feature === undefined) {
      fail(field, `${field.key} "${field.text}" is not a feature id (expected e.g. F052 or 052)`);
    } else if (feature !== featureId) {
      fail(field, `${field.key} ${feature} disagrees with ws_id ${id}, which belongs to ${featureId}`);
    }
  }

  const dependsOn = new Set<string>();
  const blocks: WorkstreamReference[] = [];
  for (const field of [...named('depends_on'), ...named('blocks')]) {
    const result = parseDependencyField(field.value);
    if (!result.ok) {
      fail(
        field,
        `${field.key} "${field.text}" cannot be read as workstream ids: "${result.unreadable}" is not an id ` +
          'like 00-052-14 (write ids separated by commas, spaces or "and", notes in parentheses, or None)',
      );
    } else if (field.name === 'depends_on') {
      for (const dependency of result.ids) dependsOn.add(dependency);
    } else {
      for (const blocked of result.ids) blocks.push({ id: blocked, field });
    }
  }

  const [statusField, ...moreStatusFields] = named('status');
  const done = statusField !== undefined && isDoneStatus(scalar(statusField));
  for (const field of moreStatusFields) {
    if (statusField !== undefined && isDoneStatus(scalar(field)) !== done) {
      fail(field, `status "${field.text}" disagrees with status "${statusField.text}" on line ${statusField.line}`);
    }
  }

  const titleField = named('title')[0];
  const title = titleField === undefined ? headingTitle() : stripMarkup(scalar(titleField));
  return {
    id,
    featureId,
    dependsOn: [...dependsOn],
    blocks,
    done,
    ...(title === undefined || title === '' ? {} : { title }),
    file,
    line: idField.line,
  };
}

/** `done`, `completed` or `complete`, ignoring case, markup, emoji and notes: `✅ **Done** (May 2)`. */
export function isDoneStatus(status: string): boolean {
  const words = status
    .replace(/\([^)]*\)/g, ' ')
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();
  return DONE_STATUSES.has(words);
}

function readWorkstreamId(file: string, field: RawField): string {
  const id = stripMarkup(readScalar(file, field));
  if (!isWorkstreamId(id)) {
    const problem = 'is not a workstream id (expected project-feature-sequence digits like 00-052-14)';
    throw fieldError(file, field, `${field.key} "${field.text}" ${problem}`);
  }
  return id;
}

function readScalar(file: string, field: RawField, workstream?: string): string {
  if (typeof field.value === 'string') return field.value;
  throw fieldError(file, field, `${field.key} must be a single value, not "${field.text}"`, workstream);
}

function stripMarkup(text: string): string {
  return text.trim().replace(/^[`*_"']+|[`*_"']+$/g, '').trim();
}

function titleFromHeading(lines: readonly string[], start: number): string | undefined {
  for (const index of linesOutsideFences(lines, start)) {
    const heading = HEADING.exec(lines[index] ?? '');
    if (heading?.[1] === '#') {
      const text = (heading[2] ?? '').trim();
      // `# 00-052-14: Checkpoint Atomic Writes` -> `Checkpoint Atomic Writes`
      return text.replace(/^\d+-\d+-\d+(?:\s*[:—–-]\s*|\s+|$)/, '');
    }
  }
  return undefined;
}

function fieldError(file: string, field: RawField, problem: string, workstream?: string): WorkstreamFileError {
  return new WorkstreamFileError({ file, line: field.line, field: field.key, text: field.text, problem, workstream });
}
