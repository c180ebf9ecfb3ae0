import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shellQuote } from '../paths.js';

/**
 * The watchdog a worker puts between the shell executor and the command (plain CommonJS, written
 * to the worker's folder). It runs the command in its own process group and SIGKILLs the whole
 * group when the keepalive file has not been touched for `silenceMs`, or is gone: so a worker that is
 * frozen (SIGSTOP, swapped out) or killed cannot leave a command running once its job's lock may
 * lapse and another worker take the job. Signals reach the whole group anyway, so it ignores them and
 * exits as the command did (status, or 128 + signal number).
 *
 * Seam for the process supervisor (helper E's): when it lands, the supervisor should take over this
 * role (a keepalive with a silence limit besides "die with the parent"), and this file goes.
 */
const watchdogScript = `'use strict';
const { spawn } = require('node:child_process');
const { statSync } = require('node:fs');
const { constants } = require('node:os');
const [keepalive, silenceText, command] = process.argv.slice(2);
const silenceMs = Number(silenceText);
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => undefined);
const child = spawn('/bin/sh', ['-c', command], { stdio: 'inherit' });
const check = setInterval(() => {
  let age;
  try {
    age = Date.now() - statSync(keepalive).mtimeMs;
  } catch {
    age = Number.POSITIVE_INFINITY;
  }
  if (age > silenceMs) {
    process.stderr.write('sdp-dispatch worker: the worker stopped renewing this job for ' + silenceMs + ' ms; command killed\\n');
    process.kill(0, 'SIGKILL');
  }
}, Math.max(20, Math.round(silenceMs / 10)));
child.on('exit', (code, signal) => {
  clearInterval(check);
  process.exit(signal === null ? (code ?? 1) : 128 + (constants.signals[signal] ?? 0));
});
`;

/** Writes the watchdog script into `dir`; returns its path. */
export async function writeWatchdog(dir: string): Promise<string> {
  const file = join(dir, 'keepalive-watchdog.cjs');
  await writeFile(file, watchdogScript);
  return file;
}

/** The shell command that runs `command` under the watchdog (`exec`: the watchdog leads the process group). */
export function watchdogCommand(watchdog: string, keepalive: string, silenceMs: number, command: string): string {
  return ['exec', process.execPath, watchdog, keepalive, String(silenceMs), command].map(shellQuote).join(' ');
}
