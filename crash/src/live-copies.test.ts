import { closeSync, existsSync, openSync, readFileSync, readdirSync, statSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { allGone, CommandWatch, startTagged, stubbornExec, violations, type CommandLife } from './live-copies.js';
import { Sandbox, type WorkstreamSpec } from './sandbox.js';

// Never two live copies of one workstream, whatever ends a run (issue 16). Every command here traps
// SIGTERM and goes on working (as agents do); dash stays in front of it as a wrapper. In each case the
// test proves, from the commands' own start records and the moment each pid was seen gone: the lives
// of one workstream never overlap, the concurrency is never exceeded, and no command of a run outlives
// it by more than the grace period plus a second.

const GRACE_MS = 1000;
const LATE_MS = GRACE_MS + 1000;

let sandbox: Sandbox;
let watch: CommandWatch;
beforeEach(async () => {
  sandbox = await Sandbox.create();
  watch = new CommandWatch(sandbox.runLog);
});
afterEach(async () => {
  watch.stop();
  await sandbox.cleanup();
});

/** `n` independent workstreams of feature `feature`. */
const independent = (feature: number, n: number): WorkstreamSpec[] =>
  Array.from({ length: n }, (_, index) => ({ id: `00-0${String(feature)}-${String(index + 1).padStart(2, '0')}` }));

const runArgs = (feature: string, concurrency: number, ...extra: string[]) => [
  'run',
  feature,
  '--exec',
  stubbornExec,
  '--grace',
  `${String(GRACE_MS)}ms`,
  '-c',
  String(concurrency),
  ...extra,
];

/** Waits until `count` commands of run `tag` have started. */
async function started(tag: string, count: number): Promise<CommandLife[]> {
  return vi.waitFor(
    () => {
      const lives = watch.lives.filter((life) => life.tag === tag);
      if (lives.length < count) throw new Error(`${String(lives.length)} of ${String(count)} commands of ${tag} started`);
      return lives;
    },
    { timeout: 20_000, interval: 10 },
  );
}

/** A run ended (exited, or was killed) at `endedAt`: from now on, the test watches for the last of its processes. */
interface Ended {
  readonly tag: string;
  readonly endedAt: number;
  readonly lastGone: Promise<number>;
}
const ended = (tag: string, endedAt: number): Ended => ({ tag, endedAt, lastGone: allGone(tag) });

/** The three promises of every test: no overlap, the concurrency held, nothing of a run outlived it by more than grace + 1 s. */
async function expectNoLiveCopies(concurrency: number, ends: readonly Ended[]): Promise<void> {
  for (const { tag, endedAt, lastGone } of ends) {
    const late = (await lastGone) - endedAt;
    expect(late, `the last process of ${tag} was gone ${String(late)} ms after its run ended`).toBeLessThanOrEqual(LATE_MS);
    for (const life of watch.lives.filter((other) => other.tag === tag)) {
      expect(life.goneAt, `pid ${String(life.pid)} of ${life.id}`).toBeDefined();
      expect((life.goneAt ?? 0) - endedAt).toBeLessThanOrEqual(LATE_MS);
    }
  }
  expect(violations(watch.lives, concurrency)).toEqual([]);
}

describe('commands die with their run, and a resume never starts a second copy', () => {
  it('kill -9 of the CLI: every command is gone within the grace period plus a second; an immediate resume ends any survivor first', async () => {
    const feature = await sandbox.writeFeature('feature', independent(81, 3));
    const first = startTagged(sandbox, 'first', runArgs(feature, 2));
    await started('first', 2);
    process.kill(first.pid, 'SIGKILL');
    const killed = ended('first', Date.now());
    // At once, as a user pressing the up arrow would: the commands of the killed run are still in their grace period.
    const resume = startTagged(sandbox, 'resume', runArgs(feature, 2), { env: { WORK_MS: '200' } });
    const result = await resume.done;
    expect(result.code, result.stderr).toBe(0);
    await expectNoLiveCopies(2, [killed, ended('resume', result.endedAt)]);
    // The resume ran every workstream to completion.
    const completed = watch.lives.filter((life) => life.tag === 'resume' && life.exitCode === 0).map((life) => life.id);
    expect(completed.sort()).toEqual(independent(81, 3).map((spec) => spec.id));
  });

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} to the CLI: it waits for the grace period, its commands are killed, it exits 130 with none left`, async () => {
      const feature = await sandbox.writeFeature('feature', independent(signal === 'SIGTERM' ? 82 : 83, 3));
      const run = startTagged(sandbox, 'run', runArgs(feature, 2));
      await started('run', 2);
      const signalledAt = Date.now();
      process.kill(run.pid, signal);
      const result = await run.done;
      expect(result.code).toBe(130);
      // The grace period was given (the commands got the signal and were killed only after it).
      expect(result.endedAt - signalledAt).toBeGreaterThanOrEqual(GRACE_MS);
      const lives = watch.lives;
      expect(lives.every((life) => life.asked && life.exitCode === undefined)).toBe(true);
      // Nothing of the run outlives it at all: the CLI exits once its commands' groups are gone.
      for (const life of lives) expect(life.goneAt ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(result.endedAt);
      await expectNoLiveCopies(2, [ended('run', result.endedAt)]);
    });
  }

  it('--timeout with retries: each attempt holds its slot until its process group is gone', async () => {
    const feature = await sandbox.writeFeature('feature', independent(84, 1));
    // The timeout leaves the command time to start and trap SIGTERM even on a loaded machine.
    const run = startTagged(sandbox, 'run', runArgs(feature, 1, '--timeout', '1500ms', '--retries', '2', '--retry-delay', '0'));
    const result = await run.done;
    const done = ended('run', result.endedAt);
    expect(result.code).toBe(1);
    expect(result.stdout.match(/FAILED {2}00-084-01: workstream 00-084-01 timed out/g)).toHaveLength(3);
    // Each attempt got SIGTERM at its deadline, went on working, and was killed after the grace period;
    // the next one started only once it was gone.
    const lives = watch.lives;
    expect(lives.length).toBeGreaterThanOrEqual(2);
    for (const life of lives) expect(life.asked && life.exitCode === undefined).toBe(true);
    await expectNoLiveCopies(1, [done]);
  });
});

describe('output errors never kill a run', () => {
  it('a stdout file past `ulimit -f` and a stderr reader gone: the run finishes, exit code and lock as without them, the logs say why', async () => {
    const feature = await sandbox.writeFeature('feature', independent(85, 3));
    // The stdout file already holds more than the limit, so every write to it fails (EFBIG, and SIGXFSZ);
    // the checkpoint and the logs stay far below the limit.
    const limit = 1 << 20;
    const stdoutFile = join(sandbox.root, 'stdout.txt');
    const fd = openSync(stdoutFile, 'a');
    writeSync(fd, Buffer.alloc(limit + 1, 0x2e));
    const run = startTagged(sandbox, 'run', runArgs(feature, 2), {
      stdout: fd,
      wrapper: ['prlimit', `--fsize=${String(limit)}`],
      env: { WORK_MS: '300', FAIL_IDS: '00-085-03' },
    });
    closeSync(fd);
    run.stderr.destroy();
    const result = await run.done;
    const done = ended('run', result.endedAt);
    // 1: a workstream failed, as without the output errors (not a crash, not 0).
    expect(result.code).toBe(1);
    expect(result.signal).toBeNull();
    expect(statSync(stdoutFile).size).toBe(limit + 1);
    expect(readdirSync(sandbox.checkpointDir).filter((name) => name.endsWith('.lock'))).toEqual([]);
    const logs = readdirSync(join(sandbox.cwd, '.sdp', 'logs', 'F085')).map((name) =>
      readFileSync(join(sandbox.cwd, '.sdp', 'logs', 'F085', name), 'utf8'),
    );
    expect(logs.some((log) => log.includes("=== sdp-dispatch: the CLI's stdout failed (EFBIG"))).toBe(true);
    // The resume knows what was done: only the failed workstream runs again.
    const resumed = startTagged(sandbox, 'resume', runArgs(feature, 2), { env: { WORK_MS: '50' } });
    expect((await resumed.done).code).toBe(0);
    expect(watch.lives.filter((life) => life.tag === 'resume').map((life) => life.id)).toEqual(['00-085-03']);
    await expectNoLiveCopies(2, [done]);
  });
});

describe('the lock', () => {
  it('a run paused past the lock staleness stops starting work when continued, exits 3; the run that took over ended its commands first', async () => {
    const feature = await sandbox.writeFeature('feature', independent(86, 4));
    const stale = ['--lock-stale', '1s'];
    const paused = startTagged(sandbox, 'paused', runArgs(feature, 2, ...stale));
    await started('paused', 2);
    process.kill(paused.pid, 'SIGSTOP');
    const lockFile = `${sandbox.checkpointFile('F086')}.lock`;
    await vi.waitFor(
      () => {
        expect(Date.now() - statSync(lockFile).mtimeMs).toBeGreaterThan(1000);
      },
      { timeout: 10_000, interval: 20 },
    );
    const takeover = startTagged(sandbox, 'takeover', runArgs(feature, 2, ...stale), { env: { WORK_MS: '200' } });
    const taken = await takeover.done;
    const takeoverDone = ended('takeover', taken.endedAt);
    expect(taken.code, taken.stderr).toBe(0);
    process.kill(paused.pid, 'SIGCONT');
    const stopped = await paused.done;
    const pausedDone = ended('paused', stopped.endedAt);
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toMatch(/^sdp-dispatch: another run took over the lock of feature F086; this run stopped: .+$/m);
    // The paused run started nothing once continued.
    expect(watch.lives.filter((life) => life.tag === 'paused')).toHaveLength(2);
    await expectNoLiveCopies(2, [takeoverDone, pausedDone]);
  });

  it('two working directories, one workstream folder: one lock, in the folder’s state directory; the second run is refused', async () => {
    await mkdir(join(sandbox.root, 'repo', '.git'), { recursive: true });
    const feature = await sandbox.writeFeature('repo/feature', independent(87, 2));
    const [here, there] = [join(sandbox.root, 'here'), join(sandbox.root, 'there')];
    await mkdir(here);
    await mkdir(there);
    const first = startTagged(sandbox, 'first', runArgs(feature, 2), { cwd: here, env: { WORK_MS: '1500' } });
    await started('first', 2);
    const second = await startTagged(sandbox, 'second', runArgs(feature, 2), { cwd: there }).done;
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/lock/i);
    const result = await first.done;
    const done = ended('first', result.endedAt);
    expect(result.code).toBe(0);
    expect(existsSync(join(here, '.sdp'))).toBe(false);
    expect(existsSync(join(there, '.sdp'))).toBe(false);
    expect(existsSync(join(sandbox.root, 'repo', '.sdp', 'logs', 'F087'))).toBe(true);
    expect(watch.lives.filter((life) => life.tag === 'second')).toEqual([]);
    await expectNoLiveCopies(2, [done]);
  });
});
