export {
  loadWorkstreams,
  type LoadWorkstreamsOptions,
  type LoadedWorkstreams,
  type WorkstreamNode,
  WorkstreamFileError,
  isWorkstreamFileError,
  WorkstreamSelectionError,
  isWorkstreamSelectionError,
  ExternalDependencyError,
  isExternalDependencyError,
} from './workstreams/index.js';
