import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { options } from './args.js';

/**
 * Logs live beside the checkpoints: `.sdp/checkpoints` -> `.sdp/logs/<feature>/`.
 * Right for the default checkpoint folder only: prefer a loaded feature's `paths.logDir`
 * (`statePathsOf`), where logs stay in `<root>/.sdp/logs` whatever `--checkpoint-dir` says.
 */
export function logDirOf(checkpointDir: string, featureId: string): string {
  return join(dirname(resolve(checkpointDir)), 'logs', featureId);
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * How to invoke the command so that it works from any directory: `sdp-dispatch`, or, when run as
 * the workspace script (`pnpm sdp-dispatch`), `pnpm --dir <workspace> sdp-dispatch`.
 */
export function programOf(cwd = process.cwd()): string {
  if (process.env['npm_lifecycle_event'] !== 'sdp-dispatch') return 'sdp-dispatch';
  const manifest = process.env['npm_package_json'];
  const workspace = manifest === undefined || manifest === '' ? cwd : dirname(manifest);
  return `pnpm --dir ${shellQuote(workspace)} sdp-dispatch`;
}

/**
 * The command line `argv` stands for, made to work from any directory: the workstream folder and
 * `--checkpoint-dir` become absolute paths (resolved against `cwd`, where the command was typed);
 * everything else is kept as given, `--fresh` dropped. This is the "Resume with:" line of `run`.
 */
export function resumeCommandOf(argv: readonly string[], cwd = process.cwd()): string {
  return [
    programOf(cwd),
    ...anywhereArguments(argv, cwd)
      .filter((arg) => arg !== '--fresh')
      .map(shellQuote),
  ].join(' ');
}

/** {@link resumeCommandOf} for another command than the one typed: `plan` saying how to `run`, say. */
export function commandOf(
  command: string,
  args: { dir: string; feature?: string; checkpointDir?: string; exclude?: readonly string[] },
  extra: readonly string[] = [],
  cwd = process.cwd(),
): string {
  const words = [command, resolve(cwd, args.dir)];
  if (args.feature !== undefined) words.push('--feature', args.feature);
  for (const glob of args.exclude ?? []) words.push('--exclude', glob);
  if (args.checkpointDir !== undefined) words.push('--checkpoint-dir', resolve(cwd, args.checkpointDir));
  return [programOf(cwd), ...[...words, ...extra].map(shellQuote)].join(' ');
}

function anywhereArguments(argv: readonly string[], cwd: string): string[] {
  let tokens;
  try {
    ({ tokens } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true }));
  } catch {
    return [...argv];
  }
  const words: string[] = [];
  let positionals = 0;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      // The second positional is the workstream folder.
      words.push(positionals === 1 ? resolve(cwd, token.value) : token.value);
      positionals += 1;
    } else if (token.kind === 'option-terminator') {
      words.push('--');
    } else if (token.value === undefined) {
      words.push(token.rawName);
    } else {
      const value = token.name === 'checkpoint-dir' ? resolve(cwd, token.value) : token.value;
      words.push(...(token.inlineValue ? [`${token.rawName}=${value}`] : [token.rawName, value]));
    }
  }
  return words;
}
