import path from 'node:path';
import { describeValue } from '@sdp/internal';
import { ExternalDependencyError, type WaitingDependency } from './external-dependency-error.js';
import { canonicalFeatureId, compareFeatureIds, featureIdOfWorkstreamId } from './feature-id.js';
import type { DeclaredDependency } from './parse-workstream-file.js';
import { readFolder, type FolderWorkstream, type SkippedFile } from './read-folder.js';
import { selectFeature } from './select-feature.js';
import { WorkstreamFileError } from './workstream-file-error.js';
import { compareWorkstreamIds } from './workstream-id.js';
import { problemOf, type WorkstreamProblem, type WorkstreamWarning } from './workstream-problem.js';

export interface WorkstreamNode {
  /** Workstream id as written, e.g. `00-052-14` or `99-F052-0001`. */
  id: string;
  /** Ids this workstream waits for: its own dependency fields, then the `blocks` of others. */
  dependsOn: string[];
  /** Where each dependency was declared (an id declared in two places appears twice). */
  declaredAt: DeclaredDependency[];
  /** Absolute path of the file that declares it. */
  file: string;
  /** Its status says done, completed, complete, closed or merged: it counts as completed and is not run. */
  done: boolean;
  /** Canonical feature id, e.g. `F052`. */
  featureId: string;
  /** From the `title` field, or else the file's first `#` heading without the id. */
  title?: string;
  /** The status as written, when the file has one. */
  status?: string;
}

export interface LoadWorkstreamsOptions {
  /**
   * The feature to load, e.g. `'F052'`, `'052'` or `'52'` (compared by number after an optional
   * leading `F`/`f`). Default: the only feature in the folder; required when it holds several.
   */
  feature?: string;
  /** Globs of files and folders to leave out, relative to the folder (`TEMPLATE.md`, `archive/**`). Default none. */
  exclude?: readonly string[];
  /**
   * What to do when a workstream depends on one of another feature that is not done:
   * `'refuse'` (default) throws an {@link ExternalDependencyError}; `'report'` lists it in `waiting`.
   */
  unfinishedExternal?: 'refuse' | 'report';
}

export interface LoadedWorkstreams {
  /** Canonical id of the selected feature: `F` and at least three digits, e.g. `F052`. */
  featureId: string;
  /** The selected feature's workstreams, sorted by id (numerically by part). */
  nodes: WorkstreamNode[];
  /**
   * Done workstreams of other features that selected ones depend on, for a caller to add to the
   * graph as completed. Their `dependsOn` is empty: their own prerequisites are outside this run.
   */
  external: WorkstreamNode[];
  /** Dependencies on other features' workstreams that are not done (only with `unfinishedExternal: 'report'`). */
  waiting: WaitingDependency[];
  /** Markdown files that declare no workstream (summaries, reports, templates), with the reason. */
  skippedFiles: SkippedFile[];
  /** Files left out by `exclude`. */
  excludedFiles: string[];
  /** Disagreements in the selected feature's files that were resolved (dependencies united), file:line each. */
  warnings: WorkstreamWarning[];
  /** Problems in files of other features (or of no feature that can be told): they do not block this one. */
  otherProblems: WorkstreamProblem[];
}

/**
 * Reads every `*.md` file under `dir` (recursively, in a stable order) in any accepted format and
 * returns the selected feature's workstreams with their dependencies. It does not build the graph:
 * a dependency on an id of the selected feature that no file declares stays in `dependsOn`, for the
 * graph to report; cycles likewise.
 *
 * Throws {@link WorkstreamFileError} listing every problem in the selected feature's files at once;
 * {@link WorkstreamSelectionError} when no single feature can be selected; {@link ExternalDependencyError}
 * (unless `unfinishedExternal: 'report'`) listing every dependency on another feature's workstream
 * that is not done or not in the folder; `TypeError`/`RangeError` for bad arguments; the file
 * system's own error (`ENOENT`, `ENOTDIR`) when `dir` cannot be read; `signal.reason` when aborted.
 */
export async function loadWorkstreams(dir: string, options: LoadWorkstreamsOptions = {}, signal?: AbortSignal): Promise<LoadedWorkstreams> {
  const { loaded, problems } = await readFeature(dir, options, signal);
  if (problems.length > 0) throw new WorkstreamFileError(problems, loaded.featureId);
  if (loaded.waiting.length > 0 && options.unfinishedExternal !== 'report') throw new ExternalDependencyError(loaded.waiting);
  return loaded;
}

/** {@link loadWorkstreams} without throwing for the selected feature's problems: the caller reports them with its own. */
export async function readFeature(
  dir: string,
  options: LoadWorkstreamsOptions = {},
  signal?: AbortSignal,
): Promise<{ loaded: LoadedWorkstreams; problems: WorkstreamProblem[] }> {
  const requested = validateArguments(dir, options, signal);
  const folder = await readFolder(path.resolve(dir), options.exclude ?? [], signal);
  const features = [...new Set([...folder.workstreams.values()].map((workstream) => workstream.featureId))].sort(compareFeatureIds);
  const featureId = selectFeature(folder, features, requested, options.feature);

  const warnings = [...(folder.warnings.get(featureId) ?? [])];
  const nodes: WorkstreamNode[] = [];
  const external = new Map<string, WorkstreamNode>();
  const waiting: WaitingDependency[] = [];
  const selected = [...folder.workstreams.values()]
    .filter((workstream) => workstream.featureId === featureId)
    .sort((a, b) => compareWorkstreamIds(a.id, b.id));
  for (const workstream of selected) {
    const dependencies = workstream.done ? neededByDone(workstream, folder.workstreams, warnings) : workstream.dependencies;
    const node = toNode(workstream, dependencies);
    nodes.push(node);
    if (workstream.done) continue;
    for (const dependency of node.dependsOn) {
      const target = folder.workstreams.get(dependency);
      const targetFeature = target?.featureId ?? featureIdOfWorkstreamId(dependency) ?? '?';
      if (targetFeature === featureId) continue;
      if (target?.done === true) {
        external.set(dependency, toNode(target, []));
        continue;
      }
      waiting.push({
        workstream: workstream.id,
        dependency,
        dependencyFeature: targetFeature,
        file: workstream.file,
        reason: target === undefined ? 'not-found' : 'not-done',
        ...(target === undefined ? {} : { dependencyFile: target.file }),
      });
    }
  }
  const otherProblems = [...folder.problems]
    .filter(([feature]) => feature !== featureId)
    .flatMap(([, items]) => items)
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return {
    loaded: {
      featureId,
      nodes,
      external: [...external.values()].sort((a, b) => compareWorkstreamIds(a.id, b.id)),
      waiting,
      skippedFiles: [...folder.skippedFiles],
      excludedFiles: [...folder.excludedFiles],
      warnings,
      otherProblems: [...new Set(otherProblems)],
    },
    problems: folder.problems.get(featureId) ?? [],
  };
}

/**
 * A done workstream is never run, so what it waited for need not exist: dependencies no file
 * declares, or of other features, leave it (the first with a warning, so nothing goes unsaid).
 */
function neededByDone(
  workstream: FolderWorkstream,
  all: ReadonlyMap<string, FolderWorkstream>,
  warnings: WorkstreamWarning[],
): readonly DeclaredDependency[] {
  return workstream.dependencies.filter((dependency) => {
    const target = all.get(dependency.id);
    if (target === undefined) {
      const problem = `is done; its dependency ${dependency.id} is in no file, which does not matter for a done workstream`;
      warnings.push(
        problemOf({ file: dependency.file, line: dependency.line, field: dependency.field, workstream: workstream.id, problem }),
      );
      return false;
    }
    return target.featureId === workstream.featureId;
  });
}

function validateArguments(dir: unknown, options: unknown, signal: unknown): string | undefined {
  if (typeof dir !== 'string' || dir === '') {
    throw new TypeError(`dir must be a non-empty string (the folder of workstream files), got ${describeValue(dir)}`);
  }
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object, got ${describeValue(options)}`);
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new TypeError(`signal must be an AbortSignal, got ${describeValue(signal)}`);
  const { feature, exclude, unfinishedExternal } = options as { feature?: unknown; exclude?: unknown; unfinishedExternal?: unknown };
  if (
    exclude !== undefined &&
    (!Array.isArray(exclude) || !exclude.every((item: unknown) => typeof item === 'string' && item.trim() !== ''))
  ) {
    throw new TypeError(`options.exclude must be an array of non-empty glob strings, got ${describeValue(exclude)}`);
  }
  if (unfinishedExternal !== undefined && unfinishedExternal !== 'refuse' && unfinishedExternal !== 'report') {
    throw new RangeError(`options.unfinishedExternal must be "refuse" or "report", got ${describeValue(unfinishedExternal)}`);
  }
  if (feature === undefined) return undefined;
  if (typeof feature !== 'string')
    throw new TypeError(`options.feature must be a string such as "F052" or "052", got ${describeValue(feature)}`);
  const canonical = canonicalFeatureId(feature);
  if (canonical === undefined)
    throw new RangeError(`options.feature must be a feature id such as "F052" or "052", got ${describeValue(feature)}`);
  return canonical;
}

function toNode(workstream: FolderWorkstream, dependencies: readonly DeclaredDependency[]): WorkstreamNode {
  return {
    id: workstream.id,
    dependsOn: [...new Set(dependencies.map((dependency) => dependency.id))],
    declaredAt: [...dependencies],
    file: workstream.file,
    done: workstream.done,
    featureId: workstream.featureId,
    ...(workstream.title === undefined ? {} : { title: workstream.title }),
    ...(workstream.status === undefined ? {} : { status: workstream.status }),
  };
}
