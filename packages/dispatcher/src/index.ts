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
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- exported for one more release
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
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- exported for one more release
  WorkstreamTimeoutError,
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- exported for one more release
  isWorkstreamTimeoutError,
  DispatcherBusyError,
  isDispatcherBusyError,
  LockLostError,
  isLockLostError,
  InDoubtError,
  isInDoubtError,
} from './errors.js';
