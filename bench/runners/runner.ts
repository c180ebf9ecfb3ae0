// What a runner is: one library's way to run a benchmark DAG.
import type { Dag } from '../dag.js';

/** The task of node `index`. */
export type Exec = (index: number) => Promise<unknown>;

/**
 * Builds the library's own structures from the DAG (construction) and returns the function that runs
 * them; that function resolves when every task is done. Construction and run are split so that the cold
 * run can time them apart.
 */
export type Runner = (dag: Dag, concurrency: number, exec: Exec) => () => Promise<void>;

/** The no-op task of the overhead measurements. */
export const noop: Exec = () => Promise.resolve();
