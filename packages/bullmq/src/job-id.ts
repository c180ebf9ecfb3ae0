/**
 * A job's id: feature, workstream and the attempt's sequence number in the queue, each part
 * percent-encoded so that no id can be read two ways. BullMQ refuses integer ids and most ids with
 * `:`; `/` separators avoid both.
 */
export function jobIdOf(featureId: string, workstream: string, sequence: number): string {
  return `${encodeURIComponent(featureId)}/${encodeURIComponent(workstream)}/${sequence}`;
}

/** What a job carries: workers need no copy of the workstream folder. */
export interface JobData {
  readonly featureId: string;
  readonly workstream: string;
  /** The workstream file's text. */
  readonly text: string;
  /** 1-based attempt number of this workstream in the queue (across coordinator restarts). */
  readonly sequence: number;
}

export const jobName = 'workstream';
