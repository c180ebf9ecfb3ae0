import { hasErrorCode } from '@sdp/internal';
import { resolve } from 'node:path';
import { DependencyGraph, isGraphError, type GraphError } from '@sdp/graph';
import type { CommonArgs } from './args.js';
import { CliError } from './cli-error.js';
import { statePathsOf, type StatePaths } from './state-dir.js';
import {
  ExternalDependencyError,
  WorkstreamFileError,
  describeProblem,
  readFeature,
  type LoadedWorkstreams,
  type WorkstreamProblem,
} from './workstreams/index.js';

export interface Feature {
  readonly loaded: LoadedWorkstreams;
  readonly graph: DependencyGraph;
  /** Workstreams whose file says they are done: counted as completed, never run. */
  readonly done: readonly string[];
  /** Workstream id -> its file. */
  readonly files: ReadonlyMap<string, string>;
  /** Where this feature's checkpoint, logs and run records live (absolute, independent of the working directory). */
  readonly paths: StatePaths;
}

export interface LoadFeatureOptions {
  /**
   * `plan` shows a feature that waits for unfinished workstreams of other features (listed in
   * `loaded.waiting`, their edges left out of the graph); every other command refuses it. Default false.
   */
  readonly allowWaiting?: boolean;
}

/**
 * Loads the selected feature and builds its graph. Dependencies on done workstreams of other
 * features are satisfied already, so they leave the graph. Every problem of the feature comes out
 * at once: the problems of its files and those of its graph (missing dependencies, cycles) in one
 * {@link WorkstreamFileError}; a graph problem alone is a {@link FeatureGraphError}.
 */
export async function loadFeature(args: CommonArgs, options: LoadFeatureOptions = {}): Promise<Feature> {
  const { loaded, problems } = await readFeature(resolve(args.dir), {
    ...(args.feature === undefined ? {} : { feature: args.feature }),
    exclude: args.exclude,
    unfinishedExternal: 'report',
  });
  const outside = new Set([...loaded.external.map((node) => node.id), ...loaded.waiting.map((item) => item.dependency)]);
  const files = new Map(loaded.nodes.map((node) => [node.id, node.file]));
  let graph: DependencyGraph | undefined;
  let graphError: GraphError | undefined;
  try {
    graph = DependencyGraph.fromNodes(
      loaded.nodes.map((node) => ({ id: node.id, dependsOn: node.dependsOn.filter((id) => !outside.has(id)) })),
    );
  } catch (error) {
    if (!isGraphError(error)) throw error;
    graphError = error;
  }
  if (problems.length > 0) {
    throw new WorkstreamFileError([...problems, ...(graphError === undefined ? [] : graphProblems(graphError, files))], loaded.featureId);
  }
  if (graphError !== undefined) throw new FeatureGraphError(graphError, files);
  if (graph === undefined) throw new Error('unreachable: no graph and no graph error');
  if (loaded.waiting.length > 0 && options.allowWaiting !== true) throw new ExternalDependencyError(loaded.waiting);
  return {
    loaded,
    graph,
    done: loaded.nodes.filter((node) => node.done).map((node) => node.id),
    files,
    paths: statePathsOf(args.stateRoot, loaded.featureId, args.checkpointDir),
  };
}

function graphProblems(error: GraphError, files: ReadonlyMap<string, string>): WorkstreamProblem[] {
  return error.issues.map((issue) => {
    const file = issue.nodeId === undefined ? undefined : files.get(issue.nodeId);
    return { file: file ?? '(graph)', problem: issue.message, ...(issue.nodeId === undefined ? {} : { workstream: issue.nodeId }) };
  });
}

/**
 * With --verbose: the files that were passed over because they are not workstreams, those left out
 * by --exclude, and the problems of other features' files. Without it: one line counting them.
 */
export function skippedFilesText(loaded: LoadedWorkstreams, verbose = true): string {
  const { skippedFiles, excludedFiles, otherProblems } = loaded;
  if (!verbose) {
    const parts = [
      ...(skippedFiles.length > 0
        ? [
            `${skippedFiles.length} ${skippedFiles.length === 1 ? 'file that is not a workstream' : 'files that are not workstreams'} (${categoryCounts(loaded)})`,
          ]
        : []),
      ...(excludedFiles.length > 0 ? [`${excludedFiles.length} excluded`] : []),
      ...(otherProblems.length > 0
        ? [`${otherProblems.length} problem${otherProblems.length === 1 ? '' : 's'} in files of other features`]
        : []),
    ];
    return parts.length === 0 ? '' : `Passed over: ${parts.join(', ')}; --verbose lists them\n`;
  }
  const lines = [
    ...(skippedFiles.length > 0 ? ['Not workstreams (passed over):', ...skippedFiles.map((file) => `  ${file.file}: ${file.reason}`)] : []),
    ...(excludedFiles.length > 0 ? ['Excluded:', ...excludedFiles.map((file) => `  ${file}`)] : []),
    ...(otherProblems.length > 0
      ? [
          'Problems in files of other features (they do not block this one):',
          ...otherProblems.map((problem) => `  ${describeProblem(problem)}`),
        ]
      : []),
  ];
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function categoryCounts(loaded: LoadedWorkstreams): string {
  const counts = new Map<string, number>();
  for (const file of loaded.skippedFiles) counts.set(file.category, (counts.get(file.category) ?? 0) + 1);
  const names: Record<string, [string, string]> = {
    template: ['template', 'templates'],
    report: ['report', 'reports'],
    'not-workstream': ['other', 'others'],
  };
  return [...counts].map(([category, count]) => `${count} ${(names[category] ?? [category, category])[count === 1 ? 0 : 1]}`).join(', ');
}

/** The warnings of the feature's files (disagreements that were resolved), one line each with file:line. */
export function warningsText(loaded: LoadedWorkstreams): string {
  if (loaded.warnings.length === 0) return '';
  return [`Warnings (${loaded.warnings.length}):`, ...loaded.warnings.map((warning) => `  ${describeProblem(warning)}`)].join('\n') + '\n';
}

/** The workstreams do not form a valid graph; each problem is named with the file of its workstream. */
export class FeatureGraphError extends CliError {
  override readonly name = 'FeatureGraphError';
  declare readonly code: 'CLI_GRAPH';
  readonly lines: readonly string[];

  constructor(graphError: GraphError, files: ReadonlyMap<string, string>) {
    const lines = graphError.issues.map((issue) => {
      const file = issue.nodeId === undefined ? undefined : files.get(issue.nodeId);
      return file === undefined ? issue.message : `${file}: ${issue.message}`;
    });
    super('CLI_GRAPH', lines.join('\n'), { cause: graphError });
    this.lines = lines;
  }
}

const CLI_GRAPH: ReadonlySet<string> = new Set(['CLI_GRAPH']);

/** True for a {@link FeatureGraphError}, also one from another copy of this package. */
export function isFeatureGraphError(value: unknown): value is FeatureGraphError {
  return hasErrorCode(value, 'FeatureGraphError', CLI_GRAPH);
}
