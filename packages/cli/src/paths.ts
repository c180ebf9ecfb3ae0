import { dirname, join, resolve } from 'node:path';

/** Logs live beside the checkpoints: `.sdp/checkpoints` -> `.sdp/logs/<feature>/`. */
export function logDirOf(checkpointDir: string, featureId: string): string {
  return join(dirname(resolve(checkpointDir)), 'logs', featureId);
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command that resumes this run: the same arguments without --fresh, named the way it was
 * invoked (through `pnpm sdp-dispatch` when run as the workspace script).
 */
export function resumeCommandOf(argv: readonly string[]): string {
  const program = process.env['npm_lifecycle_event'] === 'sdp-dispatch' ? 'pnpm sdp-dispatch' : 'sdp-dispatch';
  return [program, ...argv.filter((arg) => arg !== '--fresh').map(shellQuote)].join(' ');
}
