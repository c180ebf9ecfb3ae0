import path from 'node:path';
import { featureOfFileName, type FolderContents } from './read-folder.js';
import { WorkstreamFileError } from './workstream-file-error.js';
import { WorkstreamSelectionError } from './workstream-selection-error.js';

/**
 * The feature to load: the requested one, or the only one in the folder. When that fails, the
 * error names the cause: files that look like the feature but declare no readable workstream, or
 * the problems of a folder where nothing could be read.
 */
export function selectFeature(
  folder: FolderContents,
  features: readonly string[],
  requested: string | undefined,
  asGiven: string | undefined,
): string {
  const { root } = folder;
  if (requested !== undefined) {
    if (features.includes(requested)) return requested;
    const problems = folder.problems.get(requested) ?? [];
    if (problems.length > 0) throw new WorkstreamFileError(problems, requested);
    const named = folder.skippedFiles.filter((skipped) => featureOfFileName(skipped.file) === requested);
    const holds = features.length === 0 ? 'it holds no readable workstream' : `it holds ${features.join(', ')}`;
    const because =
      named.length === 0
        ? ''
        : `; ${named.length} file${named.length === 1 ? '' : 's'} named like it declare${named.length === 1 ? 's' : ''} no workstream: ` +
          named.map((skipped) => `${path.relative(root, skipped.file)} (${skipped.reason})`).join('; ');
    throw new WorkstreamSelectionError(`feature ${requested} not found in ${root}${because}; ${holds}`, [...features], asGiven);
  }
  const [only, ...others] = features;
  if (only !== undefined && others.length === 0) return only;
  if (only === undefined) {
    const all = [...folder.problems.values()].flat();
    if (all.length > 0) throw new WorkstreamFileError(all);
    const files = `${folder.markdownFiles} markdown file${folder.markdownFiles === 1 ? '' : 's'}`;
    throw new WorkstreamSelectionError(`${root} holds no workstreams (${files}, none declares a workstream id)`, []);
  }
  throw new WorkstreamSelectionError(
    `${root} holds workstreams of several features (${features.join(', ')}); select one with --feature, e.g. --feature ${only}`,
    [...features],
  );
}
