import { resolve } from 'node:path';
import { DependencyGraph, isGraphError, type GraphError } from '@sdp/graph';
import { loadWorkstreams, type LoadedWorkstreams } from './workstreams/index.js';
import type { CommonArgs } from './args.js';

export interface Feature {
  readonly loaded: LoadedWorkstreams;
  readonly graph: DependencyGraph;
  /** Workstreams whose file says they are done: counted as completed, never run. */
  readonly done: readonly string[];
  /** Workstream id -> its file. */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * Loads the selected feature and builds its graph. Dependencies on done workstreams of other features
 * are satisfied already, so they leave the graph; the loader refuses ones that are not done.
 */
export async function loadFeature(args: CommonArgs): Promise<Feature> {
  const loaded = await loadWorkstreams(resolve(args.dir), args.feature === undefined ? {} : { feature: args.feature });
  const external = new Set(loaded.external.map((node) => node.id));
  const files = new Map(loaded.nodes.map((node) => [node.id, node.file]));
  let graph: DependencyGraph;
  try {
    graph = DependencyGraph.fromNodes(
      loaded.nodes.map((node) => ({ id: node.id, dependsOn: node.dependsOn.filter((id) => !external.has(id)) })),
    );
  } catch (error) {
    throw isGraphError(error) ? new FeatureGraphError(error, files) : error;
  }
  return { loaded, graph, done: loaded.nodes.filter((node) => node.done).map((node) => node.id), files };
}

/** With --verbose: the files that were passed over because they are not workstreams. */
export function skippedFilesText(loaded: LoadedWorkstreams): string {
  if (loaded.skippedFiles.length === 0) return '';
  return ['Not workstreams (passed over):', ...loaded.skippedFiles.map((file) => `  ${file.file}: ${file.reason}`)].join('\n') + '\n';
}

/** The workstreams do not form a valid graph; each problem is named with the file of its workstream. */
export class FeatureGraphError extends Error {
  override readonly name = 'FeatureGraphError';
  readonly code = 'INVALID_GRAPH' as const;
  readonly lines: readonly string[];

  constructor(graphError: GraphError, files: ReadonlyMap<string, string>) {
    const lines = graphError.issues.map((issue) => {
      const file = issue.nodeId === undefined ? undefined : files.get(issue.nodeId);
      return file === undefined ? issue.message : `${file}: ${issue.message}`;
    });
    super(lines.join('\n'), { cause: graphError });
    this.lines = lines;
  }
}
