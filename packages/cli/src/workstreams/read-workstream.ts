import { canonicalFeatureId, featureIdInText, featureIdOfWorkstreamId } from './feature-id.js';
import type { HeaderField } from './parse-header-lines.js';
import { parseDependencyField, readDependencyItem } from './parse-dependency-field.js';
import type { FieldName, RawField } from './raw-field.js';
import { problemOf, type WorkstreamProblem, type WorkstreamWarning } from './workstream-problem.js';
import { isWorkstreamId } from './workstream-id.js';

/** Where one dependency was declared: the file, the line and the field as written. */
export interface DeclaredDependency {
  readonly id: string;
  readonly file: string;
  readonly line: number;
  /** The key as written: `depends_on`, `Dependencies`, `UPSTREAM`, `parent`, `blocks` (of the other file). */
  readonly field: string;
}

/** A reference to another workstream with where it was written, for later error messages. */
export interface WorkstreamReference {
  readonly id: string;
  readonly field: RawField;
}

export interface ParsedWorkstream {
  readonly id: string;
  /** Canonical (`F052`), from the id (a `feature` field must agree). */
  readonly featureId: string;
  readonly dependsOn: readonly string[];
  /** Every declaration of every dependency, in file order. */
  readonly declaredAt: readonly DeclaredDependency[];
  /** Ids that depend on this one according to its `blocks` / `DOWNSTREAM` fields. */
  readonly blocks: readonly WorkstreamReference[];
  readonly done: boolean;
  /** The status as written (first status field), when there is one. */
  readonly status?: string;
  readonly title?: string;
  readonly file: string;
  /** 1-based line of the `ws_id` field (or of the heading that declares the id). */
  readonly line: number;
  /** By its name or title the file reads like a report about the workstream (see `looksLikeReport`). */
  readonly looksLikeReport?: boolean;
}

const DONE_STATUSES = new Set(['done', 'completed', 'complete', 'closed', 'merged']);

export interface ReadInput {
  readonly file: string;
  readonly idField: RawField;
  readonly fields: readonly RawField[];
  readonly headingId?: { readonly id: string; readonly line: number; readonly title: string };
  /** The first `#` heading without its id: the title when no `title` field gives one. */
  readonly headingTitle?: string;
  readonly underCompletedFolder: boolean;
}

export interface ReadResult {
  /** Absent when the id itself cannot be read (or the file names another feature than its id). */
  readonly workstream?: ParsedWorkstream;
  readonly problems: WorkstreamProblem[];
  readonly warnings: WorkstreamWarning[];
  /** For a file that cannot be read: the features it claims. */
  readonly features?: string[];
}

/**
 * Interprets the fields of a file that declares a workstream. Every problem is collected, not only
 * the first; dependencies declared in several places are united, and a disagreement between the
 * places is a warning naming them.
 */
export function readWorkstream(input: ReadInput): ReadResult {
  const { file, idField, fields } = input;
  const problems: WorkstreamProblem[] = [];
  const warnings: WorkstreamWarning[] = [];
  const named = (name: FieldName): RawField[] => fields.filter((field) => field.name === name);
  const report = (field: RawField, problem: string, workstream?: string): void => {
    problems.push(problemOf({ file, line: field.line, field: field.key, text: field.text, problem, workstream }));
  };

  const id = readId(idField, report);
  if (id === undefined) return { problems, warnings };
  for (const field of [...named('ws_id'), ...(input.headingId === undefined ? [] : [headingField(input.headingId)])]) {
    const other: string | undefined = field === idField ? id : readId(field, report);
    if (other !== undefined && other !== id) {
      report(field, `${field.key} ${other} disagrees with ${idField.key} ${id} on line ${idField.line}: make them the same id`);
    }
  }
  const scalar = (field: RawField): string | undefined => {
    if (typeof field.value === 'string') return field.value;
    report(field, `${field.key} must be a single value, not "${field.text}"`, id);
    return undefined;
  };

  const featureId = featureIdOfWorkstreamId(id) ?? '';
  for (const field of named('feature')) {
    const value = scalar(field);
    if (value === undefined) continue;
    const feature =
      field.source === 'front matter' || field.source === 'metadata'
        ? (canonicalFeatureId(value) ?? featureIdInText(value))
        : featureIdInText(value);
    if (feature === undefined) {
      report(field, `${field.key} "${field.text}" is not a feature id (expected e.g. F052 or 052)`, id);
    } else if (feature !== featureId) {
      report(field, `${field.key} ${feature} disagrees with ws_id ${id}, which belongs to ${featureId}: fix the id or the feature`, id);
      return { problems, warnings, features: [feature] };
    }
  }

  const declaredAt: DeclaredDependency[] = [];
  const blocks: WorkstreamReference[] = [];
  const listed: { field: RawField; ids: string[] }[] = [];
  for (const field of [...named('depends_on'), ...named('blocks')]) {
    const found = dependencyIds(field, id, report, warnings, file);
    const ids = [...new Set(found.map((item) => item.id))];
    if (field.name === 'blocks') {
      for (const item of found) blocks.push({ id: item.id, field: { ...field, line: item.line } });
      continue;
    }
    if (!/^parent$/i.test(field.key)) listed.push({ field, ids });
    for (const item of found) declaredAt.push({ id: item.id, file, line: item.line, field: field.key });
  }
  const disagreement = describeDisagreement(listed);
  if (disagreement !== undefined) {
    const first = listed[0]?.field ?? idField;
    warnings.push(problemOf({ file, line: first.line, field: first.key, workstream: id, problem: disagreement }));
  }

  const statusFields = named('status');
  const statuses = statusFields.map((field) => ({ field, value: scalar(field) }));
  const first = statuses[0];
  let done = first?.value !== undefined && isDoneStatus(first.value);
  for (const { field, value } of statuses.slice(1)) {
    if (first?.value !== undefined && value !== undefined && isDoneStatus(value) !== done) {
      report(field, `status "${field.text}" disagrees with status "${first.field.text}" on line ${first.field.line}: keep one`, id);
    }
  }
  if (input.underCompletedFolder) {
    if (first === undefined) {
      done = true;
      warnings.push(
        problemOf({
          file,
          line: idField.line,
          workstream: id,
          problem: 'has no status; counted as done because it is under a completed/ folder',
        }),
      );
    } else if (!done) {
      warnings.push(
        problemOf({
          file,
          line: first.field.line,
          field: first.field.key,
          text: first.field.text,
          workstream: id,
          problem: `is under a completed/ folder but its status "${first.field.text}" is not done; counted as not done`,
        }),
      );
    }
  }

  const titleField = named('title')[0];
  const titleText =
    titleField === undefined ? input.headingTitle : typeof titleField.value === 'string' ? stripMarkup(titleField.value) : undefined;
  const dependsOn = [...new Set(declaredAt.map((declaration) => declaration.id))];
  return {
    workstream: {
      id,
      featureId,
      dependsOn,
      declaredAt,
      blocks,
      done,
      ...(first?.value === undefined ? {} : { status: first.value.trim() }),
      ...(titleText === undefined || titleText === '' ? {} : { title: titleText }),
      file,
      line: idField.line,
    },
    problems,
    warnings,
  };
}

/** done, completed, complete, closed, merged: any case, with markup, emoji, a note after a dash or in parentheses. */
export function isDoneStatus(status: string): boolean {
  const head = status.replace(/\([^)]*\)/g, ' ').split(/\s[-—–|]\s|:\s|[,;.]/)[0] ?? '';
  const words = head
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();
  return DONE_STATUSES.has(words);
}

function readId(field: RawField, report: (field: RawField, problem: string) => void): string | undefined {
  if (typeof field.value !== 'string') {
    report(field, `${field.key} must be a single value, not "${field.text}"`);
    return undefined;
  }
  const id = stripMarkup(field.value);
  if (isWorkstreamId(id)) return id;
  report(
    field,
    `${field.key} "${field.text}" is not a workstream id (expected project-feature-sequence digits like 00-052-14, or a fix id like 99-F052-0001)`,
  );
  return undefined;
}

function headingField(heading: { id: string; line: number }): RawField {
  return { name: 'ws_id', key: 'heading', value: heading.id, line: heading.line, text: heading.id, source: 'header' };
}

/** Ids of a dependency field: strict for front matter and `## Metadata`, liberal (notes allowed) for header lines and body lists. */
function dependencyIds(
  field: RawField,
  id: string,
  report: (field: RawField, problem: string, workstream?: string) => void,
  warnings: WorkstreamWarning[],
  file: string,
): { id: string; line: number }[] {
  const items = (field as Partial<HeaderField>).items;
  if (items === undefined) {
    if (/^parent$/i.test(field.key) && typeof field.value === 'string' && canonicalFeatureId(field.value) !== undefined) {
      warnings.push(
        problemOf({
          file,
          line: field.line,
          field: field.key,
          text: field.text,
          workstream: id,
          problem: `parent ${field.text} is a feature, not a workstream; not a dependency`,
        }),
      );
      return [];
    }
    const result = parseDependencyField(field.value);
    if (result.ok) return result.ids.map((dependency) => ({ id: dependency, line: field.line }));
    report(
      field,
      `${field.key} "${field.text}" cannot be read as workstream ids: "${result.unreadable}" is not an id ` +
        'like 00-052-14 (write ids separated by commas, spaces or "and", notes in parentheses, or None)',
      id,
    );
    return [];
  }
  const ids: { id: string; line: number }[] = [];
  for (const item of items) {
    const read = readDependencyItem(item.text);
    if (read.kind === 'ids')
      ids.push(
        ...read.ids
          .filter((dependency) => !ids.some((seen) => seen.id === dependency))
          .map((dependency) => ({ id: dependency, line: item.line })),
      );
    if (read.kind === 'unreadable') {
      report(
        { ...field, line: item.line, text: item.text },
        `${field.key} line "${item.text}" names no workstream id: write the ids it means (like 00-052-14), or None`,
        id,
      );
    }
  }
  return ids;
}

function describeDisagreement(listed: readonly { field: RawField; ids: string[] }[]): string | undefined {
  if (listed.length < 2) return undefined;
  const key = (ids: readonly string[]): string => [...ids].sort().join(',');
  if (new Set(listed.map(({ ids }) => key(ids))).size === 1) return undefined;
  const all = [...new Set(listed.flatMap(({ ids }) => ids))];
  const places = listed.map(({ field, ids }) => `${field.key} on line ${field.line} lists ${ids.length === 0 ? 'none' : ids.join(', ')}`);
  return `dependencies disagree (${places.join('; ')}); using all of them: ${all.join(', ')}`;
}

function stripMarkup(text: string): string {
  return text
    .trim()
    .replace(/^[`*_"']+|[`*_"']+$/g, '')
    .trim();
}
