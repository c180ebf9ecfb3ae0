/**
 * Where a node stands in a `ReadySet`: `pending` (a dependency is not completed yet), `ready`,
 * `running` (taken), `completed`, `failed`, or `skipped` (a dependency failed or was skipped).
 */
export type NodeStatus = 'pending' | 'ready' | 'running' | 'completed' | 'failed' | 'skipped';

// The same statuses as small integers, for a ready set's typed array.
export const PENDING = 0;
export const READY = 1;
export const RUNNING = 2;
export const COMPLETED = 3;
export const FAILED = 4;
export const SKIPPED = 5;

const STATUS_NAMES: readonly NodeStatus[] = ['pending', 'ready', 'running', 'completed', 'failed', 'skipped'];

export function statusName(status: number): NodeStatus {
  return STATUS_NAMES[status] ?? 'pending';
}
