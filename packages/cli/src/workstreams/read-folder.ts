import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { excludeMatcher } from './exclude-glob.js';
import { featureIdOfWorkstreamId } from './feature-id.js';
import { listMarkdownFiles } from './list-markdown-files.js';
import { parseWorkstreamFile, type DeclaredDependency, type ParsedWorkstream, type SkipCategory } from './parse-workstream-file.js';
import { problemOf, type WorkstreamProblem, type WorkstreamWarning } from './workstream-problem.js';

/** A markdown file that is not a workstream, with the reason and what kind of file it is. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
  readonly category: SkipCategory;
}

/** Every workstream of a folder after duplicates and `blocks` are resolved, and every problem by feature. */
export interface FolderContents {
  readonly root: string;
  readonly markdownFiles: number;
  /** Each id once: the file that declares it (a report about it never does when another file does). */
  readonly workstreams: ReadonlyMap<string, FolderWorkstream>;
  readonly skippedFiles: readonly SkippedFile[];
  /** Files left out by `--exclude`. */
  readonly excludedFiles: readonly string[];
  /** Problems by the feature whose file has them; `''` for files whose feature cannot be told. */
  readonly problems: ReadonlyMap<string, WorkstreamProblem[]>;
  readonly warnings: ReadonlyMap<string, WorkstreamWarning[]>;
}

export interface FolderWorkstream extends ParsedWorkstream {
  /** Its own dependencies and the `blocks` / `DOWNSTREAM` of other files that name it, each with where. */
  readonly dependencies: readonly DeclaredDependency[];
}

/** Reads and parses every markdown file under `root` (minus `exclude`), keeping every problem. */
export async function readFolder(root: string, exclude: readonly string[], signal?: AbortSignal): Promise<FolderContents> {
  const excluded = excludeMatcher(exclude);
  const problems = new Map<string, WorkstreamProblem[]>();
  const warnings = new Map<string, WorkstreamWarning[]>();
  const add = (map: Map<string, WorkstreamProblem[]>, feature: string, items: readonly WorkstreamProblem[]): void => {
    if (items.length === 0) return;
    map.set(feature, [...(map.get(feature) ?? []), ...items]);
  };
  const declarations = new Map<string, ParsedWorkstream[]>();
  const skippedFiles: SkippedFile[] = [];
  const excludedFiles: string[] = [];
  const files = await listMarkdownFiles(root, signal);
  for (const file of files) {
    signal?.throwIfAborted();
    const relative = path.relative(root, file).split(path.sep).join('/');
    if (excluded(relative)) {
      excludedFiles.push(file);
      continue;
    }
    let text: string;
    try {
      text = await readFile(file, { encoding: 'utf8', signal });
    } catch (error) {
      if (signal?.aborted === true) throw error;
      const problem = problemOf({ file, problem: `cannot be read: ${(error as Error).message}` });
      add(problems, featureOfFileName(file) ?? '', [problem]);
      continue;
    }
    const underCompletedFolder = relative
      .split('/')
      .slice(0, -1)
      .some((name) => /^completed$/i.test(name));
    const parsed = parseWorkstreamFile(text, file, { underCompletedFolder });
    if (parsed.kind === 'skipped') {
      skippedFiles.push({ file, reason: parsed.reason, category: parsed.category });
    } else if (parsed.kind === 'invalid') {
      const features = parsed.features.length === 0 ? [''] : parsed.features;
      for (const feature of features) add(problems, feature, parsed.problems);
    } else {
      const { workstream } = parsed;
      add(problems, workstream.featureId, parsed.problems);
      add(warnings, workstream.featureId, parsed.warnings);
      declarations.set(workstream.id, [...(declarations.get(workstream.id) ?? []), workstream]);
    }
  }

  const chosen = new Map<string, ParsedWorkstream>();
  for (const [id, group] of declarations) {
    const declarers = group.filter((workstream) => workstream.looksLikeReport !== true);
    const first = declarers[0] ?? group[0];
    if (first === undefined) continue;
    chosen.set(id, first);
    for (const other of group) {
      if (other === first) continue;
      if (other.looksLikeReport === true) {
        skippedFiles.push({
          file: other.file,
          reason: `a report about ${id}, which ${first.file}:${first.line} declares`,
          category: 'report',
        });
      } else {
        add(problems, other.featureId, [
          problemOf({
            file: other.file,
            line: other.line,
            field: 'ws_id',
            text: id,
            workstream: id,
            problem: `workstream id is also declared by ${first.file}:${first.line}: remove one copy, or --exclude it`,
          }),
        ]);
      }
    }
  }

  attributeByFolder(problems, chosen);
  const order = new Map(files.map((file, index) => [file, index]));
  skippedFiles.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  for (const items of problems.values())
    items.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || (a.line ?? 0) - (b.line ?? 0));
  const workstreams = withBlocks(
    chosen,
    root,
    (feature, problem) => {
      add(problems, feature, [problem]);
    },
    (feature, warning) => {
      add(warnings, feature, [warning]);
    },
  );
  return { root, markdownFiles: files.length, workstreams, skippedFiles, excludedFiles, problems, warnings };
}

/** The feature a file name says it belongs to: `00-041-02-login.md` -> `F041`. */
export function featureOfFileName(file: string): string | undefined {
  const id = /^\d{2,}-F?\d{3,}-\d{2,}/.exec(path.basename(file))?.[0];
  return id === undefined ? undefined : featureIdOfWorkstreamId(id);
}

/**
 * A file whose feature cannot be told from it (`notes.md` with `depends_on` and no `ws_id`) belongs
 * to the feature of the workstreams beside it in its folder, when they are all of one feature: it
 * may be one of them that lost its id, so it blocks that feature. Elsewhere it blocks none.
 */
function attributeByFolder(problems: Map<string, WorkstreamProblem[]>, chosen: ReadonlyMap<string, ParsedWorkstream>): void {
  const unattributed = problems.get('');
  if (unattributed === undefined) return;
  const featuresIn = new Map<string, Set<string>>();
  for (const workstream of chosen.values()) {
    const folder = path.dirname(workstream.file);
    featuresIn.set(folder, (featuresIn.get(folder) ?? new Set()).add(workstream.featureId));
  }
  const remaining = unattributed.filter((problem) => {
    const [only, ...others] = featuresIn.get(path.dirname(problem.file)) ?? [];
    if (only === undefined || others.length > 0) return true;
    problems.set(only, [...(problems.get(only) ?? []), problem]);
    return false;
  });
  if (remaining.length === 0) problems.delete('');
  else problems.set('', remaining);
}

type Report = (feature: string, problem: WorkstreamProblem) => void;

/** Each workstream's dependencies as written, plus an edge for every `blocks` naming it. */
function withBlocks(
  chosen: ReadonlyMap<string, ParsedWorkstream>,
  root: string,
  problem: Report,
  warning: Report,
): Map<string, FolderWorkstream> {
  const dependencies = new Map<string, DeclaredDependency[]>();
  for (const workstream of chosen.values()) dependencies.set(workstream.id, [...workstream.declaredAt]);
  for (const workstream of chosen.values()) {
    for (const blocked of workstream.blocks) {
      const target = dependencies.get(blocked.id);
      const details = {
        file: workstream.file,
        line: blocked.field.line,
        field: blocked.field.key,
        text: blocked.field.text,
        workstream: workstream.id,
      };
      if (target === undefined) {
        const sameFeature = featureIdOfWorkstreamId(blocked.id) === workstream.featureId;
        const text = `${blocked.field.key} names ${blocked.id}, which no file in ${root} declares`;
        if (sameFeature) problem(workstream.featureId, problemOf({ ...details, problem: `${text}: fix the id or remove it` }));
        else warning(workstream.featureId, problemOf({ ...details, problem: `${text} (another feature's; ignored)` }));
        continue;
      }
      target.push({ id: workstream.id, file: workstream.file, line: blocked.field.line, field: blocked.field.key });
    }
  }
  const result = new Map<string, FolderWorkstream>();
  for (const workstream of chosen.values()) {
    const declared = dependencies.get(workstream.id) ?? [];
    result.set(workstream.id, { ...workstream, dependsOn: [...new Set(declared.map((item) => item.id))], dependencies: declared });
  }
  return result;
}
