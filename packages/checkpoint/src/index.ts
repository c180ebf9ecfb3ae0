export type {
  AttemptHandleJson,
  Checkpoint,
  CheckpointUpdate,
  CircuitBreakerSnapshotJson,
  GraphNodeJson,
  GraphSnapshotJson,
} from './checkpoint.js';
export { CHECKPOINT_VERSION } from './checkpoint.js';
export type { Clock } from '@sdp/internal';
export type { CheckpointFinding, CheckpointFindingKind, CheckpointReading } from './checkpoint-reading.js';
export type { RecoverEvent } from './checkpoint-repair.js';
export { CheckpointStore, type LockCompromisedEvent } from './checkpoint-store.js';
export { featureIdProblem, type CheckpointStoreOptions } from './checkpoint-store-options.js';
export {
  CheckpointCorruptError,
  CheckpointError,
  CheckpointLockedError,
  CheckpointLockLostError,
  CheckpointMissingError,
  CheckpointNotLockedError,
  CheckpointValidationError,
  CheckpointVersionError,
  CheckpointWriteError,
  isCheckpointCorruptError,
  isCheckpointError,
  isCheckpointLockedError,
  isCheckpointLockLostError,
  isCheckpointMissingError,
  isCheckpointNotLockedError,
  isCheckpointValidationError,
  isCheckpointVersionError,
  isCheckpointWriteError,
  type CheckpointErrorCode,
  type LockHolder,
} from './errors.js';
export type { Dispose } from '@sdp/internal';
export { validateCheckpoint } from './validate-checkpoint.js';
