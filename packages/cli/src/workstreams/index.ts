export {
  loadWorkstreams,
  type LoadWorkstreamsOptions,
  type LoadedWorkstreams,
  type WorkstreamNode,
} from './load-workstreams.js';
export { WorkstreamFileError, isWorkstreamFileError } from './workstream-file-error.js';
export { WorkstreamSelectionError, isWorkstreamSelectionError } from './workstream-selection-error.js';
export { ExternalDependencyError, isExternalDependencyError } from './external-dependency-error.js';
export { canonicalFeatureId } from './feature-id.js';
