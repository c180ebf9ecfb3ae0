/** The custom queue event by which the coordinator tells workers to cancel a job (payload `{ jobId }`). */
export const cancelEvent = 'sdp-cancel';
