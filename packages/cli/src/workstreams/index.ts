export {
  loadWorkstreams,
  readFeature,
  type LoadWorkstreamsOptions,
  type LoadedWorkstreams,
  type WorkstreamNode,
} from './load-workstreams.js';
export type { DeclaredDependency } from './read-workstream.js';
export type { SkippedFile } from './read-folder.js';
export type { SkipCategory } from './parse-workstream-file.js';
export { describeProblem, type WorkstreamProblem, type WorkstreamWarning } from './workstream-problem.js';
export { WorkstreamFileError, isWorkstreamFileError, type WorkstreamFileErrorDetails } from './workstream-file-error.js';
export { WorkstreamSelectionError, isWorkstreamSelectionError } from './workstream-selection-error.js';
export {
  ExternalDependencyError,
  isExternalDependencyError,
  describeWaiting,
  type WaitingDependency,
} from './external-dependency-error.js';
export { canonicalFeatureId } from './feature-id.js';
