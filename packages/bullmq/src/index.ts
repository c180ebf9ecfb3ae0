export { Coordinator, type AdoptEvent, type OutputEvent, type BreakerEvents } from './coordinator.js';
export type { CoordinatorOptions } from './coordinator-options.js';
export {
  startWorker,
  type WorkerTask,
  type WorkerContext,
  type WorkerExecute,
  type WorkerHandle,
  type LockLostEvent,
  type CloseOptions,
} from './worker.js';
export { defaultQueue, type WorkerOptions } from './worker-options.js';
export { connectionOf } from './connection.js';
export { jobIdOf, type JobData } from './job-id.js';
export {
  BullmqError,
  isBullmqError,
  AttemptFailedError,
  isAttemptFailedError,
  LockLostError,
  isLockLostError,
  JobVanishedError,
  isJobVanishedError,
  type BullmqErrorCode,
} from './errors.js';
