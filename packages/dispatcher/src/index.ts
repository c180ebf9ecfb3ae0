export { Dispatcher, type RunOptions } from './dispatcher.js';
export type { Execute, ExecuteContext } from './dispatch-run.js';
export type { DispatcherOptions, BreakerOpenPolicy } from './options.js';
export { systemClock, type Clock, type Dispose } from '@sdp/internal';
export type {
  RunReport,
  RunOutcome,
  RunTotals,
  WorkstreamResult,
  WorkstreamStatus,
  GraphChanges,
} from './run-report.js';
export type {
  StartEvent,
  CompleteEvent,
  FailEvent,
  SkipEvent,
  CheckpointEvent,
  BreakerStateChangeEvent,
} from './events.js';
export {
  CheckpointFeatureMismatchError,
  isCheckpointFeatureMismatchError,
  CheckpointGraphError,
  isCheckpointGraphError,
  WorkstreamTimeoutError,
  isWorkstreamTimeoutError,
  DispatcherBusyError,
  isDispatcherBusyError,
} from './errors.js';
