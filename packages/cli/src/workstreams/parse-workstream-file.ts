import { isReportKind, isTemplateFile, looksLikeReport } from './document-kind.js';
import { featureIdOfWorkstreamId, featureIdInText } from './feature-id.js';
import { linesOutsideFences, splitLines } from './markdown-lines.js';
import { parseFrontMatter } from './parse-front-matter.js';
import { parseHeaderLines } from './parse-header-lines.js';
import { parseMetadataBullets } from './parse-metadata-bullets.js';
import { readWorkstream, type ParsedWorkstream } from './read-workstream.js';
import { WS_ID_KEY_LINE, type RawField } from './raw-field.js';
import { problemOf, type WorkstreamProblem, type WorkstreamWarning } from './workstream-problem.js';
import { isPlaceholderId, isWorkstreamId } from './workstream-id.js';

export { isDoneStatus, type DeclaredDependency, type ParsedWorkstream, type WorkstreamReference } from './read-workstream.js';

/** Why a markdown file is not a workstream: it declares none, it is a template, or it is about one. */
export type SkipCategory = 'not-workstream' | 'template' | 'report';

export type ParsedFile =
  | {
      readonly kind: 'workstream';
      readonly workstream: ParsedWorkstream;
      /** What is wrong in the file: the workstream's feature cannot be run until it is fixed. */
      readonly problems: readonly WorkstreamProblem[];
      readonly warnings: readonly WorkstreamWarning[];
    }
  | { readonly kind: 'skipped'; readonly reason: string; readonly category: SkipCategory }
  /** It declares a workstream that cannot be read; `features` are those it belongs to, as far as known. */
  | { readonly kind: 'invalid'; readonly problems: readonly WorkstreamProblem[]; readonly features: readonly string[] };

export interface ParseOptions {
  /** The file is under a `completed/` folder: done when its status agrees (or it has none). */
  readonly underCompletedFolder?: boolean;
}

export const NOT_A_WORKSTREAM = 'declares no workstream (no ws_id field, no "# 00-052-14: Title" heading with Feature/Status lines)';

/**
 * Reads one markdown file in any of the accepted formats (YAML front matter, the seed's
 * `## Metadata` bullets, header lines after a `# <id>: Title` heading, body dependency sections;
 * several in one file are united). Never throws for what is written in the file: a file with no
 * workstream id is skipped with a reason, a template is skipped, and everything wrong is returned
 * as problems, every one of them, each with its line.
 */
export function parseWorkstreamFile(text: string, file: string, options: ParseOptions = {}): ParsedFile {
  const lines = splitLines(text);
  const frontMatter = parseFrontMatter(lines);
  const bodyStart = frontMatter.kind === 'none' ? 0 : frontMatter.bodyStart;
  const metadata = parseMetadataBullets(lines, bodyStart);
  const header = parseHeaderLines(lines, bodyStart, metadata.lines);
  const declared = [...(frontMatter.kind === 'fields' ? frontMatter.fields : []), ...metadata.fields];
  const fields: RawField[] = [...declared, ...header.fields];
  const idFields = fields.filter((field) => field.name === 'ws_id');
  const idTexts = idFields.map((field) => (typeof field.value === 'string' ? field.value.trim().replace(/^[`*_"']+|[`*_"']+$/g, '') : ''));

  if (isTemplateFile(file) || idTexts.some(isPlaceholderId)) {
    return { kind: 'skipped', reason: 'a template (placeholder ids or a TEMPLATE file name), not a workstream', category: 'template' };
  }
  const kind = fields.find((field) => field.name === 'kind');
  if (kind !== undefined && typeof kind.value === 'string' && isReportKind(kind.value)) {
    return { kind: 'skipped', reason: `a ${kind.value.trim()} (${kind.key} on line ${kind.line}), not a workstream`, category: 'report' };
  }
  if (frontMatter.kind === 'invalid') {
    const { line, problem, text: offending } = frontMatter;
    if (frontMatter.declaresWorkstream || idFields.length > 0) {
      return { kind: 'invalid', problems: [problemOf({ file, line, problem, text: offending })], features: featuresNamedBy(file, idTexts) };
    }
    return { kind: 'skipped', reason: `front matter is not valid YAML (line ${line}) and declares no ws_id`, category: 'not-workstream' };
  }

  if (frontMatter.kind === 'none' && /^---\s*$/.test(lines[0] ?? '')) {
    const stray = lines.findIndex((line) => WS_ID_KEY_LINE.test(line));
    if (stray !== -1) {
      const problem = 'front matter opened on line 1 is never closed by a "---" line: close it';
      return {
        kind: 'invalid',
        problems: [problemOf({ file, line: stray + 1, field: 'ws_id', text: (lines[stray] ?? '').trim(), problem })],
        features: featuresNamedBy(file, []),
      };
    }
  }
  const headingId = header.headingId;
  let idField = idFields[0];
  if (idField === undefined) {
    const bodyLines = [...linesOutsideFences(lines, bodyStart)].filter((index) => !metadata.lines.has(index));
    const problem = halfDeclared(file, lines, declared, bodyLines);
    if (problem !== undefined)
      return { kind: 'invalid', problems: [problem], features: featuresNamedBy(file, headingId === undefined ? [] : [headingId.id]) };
    if (headingId === undefined) return { kind: 'skipped', reason: NOT_A_WORKSTREAM, category: 'not-workstream' };
    const hasHeader = fields.some(
      (field) => field.name === 'feature' || field.name === 'status' || field.name === 'depends_on' || field.name === 'blocks',
    );
    if (!hasHeader) {
      return {
        kind: 'skipped',
        reason: `its heading names ${headingId.id} but no Feature, Status or Dependencies line follows`,
        category: 'not-workstream',
      };
    }
    idField = { name: 'ws_id', key: 'heading', value: headingId.id, line: headingId.line, text: headingId.id, source: 'header' };
  }

  const result = readWorkstream({
    file,
    idField,
    fields,
    ...(headingId === undefined ? {} : { headingId }),
    ...(header.title === undefined ? {} : { headingTitle: header.title }),
    underCompletedFolder: options.underCompletedFolder === true,
  });
  if (result.workstream === undefined) {
    return { kind: 'invalid', problems: result.problems, features: result.features ?? featuresNamedBy(file, idTexts) };
  }
  const report = looksLikeReport(file, result.workstream.title);
  return {
    kind: 'workstream',
    workstream: { ...result.workstream, looksLikeReport: report },
    problems: result.problems,
    warnings: result.warnings,
  };
}

/** The features a file that cannot be read belongs to: from the ids it names, else from its file name. */
function featuresNamedBy(file: string, ids: readonly string[]): string[] {
  const base = file.split(/[\\/]/).pop() ?? '';
  const candidates = [...ids, ...(/^\d{2,}-F?\d{3,}-\d{2,}/.exec(base) ?? [])].filter(isWorkstreamId);
  return [...new Set(candidates.map((id) => featureIdOfWorkstreamId(id) ?? featureIdInText(id) ?? ''))].filter((id) => id !== '');
}

/** A problem for a file without a usable `ws_id` that still looks like a workstream. */
function halfDeclared(
  file: string,
  lines: readonly string[],
  fields: readonly RawField[],
  bodyLines: readonly number[],
): WorkstreamProblem | undefined {
  const orphan = fields.find((field) => field.name === 'depends_on' || field.name === 'blocks');
  if (orphan !== undefined) {
    return problemOf({
      file,
      line: orphan.line,
      field: orphan.key,
      text: orphan.text,
      problem: `has ${orphan.key} but no ws_id: add "ws_id: <id>" beside it`,
    });
  }
  const stray = bodyLines.find((index) => WS_ID_KEY_LINE.test(lines[index] ?? ''));
  if (stray === undefined) return undefined;
  const unclosed = /^---\s*$/.test(lines[0] ?? '');
  return problemOf({
    file,
    line: stray + 1,
    field: 'ws_id',
    text: (lines[stray] ?? '').trim(),
    problem: unclosed
      ? 'front matter opened on line 1 is never closed by a "---" line'
      : 'ws_id is outside the front matter and outside a "## Metadata" section: move it into one',
  });
}
