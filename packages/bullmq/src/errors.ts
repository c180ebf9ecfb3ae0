import { hasErrorCode } from '@sdp/internal';

export type BullmqErrorCode = 'BULLMQ_ATTEMPT_FAILED' | 'BULLMQ_LOCK_LOST' | 'BULLMQ_JOB_VANISHED';

const allCodes: ReadonlySet<string> = new Set<BullmqErrorCode>(['BULLMQ_ATTEMPT_FAILED', 'BULLMQ_LOCK_LOST', 'BULLMQ_JOB_VANISHED']);

/** Base class of every error of @sdp/bullmq. */
export class BullmqError extends Error {
  override readonly name: string = 'BullmqError';
  constructor(
    readonly code: BullmqErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isBullmqError(value: unknown): value is BullmqError {
  return hasErrorCode(value, undefined, allCodes);
}

/** A workstream's job failed on a worker; `reason` is what the worker reported. */
export class AttemptFailedError extends BullmqError {
  override readonly name = 'AttemptFailedError';
  constructor(
    readonly workstream: string,
    readonly jobId: string,
    readonly reason: string,
    /** The command's exit code, when the worker reported one. */
    readonly exitCode?: number,
  ) {
    super('BULLMQ_ATTEMPT_FAILED', `workstream ${workstream} failed on a worker (job ${jobId}): ${reason}`);
  }
}

export function isAttemptFailedError(value: unknown): value is AttemptFailedError {
  return hasErrorCode(value, 'AttemptFailedError', new Set(['BULLMQ_ATTEMPT_FAILED']));
}

/** A worker stopped holding a job's lock (renewal refused or overdue): its command was cancelled. */
export class LockLostError extends BullmqError {
  override readonly name = 'LockLostError';
  constructor(
    readonly jobId: string,
    readonly reason: string,
  ) {
    super('BULLMQ_LOCK_LOST', `job ${jobId} lost its lock (${reason}); its command was cancelled so that no second copy overlaps`);
  }
}

export function isLockLostError(value: unknown): value is LockLostError {
  return hasErrorCode(value, 'LockLostError', new Set(['BULLMQ_LOCK_LOST']));
}

/** A job the coordinator was waiting for was removed from the queue by someone else (obliterate, clean). */
export class JobVanishedError extends BullmqError {
  override readonly name = 'JobVanishedError';
  constructor(
    readonly workstream: string,
    readonly jobId: string,
  ) {
    super('BULLMQ_JOB_VANISHED', `job ${jobId} of workstream ${workstream} disappeared from the queue while the coordinator waited for it`);
  }
}

export function isJobVanishedError(value: unknown): value is JobVanishedError {
  return hasErrorCode(value, 'JobVanishedError', new Set(['BULLMQ_JOB_VANISHED']));
}
