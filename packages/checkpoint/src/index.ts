export type {
  Checkpoint,
  CheckpointUpdate,
  CircuitBreakerSnapshotJson,
  GraphNodeJson,
  GraphSnapshotJson,
} from './checkpoint.js';
export { CHECKPOINT_VERSION } from './checkpoint.js';
export type { Clock } from '@sdp/internal';
export { CheckpointStore, type LockCompromisedEvent, type RecoverEvent } from './checkpoint-store.js';
export type { CheckpointStoreOptions } from './checkpoint-store-options.js';
export {
  CheckpointCorruptError,
  CheckpointLockedError,
  CheckpointMissingError,
  CheckpointNotLockedError,
  CheckpointValidationError,
  CheckpointVersionError,
  CheckpointWriteError,
  isCheckpointCorruptError,
  isCheckpointLockedError,
  isCheckpointMissingError,
  isCheckpointNotLockedError,
  isCheckpointValidationError,
  isCheckpointVersionError,
  isCheckpointWriteError,
  type LockHolder,
} from './errors.js';
export type { Dispose } from '@sdp/internal';
export { validateCheckpoint } from './validate-checkpoint.js';
