// Internal helpers shared by the @sdp packages, bundled into each one at build time (never published).
export { systemClock, type Clock } from './clock.js';
export { describeValue } from './describe-value.js';
export { hasErrorCode } from './error-code.js';
export { errorRecordOf, type ErrorRecord } from './error-record.js';
export type { Dispose } from './dispose.js';
export { Listeners } from './listeners.js';
export { isProcessGroupAlive, signalProcessGroup } from './process-group.js';
export { GO_ZERO_TIME, GO_ZERO_TIME_MS, formatTime, isRfc3339, parseRfc3339 } from './rfc3339.js';
