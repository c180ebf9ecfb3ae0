/**
 * How long the commands of a SIGKILLed `sdp-dispatch run` live on: `pnpm --filter @sdp/crash-suite cleanup-time`.
 * Per trial: a run of 3 workstreams at concurrency 3, `--grace 1s`, is SIGKILLed once all 3 commands
 * run; the time is from the kill to the moment no process of the run is left (scanned in /proc every
 * few ms). Two kinds of command: one that exits on SIGTERM (`sleep`), one that traps it and goes on
 * working (killed by its supervisor's SIGKILL after the grace period).
 *
 *   --trials <n>   trials per kind (default 10)
 *
 * Needs the built CLI: pnpm --filter @sdp/cli... build
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { stubbornExecutorPath } from '../src/live-copies.js';
import { cliPath } from '../src/paths.js';
import { pidsWithEnv } from '../src/process-reaper.js';

const args = process.argv.slice(2);
if (args[0] === '--') args.shift();
const trials = Number(parseArgs({ args, options: { trials: { type: 'string' } } }).values.trials ?? 10);
const GRACE_MS = 1000;

/** A pid is gone once it is no more or a zombie (this container's init does not reap orphans). */
function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'latin1');
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true;
  }
}

/** Ms from the kill until the last command was gone, and until the last process of the run (supervisors too). */
async function trial(kind: 'exits' | 'traps', index: number): Promise<{ commands: number; all: number }> {
  const root = await mkdtemp(join(tmpdir(), 'sdp-cleanup-'));
  try {
    await mkdir(join(root, 'feature'));
    for (const n of [1, 2, 3]) {
      await writeFile(
        join(root, 'feature', `00-089-0${String(n)}.md`),
        `---\nws_id: 00-089-0${String(n)}\nfeature_id: F089\ndepends_on: []\n---\n`,
      );
    }
    const runLog = join(root, 'run.log');
    const tag = `cleanup-${kind}-${String(index)}-${String(process.pid)}`;
    // Both record their start once they run (the stubborn one once it traps SIGTERM).
    const exec = kind === 'traps' ? `node ${stubbornExecutorPath}; exit $?` : `echo "start $SDP_WS_ID $$" >> ${runLog}; exec sleep 60`;
    const cli = spawn(process.execPath, [cliPath, 'run', 'feature', '--exec', exec, '-c', '3', '--grace', `${String(GRACE_MS)}ms`], {
      cwd: root,
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, RUN_TAG: tag, RUN_LOG: runLog },
    });
    const starts = () =>
      existsSync(runLog)
        ? readFileSync(runLog, 'utf8')
            .split('\n')
            .filter((line) => line.startsWith('start ')).length
        : 0;
    while (starts() < 3) await sleep(5);
    process.kill(cli.pid ?? 0, 'SIGKILL');
    const killedAt = performance.now();
    const commands = readFileSync(runLog, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('start '))
      .map((line) => Number(line.split(' ')[2]));
    while (!commands.every(isGone)) await sleep(1);
    const commandsGone = performance.now() - killedAt;
    while ((await pidsWithEnv('RUN_TAG', tag)).length > 0) await sleep(2);
    return { commands: commandsGone, all: performance.now() - killedAt };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `median ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(0)} ms, worst ${(sorted.at(-1) ?? 0).toFixed(0)} ms`;
};
for (const kind of ['exits', 'traps'] as const) {
  const results: { commands: number; all: number }[] = [];
  for (let index = 0; index < trials; index += 1) results.push(await trial(kind, index));
  console.log(
    `${kind === 'exits' ? 'command exits on SIGTERM' : 'command traps SIGTERM   '} (${String(trials)} trials, grace ${String(GRACE_MS)} ms): ` +
      `kill -9 to last command gone ${summary(results.map((result) => result.commands))}; ` +
      `to last process of the run gone (supervisors too) ${summary(results.map((result) => result.all))}`,
  );
}
