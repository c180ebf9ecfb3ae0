// Every runner of the comparison, by name, with the label the tables print.
import { asyncAuto } from './async-auto.js';
import { fifo } from './fifo.js';
import { pgraph } from './p-graph.js';
import type { Runner } from './runner.js';
import { sdp } from './sdp.js';

export type RunnerName = 'sdp' | 'pgraph' | 'async' | 'fifo';

export const runners: Record<RunnerName, Runner> = { sdp, pgraph, async: asyncAuto, fifo };

export const LABEL: Record<RunnerName, string> = {
  sdp: '@sdp/dispatcher',
  pgraph: 'p-graph 2.0.0',
  async: 'async 3.2.6 auto',
  fifo: 'FIFO greedy (bench)',
};

export { noop, type Exec, type Runner } from './runner.js';
