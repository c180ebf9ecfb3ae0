import { hasErrorCode } from '@sdp/internal';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error.js';
import { stateRootOf, statePathsOf } from './state-dir.js';
import { reportFormats, type ReportArgs, type ReportFormat } from './report/report-command.js';
import { distributedHelp, parseRemoteArgs, parseWorkerArgs, type RemoteArgs, type WorkerArgs } from './distributed/distributed-args.js';

/** Bad command-line usage: exit code 2 with the message and a pointer to --help. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  declare readonly code: 'CLI_USAGE';

  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}

const CLI_USAGE: ReadonlySet<string> = new Set(['CLI_USAGE']);

/** True for a {@link UsageError}, also one from another copy of this package. */
export function isUsageError(value: unknown): value is UsageError {
  return hasErrorCode(value, 'UsageError', CLI_USAGE);
}

export const helpText = `sdp-dispatch — run a folder of workstream files in parallel, resumably

Usage:
  sdp-dispatch run <dir> --exec '<command>' [options]   run every workstream not done yet
  sdp-dispatch plan <dir> [options]                     validate and print the waves and critical path
  sdp-dispatch status <dir> [options]                   show the feature's checkpoint (--json: as one JSON document)
  sdp-dispatch clean <dir> [options]                    remove the feature's checkpoint and logs
  sdp-dispatch report [dir] [options]                   show a finished or stopped run (records in .sdp/runs)
  sdp-dispatch --help | --version

Options:
  -f, --feature <id>            feature to use when the folder holds several (F052, 052 and 52 match)
      --exclude <glob>          leave out matching files or folders (repeatable), e.g. --exclude TEMPLATE.md --exclude 'archive/**'
      --checkpoint-dir <dir>    where checkpoints live (default <root>/.sdp/checkpoints; logs stay in <root>/.sdp/logs)
      --json                    run: one JSON object per event and a final report; plan, status: one JSON document
  -v, --verbose                 list files that are not workstreams and other features' problems; stack traces on errors
Run options:
  -e, --exec <command>          shell command run once per workstream; exit code 0 is success
  -c, --concurrency <n>         most workstreams at once (default 3)
      --fresh                   ignore and delete an existing checkpoint instead of resuming
      --retries <n>             extra attempts per failed workstream (default 0)
      --retry-delay <duration>  wait before each retry (default 1s, doubling up to 30s)
      --timeout <duration>      per-attempt limit, e.g. 90s, 20m, 1h (default none)
      --grace <duration>        after Ctrl-C, how long commands get to stop (default 10s)
      --breaker-threshold <n>   failures among the last --breaker-window runs that open the breaker (default 3)
      --breaker-window <n>      runs the breaker looks back over (default 5)
      --breaker-timeout <dur>   first open period of the breaker, doubling up to 5m (default 60s)
      --on-breaker-open <p>     wait (default): wait and send one trial; stop: end the run
      --lock-stale <duration>   a checkpoint lock whose heartbeat is older than this is taken over (default 30s)
      --report <file.html>      write the run's html timeline there when it stops, however it stops
Report options:
      --run <latest|id>         which run (default latest; ids are the names in .sdp/runs/<feature>/)
      --format <f>              text (default), json (the record), html (a self-contained timeline),
                                trace (Chrome Trace Event format, for Perfetto or chrome://tracing)
  -o, --output <file>           write the report there instead of stdout

The command gets SDP_WS_ID, SDP_FEATURE_ID, SDP_WS_FILE and SDP_ATTEMPT in its environment; its
output goes to <root>/.sdp/logs/<feature>/<ws>.log. <root> is the nearest folder above <dir> (or <dir>
itself) that has .sdp/ or .git/, else the current directory: every directory sees the same state.

Exit codes: 0 all completed; 1 some failed or were skipped; 2 invalid input (bad files, cycle,
missing dependency, damaged checkpoint, lock held); 3 another run took the lock over; 130 interrupted.
`;
// Distributed runs (kept apart so that the text above merges cleanly).
export const fullHelpText = `${helpText}\n${distributedHelp}`;

export const options = {
  feature: { type: 'string', short: 'f' },
  exclude: { type: 'string', multiple: true },
  'checkpoint-dir': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  exec: { type: 'string', short: 'e' },
  concurrency: { type: 'string', short: 'c' },
  fresh: { type: 'boolean' },
  retries: { type: 'string' },
  'retry-delay': { type: 'string' },
  timeout: { type: 'string' },
  grace: { type: 'string' },
  'breaker-threshold': { type: 'string' },
  'breaker-window': { type: 'string' },
  'breaker-timeout': { type: 'string' },
  'on-breaker-open': { type: 'string' },
  json: { type: 'boolean' },
  'lock-stale': { type: 'string' },
  report: { type: 'string' },
  run: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  // Distributed runs: see distributed/distributed-args.ts.
  redis: { type: 'string' },
  queue: { type: 'string' },
  lock: { type: 'string' },
} satisfies ParseArgsConfig['options'];

export type Command = 'run' | 'plan' | 'status' | 'clean';
const commands: readonly Command[] = ['run', 'plan', 'status', 'clean'];
const runOnly = [
  'exec',
  'concurrency',
  'fresh',
  'retries',
  'retry-delay',
  'timeout',
  'grace',
  'breaker-threshold',
  'breaker-window',
  'breaker-timeout',
  'on-breaker-open',
  'lock-stale',
] as const;

export interface CommonArgs {
  /** The workstream folder as given. */
  dir: string;
  feature?: string;
  /** Absolute: `--checkpoint-dir` resolved against the working directory, else `<stateRoot>/.sdp/checkpoints`. */
  checkpointDir: string;
  /** Absolute: where `.sdp/` lives for this folder ({@link stateRootOf}), whatever the working directory. */
  stateRoot: string;
  /** `--exclude` globs, in order. */
  exclude: string[];
  verbose: boolean;
  /** `--json`: `run` prints events and a report, `plan` and `status` one JSON document. */
  json: boolean;
}

export interface RunArgs extends CommonArgs {
  exec: string;
  concurrency: number;
  fresh: boolean;
  retries: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  graceMs: number;
  breaker: { threshold: number; window: number; halfOpenAfterMs: number };
  onBreakerOpen: 'wait' | 'stop';
  /** `--lock-stale`: the checkpoint store's `staleMs`. */
  lockStaleMs?: number;
  /** `--report <file.html>` */
  reportPath?: string;
  /** `--redis`: coordinate workers instead of running `exec` here (then `exec` is ''). */
  redis?: RemoteArgs;
}

export type ParsedArgs =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; args: RunArgs }
  | { kind: 'plan' | 'status' | 'clean'; args: CommonArgs }
  | { kind: 'report'; args: ReportArgs }
  | { kind: 'worker'; args: WorkerArgs };

/** `cwd` is where relative paths are resolved from (default `process.cwd()`). */
export function parseCommandLine(argv: readonly string[], cwd = process.cwd()): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const [command, dir, ...extra] = positionals;
  if (command === undefined) throw new UsageError('missing command: run, plan, status or clean');
  if (command !== 'report') assertNoReportFlags(command, values);
  if (command === 'report') return { kind: 'report', args: parseReportArgs(values, positionals.slice(1)) };
  if (command === 'worker') return { kind: 'worker', args: parseWorkerArgs(values, positionals.slice(1)) };
  if (!commands.includes(command as Command)) throw new UsageError(`unknown command "${command}": use run, plan, status or clean`);
  if (dir === undefined) throw new UsageError(`missing <dir>: sdp-dispatch ${command} <dir>`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0] ?? ''}"`);

  const exclude = values.exclude ?? [];
  const emptyGlob = exclude.find((glob) => glob.trim() === '');
  if (emptyGlob !== undefined) throw new UsageError('--exclude needs a glob, e.g. --exclude TEMPLATE.md');
  const stateRoot = stateRootOf(dir, cwd);
  const checkpointOption = values['checkpoint-dir'];
  const common: CommonArgs = {
    dir,
    // The checkpoint folder does not depend on the feature: `statePathsOf` says where it is.
    checkpointDir: statePathsOf(stateRoot, '', checkpointOption === undefined ? undefined : resolve(cwd, checkpointOption)).checkpointDir,
    stateRoot,
    exclude,
    verbose: values.verbose === true,
    json: values.json === true,
    ...(values.feature === undefined ? {} : { feature: values.feature }),
  };
  if (command !== 'run') {
    const misplaced = [...runOnly, 'redis', 'queue', 'lock'].find((name) => values[name as keyof typeof values] !== undefined);
    if (misplaced !== undefined) throw new UsageError(`--${misplaced} applies to "run" only`);
    if (command === 'clean' && common.json) throw new UsageError('--json applies to run, plan and status only');
    return { kind: command as 'plan' | 'status' | 'clean', args: common };
  }
  const redis = parseRemoteArgs(values);
  if (redis === undefined && (values.exec === undefined || values.exec.trim() === '')) {
    throw new UsageError(`"run" needs --exec '<command>', e.g. sdp-dispatch run ${dir} --exec 'make -C "$SDP_WS_ID"'`);
  }
  const onBreakerOpen = values['on-breaker-open'] ?? 'wait';
  if (onBreakerOpen !== 'wait' && onBreakerOpen !== 'stop') {
    throw new UsageError(`--on-breaker-open must be wait or stop, got "${onBreakerOpen}"`);
  }
  const breakerThreshold = parseCount('--breaker-threshold', values['breaker-threshold'], 3, 1);
  const breakerWindow = parseCount('--breaker-window', values['breaker-window'], 5, 1);
  if (breakerThreshold > breakerWindow) {
    throw new UsageError(`--breaker-threshold (${breakerThreshold}) cannot exceed --breaker-window (${breakerWindow})`);
  }
  const timeoutMs = values.timeout === undefined ? undefined : parseDuration('--timeout', values.timeout);
  const retryDelayMs = values['retry-delay'] === undefined ? undefined : parseDuration('--retry-delay', values['retry-delay'], 0);
  return {
    kind: 'run',
    args: {
      ...common,
      exec: values.exec ?? '',
      ...(redis === undefined ? {} : { redis }),
      concurrency: parseCount('--concurrency', values.concurrency, 3, 1),
      fresh: values.fresh === true,
      retries: parseCount('--retries', values.retries, 0, 0),
      ...(retryDelayMs === undefined ? {} : { retryDelayMs }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      graceMs: values.grace === undefined ? 10_000 : parseDuration('--grace', values.grace, 0),
      breaker: {
        threshold: breakerThreshold,
        window: breakerWindow,
        halfOpenAfterMs: values['breaker-timeout'] === undefined ? 60_000 : parseDuration('--breaker-timeout', values['breaker-timeout']),
      },
      onBreakerOpen,
      ...(values['lock-stale'] === undefined ? {} : { lockStaleMs: parseDuration('--lock-stale', values['lock-stale'], 3) }),
      json: values.json === true,
      ...(values.report === undefined ? {} : { reportPath: values.report }),
    },
  };
}

function assertNoReportFlags(command: string, values: Partial<Record<'run' | 'format' | 'output' | 'report', string>>): void {
  const misplaced = (['run', 'format', 'output'] as const).find((name) => values[name] !== undefined);
  if (misplaced !== undefined) throw new UsageError(`--${misplaced} applies to "report" only`);
  if (command !== 'run' && values.report !== undefined) throw new UsageError('--report applies to "run" only');
}

function parseReportArgs(values: ReturnType<typeof parseArgs<{ options: typeof options }>>['values'], rest: readonly string[]): ReportArgs {
  if (rest.length > 1) throw new UsageError(`unexpected argument "${rest[1] ?? ''}"`);
  const misplaced = [...runOnly, 'report' as const].find((name) => values[name] !== undefined);
  if (misplaced !== undefined) throw new UsageError(`--${misplaced} applies to "run" only`);
  const format = values.format ?? 'text';
  if (!reportFormats.includes(format as ReportFormat))
    throw new UsageError(`--format must be ${reportFormats.join(', ')}, got "${format}"`);
  const [dir] = rest;
  return {
    run: values.run ?? 'latest',
    format: format as ReportFormat,
    verbose: values.verbose === true,
    ...(dir === undefined ? {} : { dir }),
    ...(values.feature === undefined ? {} : { feature: values.feature }),
    ...(values.output === undefined ? {} : { output: values.output }),
  };
}

function parseCount(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(`${flag} must be a whole number >= ${min}, got "${text}"`);
  }
  return Number(text);
}

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `1500`, `1500ms`, `90s`, `20m`, `1.5h` -> milliseconds. */
export function parseDuration(flag: string, text: string, min = 1): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const amount = match?.[1];
  if (amount === undefined) throw new UsageError(`${flag} must be a duration like 1500ms, 90s, 20m or 1h, got "${text}"`);
  const ms = Number(amount) * (units[match?.[2] ?? 'ms'] ?? 1);
  if (ms < min) throw new UsageError(`${flag} must be at least ${min}ms, got "${text}"`);
  return ms;
}
