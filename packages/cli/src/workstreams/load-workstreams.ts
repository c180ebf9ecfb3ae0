import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ExternalDependencyError } from './external-dependency-error.js';
import { canonicalFeatureId, compareFeatureIds, featureIdOfWorkstreamId } from './feature-id.js';
import { listMarkdownFiles } from './list-markdown-files.js';
import { parseWorkstreamFile, type ParsedWorkstream } from './parse-workstream-file.js';
import { WorkstreamFileError } from './workstream-file-error.js';
import { WorkstreamSelectionError } from './workstream-selection-error.js';
import { compareWorkstreamIds } from './workstream-id.js';

export interface WorkstreamNode {
  /** Workstream id as written, e.g. `00-052-14`. */
  id: string;
  /** Ids this workstream waits for: its own dependency fields, then the `blocks` of others. */
  dependsOn: string[];
  /** Absolute path of the file that declares it. */
  file: string;
  /** Its `status` says done / completed / complete: it counts as completed and is not run. */
  done: boolean;
  /** Canonical feature id, e.g. `F052`. */
  featureId: string;
  /** From the `title` field, or else the file's first `#` heading without the id. */
  title?: string;
}

export interface LoadWorkstreamsOptions {
  /**
   * The feature to load, e.g. `'F052'`, `'052'` or `'52'` (compared by number after an optional
   * leading `F`/`f`). Default: the only feature in the folder; required when it holds several.
   */
  feature?: string;
}

export interface LoadedWorkstreams {
  /** Canonical id of the selected feature: `F` and at least three digits, e.g. `F052`. */
  featureId: string;
  /** The selected feature's workstreams, sorted by id (numerically by part). */
  nodes: WorkstreamNode[];
  /**
   * Workstreams of other features that selected ones depend on. All are done (a dependency on an
   * unfinished one is an {@link ExternalDependencyError}), so a caller adds them to the graph as
   * completed. Their `dependsOn` is empty: their own prerequisites are outside this run.
   */
  external: WorkstreamNode[];
  /** Markdown files that declare no workstream (summaries, reports), with the reason. */
  skippedFiles: { file: string; reason: string }[];
}

/**
 * Reads every `*.md` file under `dir` (recursively, in a stable order), in either workstream
 * format, and returns the selected feature's workstreams with their dependencies. It does not
 * build or validate the graph: a dependency on an id of the selected feature that no file
 * declares stays in `dependsOn`, for the graph to report as a missing dependency; cycles likewise.
 *
 * Throws {@link WorkstreamFileError} for a file that declares a workstream but cannot be read,
 * for a workstream id declared by two files, and for `blocks` naming an id no file declares;
 * {@link WorkstreamSelectionError} when no single feature can be selected;
 * {@link ExternalDependencyError} when a selected workstream depends on another feature's
 * workstream that is not done or not in the folder; `TypeError`/`RangeError` for bad arguments;
 * the file system's own error (`ENOENT`, `ENOTDIR`) when `dir` cannot be read; `signal.reason`
 * when aborted.
 */
export async function loadWorkstreams(
  dir: string,
  options: LoadWorkstreamsOptions = {},
  signal?: AbortSignal,
): Promise<LoadedWorkstreams> {
  const requested = validateArguments(dir, options, signal);
  const root = path.resolve(dir);
  const workstreams = new Map<string, ParsedWorkstream>();
  const skippedFiles: { file: string; reason: string }[] = [];
  const files = await listMarkdownFiles(root, signal);
  for (const file of files) {
    signal?.throwIfAborted();
    const parsed = parseWorkstreamFile(await readFile(file, { encoding: 'utf8', signal }), file);
    if (parsed.kind === 'skipped') {
      skippedFiles.push({ file, reason: parsed.reason });
      continue;
    }
    const workstream = parsed.workstream;
    const earlier = workstreams.get(workstream.id);
    if (earlier !== undefined) {
      throw new WorkstreamFileError({
        file,
        line: workstream.line,
        field: 'ws_id',
        text: workstream.id,
        workstream: workstream.id,
        problem: `workstream id is also declared by ${earlier.file}:${earlier.line}`,
      });
    }
    workstreams.set(workstream.id, workstream);
  }

  const dependsOn = dependenciesWithBlocks(workstreams, root);
  const features = [...new Set([...workstreams.values()].map((workstream) => workstream.featureId))];
  features.sort(compareFeatureIds);
  const featureId = selectFeature(features, requested, options.feature, root, files.length);

  const nodes: WorkstreamNode[] = [];
  const external = new Map<string, WorkstreamNode>();
  const selected = [...workstreams.values()]
    .filter((workstream) => workstream.featureId === featureId)
    .sort((a, b) => compareWorkstreamIds(a.id, b.id));
  for (const workstream of selected) {
    const node = toNode(workstream, [...(dependsOn.get(workstream.id) ?? [])]);
    for (const dependency of node.dependsOn) {
      const target = workstreams.get(dependency);
      const targetFeature = target?.featureId ?? featureIdOfWorkstreamId(dependency);
      if (targetFeature === featureId) continue;
      if (target?.done !== true) {
        throw new ExternalDependencyError({
          workstream: workstream.id,
          dependency,
          file: workstream.file,
          reason: target === undefined ? 'not-found' : 'not-done',
          dependencyFile: target?.file,
          dependencyFeature: targetFeature ?? '?',
        });
      }
      external.set(dependency, toNode(target, []));
    }
    nodes.push(node);
  }
  return {
    featureId,
    nodes,
    external: [...external.values()].sort((a, b) => compareWorkstreamIds(a.id, b.id)),
    skippedFiles,
  };
}

function validateArguments(dir: unknown, options: unknown, signal: unknown): string | undefined {
  if (typeof dir !== 'string' || dir === '') {
    throw new TypeError(`dir must be a non-empty string (the folder of workstream files), got ${describe(dir)}`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object, got ${describe(options)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`signal must be an AbortSignal, got ${describe(signal)}`);
  }
  const feature = (options as LoadWorkstreamsOptions).feature;
  if (feature === undefined) return undefined;
  if (typeof feature !== 'string') {
    throw new TypeError(`options.feature must be a string such as "F052" or "052", got ${describe(feature)}`);
  }
  const canonical = canonicalFeatureId(feature);
  if (canonical === undefined) {
    throw new RangeError(`options.feature must be a feature id such as "F052" or "052", got ${describe(feature)}`);
  }
  return canonical;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : value === null ? 'null' : typeof value;
}

/** Each workstream's dependencies as written, plus an edge for every `blocks` naming it. */
function dependenciesWithBlocks(
  workstreams: ReadonlyMap<string, ParsedWorkstream>,
  root: string,
): Map<string, Set<string>> {
  const dependsOn = new Map<string, Set<string>>();
  for (const workstream of workstreams.values()) dependsOn.set(workstream.id, new Set(workstream.dependsOn));
  for (const workstream of workstreams.values()) {
    for (const blocked of workstream.blocks) {
      const target = dependsOn.get(blocked.id);
      if (target === undefined) {
        throw new WorkstreamFileError({
          file: workstream.file,
          line: blocked.field.line,
          field: blocked.field.key,
          text: blocked.field.text,
          workstream: workstream.id,
          problem: `${blocked.field.key} names ${blocked.id}, which no file in ${root} declares`,
        });
      }
      target.add(workstream.id);
    }
  }
  return dependsOn;
}

function selectFeature(
  features: readonly string[],
  requested: string | undefined,
  asGiven: string | undefined,
  root: string,
  markdownFiles: number,
): string {
  if (features.length === 0) {
    const files = `${markdownFiles} markdown file${markdownFiles === 1 ? '' : 's'}`;
    throw new WorkstreamSelectionError(`${root} holds no workstreams (${files}, none declares a ws_id)`, [], asGiven);
  }
  if (requested !== undefined) {
    if (features.includes(requested)) return requested;
    throw new WorkstreamSelectionError(
      `${root} holds no workstreams of feature ${requested}; it holds ${features.join(', ')}`,
      [...features],
      asGiven,
    );
  }
  const [only, ...others] = features;
  if (only !== undefined && others.length === 0) return only;
  throw new WorkstreamSelectionError(
    `${root} holds workstreams of several features (${features.join(', ')}); select one with the feature option`,
    [...features],
  );
}

function toNode(workstream: ParsedWorkstream, dependsOn: string[]): WorkstreamNode {
  return {
    id: workstream.id,
    dependsOn,
    file: workstream.file,
    done: workstream.done,
    featureId: workstream.featureId,
    ...(workstream.title === undefined ? {} : { title: workstream.title }),
  };
}
