import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The supervisor of a worker's commands: one plain CommonJS process per worker, started detached
 * (so a frozen worker does not freeze it), holding a pipe from the worker. Every job folder
 * (`<workDir>/job-*`) holds `pgid` (the command's process group, written by its shell) and
 * `keepalive` (touched by the worker each time the job's lock is renewed). It SIGKILLs a command's
 * whole group when its keepalive is older than `silenceMs` (the worker stopped renewing: frozen,
 * blocked, cut off from Redis), and every command at once when the pipe closes (the worker died),
 * then exits. `silenceMs` is half the lock: the command is gone before the lock can lapse and
 * another worker take the job. It ignores terminal signals: the worker decides what a Ctrl-C does.
 *
 * Seam for the integrator: helper E's process supervisor (commands die with their parent) should
 * take over this role — a keepalive per attempt with a silence limit, besides the parent pipe.
 */
const watchdogScript = `'use strict';
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');
const [workDir, silenceText] = process.argv.slice(2);
const silenceMs = Number(silenceText);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => undefined);
function jobs() {
  try {
    return readdirSync(workDir).filter((entry) => entry.startsWith('job-')).map((entry) => join(workDir, entry));
  } catch {
    return [];
  }
}
function kill(dir, why) {
  let pgid;
  try {
    pgid = Number(readFileSync(join(dir, 'pgid'), 'utf8'));
  } catch {
    return;
  }
  if (!(pgid > 1)) return;
  try {
    process.kill(-pgid, 'SIGKILL');
    process.stderr.write('sdp-dispatch worker: ' + why + '; killed the command of ' + dir + '\\n');
  } catch {
    // Already gone.
  }
}
setInterval(() => {
  const now = Date.now();
  for (const dir of jobs()) {
    let age;
    try {
      age = now - statSync(join(dir, 'keepalive')).mtimeMs;
    } catch {
      continue;
    }
    if (age > silenceMs) kill(dir, 'its lock was not renewed for ' + Math.round(age) + ' ms');
  }
}, Math.max(20, Math.round(silenceMs / 10)));
process.stdin.on('data', () => undefined);
process.stdin.on('close', () => {
  for (const dir of jobs()) kill(dir, 'the worker is gone');
  process.exit(0);
});
`;

/** Starts the watchdog for the job folders of `workDir`; closing its stdin (or dying) ends it. */
export async function startWatchdog(workDir: string, silenceMs: number): Promise<ChildProcess> {
  const script = join(workDir, 'keepalive-watchdog.cjs');
  await writeFile(script, watchdogScript);
  const child = spawn(process.execPath, [script, workDir, String(silenceMs)], { detached: true, stdio: ['pipe', 'ignore', 'inherit'] });
  child.unref();
  return child;
}

/** The command as the job's shell runs it: first its process group id into the job folder, for the watchdog. */
export function supervisedCommand(jobDir: string, command: string): string {
  return `echo $$ > '${join(jobDir, 'pgid').replaceAll("'", `'\\''`)}'\n${command}`;
}
