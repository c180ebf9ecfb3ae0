import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { CheckpointStore } from '@sdp/checkpoint';
import { generateFeature, writeFeature, type GeneratedFeature } from './feature-generator.js';
import { InvariantViolation, TrialChecker, type CheckpointView, type RunFigures } from './invariants.js';
import { describeKillPlan, drawKillPlan, killPlanKinds, type KillPlan, type KillPlanKind } from './kill-plan.js';
import { loadAsNextWriter } from './next-writer-load.js';
import { killAllWithEnv } from './process-reaper.js';
import { cliPath as defaultCliPath, executorPath } from './paths.js';
import { readRunLog } from './run-log.js';
import { signalProcessGroup } from '@sdp/internal';
import { SeededRandom, hashSeed } from '@sdp/internal/testing';

const TOKEN_VARIABLE = 'SDP_CRASH_TOKEN';
/** A run that takes longer than this has hung: a failure, not a slow machine. */
const RUN_TIMEOUT_MS = 180_000;

export interface TrialOptions {
  /** Decides the feature, the number of kills and every kill plan. */
  seed: number;
  /** Workstreams in the feature. Default 56. */
  workstreams?: number;
  /** `--concurrency` of the CLI. Default 4. */
  concurrency?: number;
  /** Kills in this trial. Default: drawn from the seed, 3 to 10. */
  kills?: number;
  cliPath?: string;
  /** Keep the trial's folder even when it passes. Default false (a failing trial's folder is always kept). */
  keep?: boolean;
  /** Progress lines (one per run). */
  onLine?: (line: string) => void;
}

/** What a trial saw; `kills` counts runs that really died by SIGKILL (a planned kill after the run had ended does not count). */
export interface TrialReport {
  seed: number;
  workstreams: number;
  concurrency: number;
  runs: number;
  kills: number;
  killsByPlan: Record<KillPlanKind, number>;
  /** Kills before the run's first save landed (no checkpoint change seen). */
  killsBeforeFirstSave: number;
  /** Kills that left no checkpoint at all (before the trial's first save landed). */
  killsBeforeAnyCheckpoint: number;
  /** Kills that left a save's temp files behind: the kill landed inside a (whole) save. */
  killsDuringSave: number;
  /** Kills that left the checkpoint as a JSON file and a journal (the updates since the run's first save). */
  killsLeavingJournal: number;
  /** Kills with executors running. */
  killsWithExecutorsRunning: number;
  /** Checkpoint saves seen landing (a new checkpoint file or a journal record), over all runs. */
  savesSeen: number;
  /** Executor processes the harness had to kill after the dispatcher died. */
  orphansKilled: number;
  starts: number;
  reExecutions: number;
  /** Largest `executingAtKill`, `unsavedCompletions` and `lost` of one kill (see `RunFigures`). */
  maxExecutingAtKill: number;
  maxUnsavedCompletions: number;
  maxLostPerKill: number;
  durationMs: number;
}

export interface HarnessOptions extends Omit<TrialOptions, 'seed' | 'kills'> {
  /** Seed of the first trial; trial `i` uses `seed + i`. */
  seed: number;
  /** Run trials until at least this many kills happened. */
  kills: number;
  /** Stop after this many trials even if fewer kills happened. Default unlimited. */
  trials?: number;
  /** Called after each trial that passed. */
  onTrial?: (report: TrialReport) => void;
}

export interface HarnessReport {
  firstSeed: number;
  trials: TrialReport[];
  totals: Omit<TrialReport, 'seed' | 'workstreams' | 'concurrency' | 'maxExecutingAtKill' | 'maxUnsavedCompletions' | 'maxLostPerKill'> & {
    trials: number;
    maxExecutingAtKill: number;
    maxUnsavedCompletions: number;
    maxLostPerKill: number;
  };
}

/** A trial broke an invariant (or the stack failed outright); `seed` replays it, `dir` keeps its files. */
export class TrialFailure extends Error {
  override readonly name = 'TrialFailure';
  readonly code = 'TRIAL_FAILURE' as const;
  constructor(
    readonly seed: number,
    readonly dir: string,
    cause: unknown,
  ) {
    super(`trial with seed ${seed} failed: ${cause instanceof Error ? cause.message : String(cause)} (files kept in ${dir})`, { cause });
  }
}

/** Runs trials with seeds `seed`, `seed + 1`, ... until `kills` kills happened. Throws the first {@link TrialFailure}. */
export async function runHarness(options: HarnessOptions): Promise<HarnessReport> {
  const { seed, kills, trials: maxTrials = Number.POSITIVE_INFINITY, onTrial, ...trialOptions } = options;
  const trials: TrialReport[] = [];
  let killed = 0;
  for (let index = 0; killed < kills && index < maxTrials; index += 1) {
    const report = await runTrial({ ...trialOptions, seed: (seed + index) >>> 0 });
    trials.push(report);
    onTrial?.(report);
    killed += report.kills;
  }
  return { firstSeed: seed, trials, totals: sumReports(trials) };
}

function sumReports(trials: readonly TrialReport[]): HarnessReport['totals'] {
  const sum = (pick: (report: TrialReport) => number) => trials.reduce((total, report) => total + pick(report), 0);
  const max = (pick: (report: TrialReport) => number) => trials.reduce((most, report) => Math.max(most, pick(report)), 0);
  const killsByPlan = Object.fromEntries(killPlanKinds.map((kind) => [kind, sum((report) => report.killsByPlan[kind])])) as Record<
    KillPlanKind,
    number
  >;
  return {
    trials: trials.length,
    runs: sum((report) => report.runs),
    kills: sum((report) => report.kills),
    killsByPlan,
    killsBeforeFirstSave: sum((report) => report.killsBeforeFirstSave),
    killsBeforeAnyCheckpoint: sum((report) => report.killsBeforeAnyCheckpoint),
    killsDuringSave: sum((report) => report.killsDuringSave),
    killsLeavingJournal: sum((report) => report.killsLeavingJournal),
    killsWithExecutorsRunning: sum((report) => report.killsWithExecutorsRunning),
    savesSeen: sum((report) => report.savesSeen),
    orphansKilled: sum((report) => report.orphansKilled),
    starts: sum((report) => report.starts),
    reExecutions: sum((report) => report.reExecutions),
    maxExecutingAtKill: max((report) => report.maxExecutingAtKill),
    maxUnsavedCompletions: max((report) => report.maxUnsavedCompletions),
    maxLostPerKill: max((report) => report.maxLostPerKill),
    durationMs: sum((report) => report.durationMs),
  };
}

/**
 * One trial: a seeded feature run through `sdp-dispatch run`, SIGKILLed at seeded instants and resumed
 * until a run exits 0, with the invariants checked after every run (see `invariants.ts`).
 */
export async function runTrial(options: TrialOptions): Promise<TrialReport> {
  const { seed, workstreams = 56, concurrency = 4, cliPath = defaultCliPath, keep = false, onLine } = options;
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run pnpm --filter @sdp/cli... build first`);
  const random = new SeededRandom(hashSeed('trial', seed));
  const plannedKills = options.kills ?? random.int(3, 10);
  const dir = await mkdtemp(join(tmpdir(), `sdp-crash-${seed}-`));
  const token = randomBytes(12).toString('hex');
  try {
    const report = await trialIn(dir, { seed, workstreams, concurrency, cliPath, plannedKills, random, token, onLine });
    if (!keep) await rm(dir, { recursive: true, force: true });
    return report;
  } catch (error) {
    // Whatever the failure, no process of this trial outlives it.
    await killAllWithEnv(TOKEN_VARIABLE, token).catch(() => 0);
    throw new TrialFailure(seed, dir, error);
  }
}

interface TrialContext {
  seed: number;
  workstreams: number;
  concurrency: number;
  cliPath: string;
  plannedKills: number;
  random: SeededRandom;
  /** In the environment of every process of the trial (see `process-reaper.ts`). */
  token: string;
  onLine: ((line: string) => void) | undefined;
}

async function trialIn(dir: string, context: TrialContext): Promise<TrialReport> {
  const { seed, workstreams, concurrency, cliPath, plannedKills, random, token, onLine } = context;
  const startedAt = performance.now();
  const feature = generateFeature({ seed, size: workstreams });
  const featureDir = join(dir, 'feature');
  await writeFeature(featureDir, feature, seed);
  const durationsFile = join(dir, 'durations.json');
  await writeFile(durationsFile, JSON.stringify(Object.fromEntries(feature.durationsMs)));
  const cwd = join(dir, 'cwd');
  await mkdir(cwd);
  const logFile = join(dir, 'run.log');
  const checkpointDir = join(cwd, '.sdp', 'checkpoints');
  const checkpointFile = join(checkpointDir, `${feature.featureId}-checkpoint.json`);
  const checker = new TrialChecker(feature.dependsOn, concurrency);
  const runMs = estimateRunMs(feature, concurrency);
  const report: TrialReport = {
    seed,
    workstreams,
    concurrency,
    runs: 0,
    kills: 0,
    killsByPlan: Object.fromEntries(killPlanKinds.map((kind) => [kind, 0])) as Record<KillPlanKind, number>,
    killsBeforeFirstSave: 0,
    killsBeforeAnyCheckpoint: 0,
    killsDuringSave: 0,
    killsLeavingJournal: 0,
    killsWithExecutorsRunning: 0,
    savesSeen: 0,
    orphansKilled: 0,
    starts: 0,
    reExecutions: 0,
    maxExecutingAtKill: 0,
    maxUnsavedCompletions: 0,
    maxLostPerKill: 0,
    durationMs: 0,
  };

  for (;;) {
    const plan = report.kills < plannedKills ? drawKillPlan(random, runMs) : undefined;
    const child = spawn(
      process.execPath,
      [cliPath, 'run', featureDir, '--exec', `node ${executorPath}`, '--concurrency', String(concurrency)],
      {
        cwd,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CRASH_LOG: logFile, CRASH_DURATIONS: durationsFile, [TOKEN_VARIABLE]: token },
      },
    );
    const ended = await supervise(child, plan, { checkpointDir, checkpointFile, logFile });
    report.runs += 1;
    const killed = ended.signal === 'SIGKILL';
    // A reboot: nothing of the dead run may go on appending to the log while the next one runs.
    const orphans = await killAllWithEnv(TOKEN_VARIABLE, token);
    if (!killed) {
      if (ended.code !== 0) throw new Error(`run ${report.runs} exited ${ended.code ?? ended.signal ?? '?'}: ${ended.output.slice(-2000)}`);
      if (orphans > 0) throw new InvariantViolation(`run ${report.runs} exited 0 and left ${orphans} processes running`);
    }
    const names = existsSync(checkpointDir) ? await readdir(checkpointDir) : [];
    const corrupt = names.filter((name) => name.includes('.corrupt'));
    if (corrupt.length > 0) throw new InvariantViolation(`run ${report.runs}: damaged checkpoint moved aside: ${corrupt.join(', ')}`);
    const view = await loadCheckpoint(checkpointDir, feature.featureId, report.runs);
    const log = await readRunLog(logFile);
    const figures = checker.afterRun(
      log,
      view,
      killed ? { killed, recordsAtKill: await recordsWithin(logFile, ended.logBytesAtKill) } : { killed },
    );
    report.savesSeen += ended.saves;
    const tempLeft = names.some(isSaveTempFile);
    onLine?.(describeRun(report.runs, plan, killed, figures, ended.saves, tempLeft));
    if (killed) {
      if (plan === undefined) throw new Error(`run ${report.runs} was killed by someone else`);
      report.kills += 1;
      report.killsByPlan[plan.kind] += 1;
      report.orphansKilled += orphans;
      if (ended.saves === 0) report.killsBeforeFirstSave += 1;
      if (view === null) report.killsBeforeAnyCheckpoint += 1;
      if (tempLeft) report.killsDuringSave += 1;
      if (names.includes(`${feature.featureId}-checkpoint.json.journal`)) report.killsLeavingJournal += 1;
      if (figures.executingAtKill > 0) report.killsWithExecutorsRunning += 1;
      report.maxExecutingAtKill = Math.max(report.maxExecutingAtKill, figures.executingAtKill);
      report.maxUnsavedCompletions = Math.max(report.maxUnsavedCompletions, figures.unsavedCompletions);
      report.maxLostPerKill = Math.max(report.maxLostPerKill, figures.lost);
      continue;
    }
    // Success: nothing may be left in the checkpoint folder (no checkpoint, backup, lock or temp file).
    if (names.length > 0) throw new InvariantViolation(`the final run exited 0 but left ${names.join(', ')} in ${checkpointDir}`);
    const { starts, reExecutions } = checker.finish();
    report.starts = starts;
    report.reExecutions = reExecutions;
    report.durationMs = Math.round(performance.now() - startedAt);
    return report;
  }
}

/** About how long an uninterrupted run takes: executor sleep plus ~70 ms of process start-up per workstream. */
function estimateRunMs(feature: GeneratedFeature, concurrency: number): number {
  let work = 0;
  for (const ms of feature.durationsMs.values()) work += ms + 70;
  return 400 + work / concurrency;
}

/**
 * The checkpoint as `CheckpointStore.load()` reads it, the JSON file and its journal merged: it must load, and
 * never need its backup. The next writer (the resume) must find no damage either, the journal's included, and
 * load the same checkpoint as a reader.
 */
async function loadCheckpoint(dir: string, featureId: string, run: number): Promise<CheckpointView | null> {
  const store = new CheckpointStore({ featureId, dir });
  let recovered: string | undefined;
  const dispose = store.onRecover(({ reason }) => {
    recovered = reason;
  });
  try {
    const checkpoint = await store.load();
    if (recovered !== undefined)
      throw new InvariantViolation(`run ${run}: the checkpoint was damaged (${recovered}); load fell back to the backup`);
    const writer = await loadAsNextWriter(dir, featureId);
    const damage = writer.recovered.map(({ from, reason }) => `${from === 'journal' ? 'the journal' : 'the checkpoint'}: ${reason}`);
    if (damage.length > 0) throw new InvariantViolation(`run ${run}: the next writer found damage (${damage.join('; ')})`);
    if (!isDeepStrictEqual(writer.checkpoint, checkpoint))
      throw new InvariantViolation(`run ${run}: a reader and the next writer load different checkpoints`);
    return checkpoint === null ? null : { completed: checkpoint.completed, running: checkpoint.running ?? [] };
  } catch (error) {
    if (error instanceof InvariantViolation) throw error;
    throw new InvariantViolation(
      `run ${run}: the checkpoint does not load: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
  } finally {
    dispose();
  }
}

function describeRun(
  run: number,
  plan: KillPlan | undefined,
  killed: boolean,
  figures: RunFigures,
  saves: number,
  tempLeft: boolean,
): string {
  const what =
    killed && plan !== undefined
      ? `killed (${describeKillPlan(plan)})`
      : plan === undefined
        ? 'completed'
        : `completed before the kill (${describeKillPlan(plan)})`;
  const parts = [
    `${figures.starts} starts`,
    `${figures.reExecutions} re-executions`,
    `${saves} saves seen`,
    ...(killed ? [`${figures.executingAtKill} executing`, `${figures.unsavedCompletions} unsaved completions`] : []),
    ...(tempLeft ? ['temp files left'] : []),
  ];
  return `  run ${run}: ${what}; ${parts.join(', ')}`;
}

interface RunEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Checkpoint changes seen while it ran. */
  saves: number;
  /** Size of the run log right after the kill was sent (0 when not killed). */
  logBytesAtKill: number;
  /** Its stdout and stderr (the tail). */
  output: string;
}

interface Watched {
  checkpointDir: string;
  checkpointFile: string;
  logFile: string;
}

/** Watches one run (about every millisecond) and SIGKILLs its process group when the plan says. */
async function supervise(child: ChildProcess, plan: KillPlan | undefined, watched: Watched): Promise<RunEnd> {
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  // An object, not a `let`: the callback sets it while the loop below polls it.
  const state = { exited: false };
  void exit.then(() => {
    state.exited = true;
  });

  const spawnedAt = performance.now();
  // A save is a new checkpoint file, or a record appended to its journal; a file going away (a whole save
  // removing the journal, the final delete) is none.
  const journalFile = `${watched.checkpointFile}.journal`;
  let identities = [fileIdentity(watched.checkpointFile), fileIdentity(journalFile)];
  let saves = 0;
  // Temp files a killed run left are no save of this one (its acquire removes them).
  let tempPresent = hasTempFile(watched.checkpointDir);
  let tempAppearances = 0;
  const logStart = sizeOf(watched.logFile);
  let logBytesAtKill = 0;
  // Delay plans know their instant now; the others wait for their trigger below.
  let fireAt = plan?.kind === 'startup' || plan?.kind === 'uniform' || plan?.kind === 'exponential' ? spawnedAt + plan.delayMs : undefined;
  while (!state.exited) {
    if (performance.now() - spawnedAt > RUN_TIMEOUT_MS) {
      killGroup(child);
      throw new Error(`a run did not finish within ${RUN_TIMEOUT_MS} ms`);
    }
    const now = performance.now();
    const current = [fileIdentity(watched.checkpointFile), fileIdentity(journalFile)];
    if (current.some((identity, index) => identity !== undefined && identity !== identities[index])) saves += 1;
    identities = current;
    const temp = hasTempFile(watched.checkpointDir);
    if (temp && !tempPresent) tempAppearances += 1;
    tempPresent = temp;
    if (plan !== undefined && fireAt === undefined) {
      if (plan.kind === 'after-save' && saves >= plan.saves) fireAt = now + plan.delayMs;
      if (plan.kind === 'during-save' && tempAppearances > 0) fireAt = now;
      if (plan.kind === 'while-running' && countStarts(watched.logFile, logStart) >= plan.starts) fireAt = now + plan.delayMs;
    }
    if (fireAt !== undefined && now >= fireAt) {
      killGroup(child);
      logBytesAtKill = sizeOf(watched.logFile);
      break;
    }
    await sleep(fireAt !== undefined && fireAt - now < 1 ? 0 : 1);
  }
  const { code, signal } = await exit;
  return { code, signal, saves, logBytesAtKill, output };
}

function killGroup(child: ChildProcess): void {
  if (child.pid !== undefined) signalProcessGroup(child.pid, 'SIGKILL');
}

function fileIdentity(path: string): string | undefined {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    return undefined;
  }
  return `${stats.ino}:${stats.mtimeMs}:${stats.size}`;
}

/** A file that exists only while a save runs: the staging file, write-file-atomic's temp, a link being renamed. */
function isSaveTempFile(name: string): boolean {
  return /-checkpoint\.json(?:\.new(?:\.\d+)?|\.\d+|(?:\.bak)?\.link-[0-9a-f]{32})$/.test(name);
}

function hasTempFile(dir: string): boolean {
  try {
    return readdirSync(dir).some(isSaveTempFile);
  } catch {
    return false;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Records (lines) in the first `bytes` bytes of the log. */
async function recordsWithin(path: string, bytes: number): Promise<number> {
  const text = (await readFile(path).catch(() => Buffer.alloc(0))).subarray(0, bytes).toString('utf8');
  return text.split('\n').length - 1;
}

/** Start records appended to the log since byte `from`. */
function countStarts(path: string, from: number): number {
  let text: string;
  try {
    text = readFileTail(path, from);
  } catch {
    return 0;
  }
  return text.split('\n').filter((line) => line.startsWith('start ')).length;
}

function readFileTail(path: string, from: number): string {
  const size = sizeOf(path);
  if (size <= from) return '';
  const buffer = Buffer.alloc(size - from);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, from);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}
