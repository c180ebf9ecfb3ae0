// What every measurement of one bench run shares: the mode, the seed, and a way to collect garbage between runs.

/** `--quick`: smaller sizes and fewer runs, for trying the harness; prints only, writes nothing. */
export const QUICK = process.argv.includes('--quick');

/** Seed of every DAG and duration list; each measurement offsets it so that they do not share a graph. */
export const SEED = 42;

/** Full collection between runs when Node runs with `--expose-gc` (the bench script does); a no-op otherwise. */
export const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

export const hasGc = (globalThis as { gc?: unknown }).gc !== undefined;
