import { fileURLToPath } from 'node:url';

/** The built `sdp-dispatch` (run `pnpm --filter @sdp/cli... build` first). */
export const cliPath = fileURLToPath(new URL('../../packages/cli/dist/cli.js', import.meta.url));

/** The kill harness's workstream command: start and end records in an append-only log. */
export const executorPath = fileURLToPath(new URL('./executor.mjs', import.meta.url));

/** The tests' workstream command: gates, failures, a run log (see the file). */
export const gatedExecutorPath = fileURLToPath(new URL('./fixtures/gated-executor.mjs', import.meta.url));

/** Holds a checkpoint lock from another process (see the file). */
export const holdLockPath = fileURLToPath(new URL('./fixtures/hold-lock.mjs', import.meta.url));

/** A library user's process running a Dispatcher (see the file). */
export const dispatchChildPath = fileURLToPath(new URL('./fixtures/dispatch-child.mjs', import.meta.url));

/** The BullMQ chaos test's workstream command: overlap and order checks (see the file). */
export const bullmqAgentPath = fileURLToPath(new URL('./fixtures/bullmq-agent.mjs', import.meta.url));
