/**
 * The kill -9 resume harness, full size: `pnpm --filter @sdp/crash-suite test:crash -- --kills 200`.
 *
 *   --kills <n>         run trials until at least n kills happened (default 40)
 *   --seed <n>          seed of the first trial; trial i uses seed + i (default: from the clock, printed)
 *   --trials <n>        at most n trials (replay one failing trial: --seed <its seed> --trials 1)
 *   --workstreams <n>   workstreams per feature (default 56)
 *   --concurrency <n>   --concurrency of the CLI (default 4)
 *   --keep              keep every trial's folder (a failing trial's folder is always kept)
 *   --quiet             one line per trial instead of one per run
 *
 * Needs the built CLI: pnpm --filter @sdp/dispatcher... build
 */
import { parseArgs } from 'node:util';
import { runHarness, TrialFailure, type HarnessReport } from '../src/kill-harness.js';

const args = process.argv.slice(2);
// `pnpm test:crash -- --kills 200` passes the `--` through.
if (args[0] === '--') args.shift();
const { values } = parseArgs({
  args,
  options: {
    kills: { type: 'string' },
    seed: { type: 'string' },
    trials: { type: 'string' },
    workstreams: { type: 'string' },
    concurrency: { type: 'string' },
    keep: { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
  strict: true,
});

function count(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min) {
    console.error(`--${name} must be a whole number >= ${min}, got "${text}"`);
    process.exit(2);
  }
  return Number(text);
}

const seed = count('seed', values.seed, Date.now() % 1_000_000_000, 0);
const kills = count('kills', values.kills, 40, 0);
const workstreams = count('workstreams', values.workstreams, 56, 1);
const concurrency = count('concurrency', values.concurrency, 4, 1);
const trials = values.trials === undefined ? undefined : count('trials', values.trials, 1, 1);
const quiet = values.quiet === true;

console.log(`kill -9 harness: seed ${seed}, at least ${kills} kills, ${workstreams} workstreams, concurrency ${concurrency}`);
// Run lines of the trial under way: printed as they come, or (--quiet) only if it fails.
let runLines: string[] = [];
try {
  const report = await runHarness({
    seed,
    kills,
    workstreams,
    concurrency,
    keep: values.keep === true,
    ...(trials === undefined ? {} : { trials }),
    onLine: (line) => {
      if (quiet) runLines.push(line);
      else console.log(line);
    },
    onTrial: (trial) => {
      runLines = [];
      console.log(
        `trial seed ${trial.seed}: ${trial.kills} kills, ${trial.reExecutions} re-executions, ${(trial.durationMs / 1000).toFixed(1)} s`,
      );
    },
  });
  printReport(report);
} catch (error) {
  if (error instanceof TrialFailure) {
    for (const line of runLines) console.log(line);
    console.error(`\nFAILED: ${error.message}`);
    console.error(
      `Replay: pnpm --filter @sdp/crash-suite test:crash -- --seed ${error.seed} --trials 1 --workstreams ${workstreams} --concurrency ${concurrency}`,
    );
    process.exit(1);
  }
  throw error;
}

function printReport(report: HarnessReport): void {
  const { totals } = report;
  console.log('');
  console.log(`Trials: ${totals.trials} (seeds ${report.firstSeed}..${report.firstSeed + totals.trials - 1}), all passed`);
  console.log(
    `Runs: ${totals.runs}; kills: ${totals.kills} (${Object.entries(totals.killsByPlan)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ')})`,
  );
  console.log(
    `Kills before any checkpoint existed: ${totals.killsBeforeAnyCheckpoint}; before the run's first save: ${totals.killsBeforeFirstSave}; inside a save (temp files left): ${totals.killsDuringSave}; leaving a journal: ${totals.killsLeavingJournal}; with executors running: ${totals.killsWithExecutorsRunning}`,
  );
  console.log(
    `Saves seen (a new checkpoint file or journal record): ${totals.savesSeen}; processes of dead runs killed before resuming (shells and executors): ${totals.orphansKilled}`,
  );
  console.log(
    `Executions: ${totals.starts} for ${report.trials.reduce((sum, trial) => sum + trial.workstreams, 0)} workstreams; re-executions: ${totals.reExecutions} (${(totals.reExecutions / Math.max(1, totals.kills)).toFixed(2)} per kill)`,
  );
  console.log(
    `Per kill, at most: ${totals.maxExecutingAtKill} workstreams executing, ${totals.maxUnsavedCompletions} completions not yet saved, ${totals.maxLostPerKill} executions lost`,
  );
  console.log(`Wall time: ${(totals.durationMs / 1000).toFixed(1)} s`);
}
