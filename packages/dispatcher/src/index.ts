export { Dispatcher, type RunOptions } from './dispatcher.js';
export type { Execute, ExecuteContext } from './attempt.js';
export type { AttemptHandle } from './attempt-handle.js';
export type { DispatcherOptions, BreakerOpenPolicy } from './options.js';
export { systemClock, type Clock, type Dispose } from '@sdp/internal';
export type {
  RunReport,
  RunOutcome,
  RunTotals,
  WorkstreamResult,
  WorkstreamStatus,
  GraphChanges,
  AttemptOutcome,
  AttemptRecord,
  ErrorRecord,
  BreakerChange,
} from './run-report.js';
export { toRunRecord, RUN_RECORD_VERSION, type RunRecord, type WorkstreamRecord } from './run-record.js';
export type {
  StartEvent,
  CompleteEvent,
  FailureEvent,
  FailEvent,
  SkipEvent,
  AbandonEvent,
  InDoubtResult,
  CheckpointEvent,
  BreakerStateChangeEvent,
} from './events.js';
export {
  DispatcherError,
  isDispatcherError,
  type DispatcherErrorCode,
  CheckpointFeatureMismatchError,
  isCheckpointFeatureMismatchError,
  CheckpointGraphError,
  isCheckpointGraphError,
  AttemptTimeoutError,
  isAttemptTimeoutError,
  WorkstreamTimeoutError,
  isWorkstreamTimeoutError,
  DispatcherBusyError,
  isDispatcherBusyError,
  LockLostError,
  isLockLostError,
  InDoubtError,
  isInDoubtError,
} from './errors.js';
