import { spawn } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cliPath, startCli, type Finished } from './test-support/start-cli.js';

// These tests spawn the built CLI (turbo builds the package before its tests).
const fixtures = fileURLToPath(new URL('../test-fixtures/cli/', import.meta.url));
const agent = `node ${join(fixtures, 'agent.mjs')}`;

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'sdp-cli-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const start = (args: string[], env: Record<string, string> = {}) => startCli(cwd, args, env);

function sdp(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  return start(args, env).done;
}

/**
 * A copy of a fixture folder inside the test's working directory: the state (`.sdp/`) goes to the
 * root of the repository holding the folder, so the copy keeps it out of this repository.
 */
const fixture = (name: string) => {
  const copy = join(cwd, 'fixtures', name);
  cpSync(join(fixtures, name), copy, { recursive: true });
  return copy;
};
const checkpointFile = (feature: string) => join(cwd, '.sdp', 'checkpoints', `${feature}-checkpoint.json`);

async function runLog(): Promise<string[]> {
  return existsSync(join(cwd, 'run.log')) ? (await readFile(join(cwd, 'run.log'), 'utf8')).trim().split('\n') : [];
}

async function waitForFile(path: string): Promise<void> {
  await vi.waitFor(
    () => {
      expect(existsSync(path)).toBe(true);
    },
    { timeout: 20_000, interval: 20 },
  );
}

describe('sdp-dispatch plan', () => {
  it('prints the waves and the critical path of a valid folder', async () => {
    const result = await sdp(['plan', fixture('valid')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Feature F001: 5 workstreams (0 done), 3 waves');
    expect(result.stdout).toContain('Wave 1: 00-001-01, 00-001-05');
    expect(result.stdout).toContain('Wave 2: 00-001-02, 00-001-03');
    expect(result.stdout).toContain('Wave 3: 00-001-04');
    expect(result.stdout).toContain('Critical path: 00-001-01 -> 00-001-02 -> 00-001-04');
    expect(result.stdout).not.toContain('NOTES.md');
    const verbose = await sdp(['plan', fixture('valid'), '--verbose']);
    expect(verbose.stdout).toMatch(/Not workstreams \(passed over\):\n {2}\S*NOTES\.md: /);
  });

  it('exits 2 on a cycle, naming the loop', async () => {
    const result = await sdp(['plan', fixture('cycle')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/00-002-0\d -> 00-002-0\d -> 00-002-0\d -> 00-002-0\d/);
    expect(result.stderr).not.toContain('    at ');
  });

  it('exits 2 on a missing dependency, naming the file and both ids', async () => {
    const result = await sdp(['plan', fixture('missing-dependency')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('00-003-02.md');
    expect(result.stderr).toContain('00-003-09');
  });

  it('exits 2 on a malformed file, naming the file and the text', async () => {
    const result = await sdp(['plan', fixture('malformed')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('00-004-02.md');
    expect(result.stderr).toContain('the auth stuff');
  });

  it('exits 2 on bad usage and prints help and version', async () => {
    const bad = await sdp(['run', fixture('valid')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--exec');
    const help = await sdp(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    const version = await sdp(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('sdp-dispatch run', () => {
  it('exits 1 with dependents skipped and the checkpoint kept, then a resume retries only what is left', async () => {
    const first = await sdp(['run', fixture('valid'), '--exec', agent], { FAIL_IDS: '00-001-02' });
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('00-001-02 failed');
    expect(first.stdout).toContain('FAIL 00-001-02: expected 200, got 500');
    expect(first.stdout).toContain('00-001-02 blocked 00-001-04');
    expect(first.stdout).toMatch(/Resume with: sdp-dispatch run \S+valid --exec '/);
    expect(existsSync(checkpointFile('F001'))).toBe(true);
    const log = await readFile(join(cwd, '.sdp', 'logs', 'F001', '00-001-02.log'), 'utf8');
    expect(log).toContain('agent working on 00-001-02 (feature F001');

    await rm(join(cwd, 'run.log'));
    const second = await sdp(['run', fixture('valid'), '--exec', agent]);
    expect(second.code).toBe(0);
    expect((await runLog()).filter((line) => line.endsWith('start')).sort()).toEqual(['00-001-02 start', '00-001-04 start']);
    expect(existsSync(checkpointFile('F001'))).toBe(false);
    expect(await readdir(join(cwd, '.sdp', 'checkpoints'))).toEqual([]);
  });

  it('status shows the checkpoint without the lock, and clean removes it and the logs (refused while locked)', async () => {
    expect((await sdp(['status', fixture('valid')])).stdout).toContain('Feature F001: no checkpoint at');
    await sdp(['run', fixture('valid'), '--exec', agent], { FAIL_IDS: '00-001-03' });
    const status = await sdp(['status', fixture('valid')]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Completed 3 of 5');
    expect(status.stdout).toContain('Failed: 00-001-03');
    expect(status.stdout).toContain('Skipped: 00-001-04 (blocked by 00-001-03)');

    const { child, done } = start(['run', fixture('valid'), '--exec', agent], { HANG_IDS: '00-001-03' });
    await waitForFile(join(cwd, '00-001-03.started'));
    const refused = await sdp(['clean', fixture('valid')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`pid ${child.pid}`);
    child.kill('SIGINT');
    expect((await done).code).toBe(130);

    const clean = await sdp(['clean', fixture('valid')]);
    expect(clean.code).toBe(0);
    expect(existsSync(checkpointFile('F001'))).toBe(false);
    expect(existsSync(join(cwd, '.sdp', 'logs', 'F001'))).toBe(false);
    expect(await readdir(join(cwd, '.sdp', 'checkpoints'))).toEqual([]);
  });

  it('on SIGINT mid-run exits 130 with the checkpoint saved, and the resume completes', async () => {
    const { child, done } = start(['run', fixture('valid'), '--exec', agent, '--concurrency', '2'], { HANG_IDS: '00-001-02' });
    await waitForFile(join(cwd, '00-001-02.started'));
    child.kill('SIGINT');
    const interrupted = await done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stdout).toContain('SIGINT');
    expect(interrupted.stdout).toContain('Resume with:');
    const saved = JSON.parse(await readFile(checkpointFile('F001'), 'utf8')) as { completed: string[] };
    expect(saved.completed).toContain('00-001-01');

    const resumed = await sdp(['run', fixture('valid'), '--exec', agent]);
    expect(resumed.code).toBe(0);
    const starts = (await runLog()).filter((line) => line === '00-001-01 start');
    expect(starts).toHaveLength(1);
  });

  it('a second SIGINT kills commands that ignore the first, and the checkpoint is still saved', async () => {
    const { child, done } = start(['run', fixture('valid'), '--exec', agent, '--grace', '10m'], {
      HANG_IDS: '00-001-01',
      IGNORE_SIGNALS: '1',
    });
    await waitForFile(join(cwd, '00-001-01.started'));
    child.kill('SIGINT');
    await vi.waitFor(
      async () => {
        expect(await readFile(join(cwd, '.sdp', 'logs', 'F001', '00-001-01.log'), 'utf8')).toContain('got SIGINT');
      },
      { timeout: 20_000, interval: 20 },
    );
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('SIGINT again: killing running commands now');
    const saved = JSON.parse(await readFile(checkpointFile('F001'), 'utf8')) as { completed: string[]; running: string[] };
    expect(saved.completed).not.toContain('00-001-01');
    expect(saved.running).toEqual([]);
  });

  it('refuses a second run of the same feature while the first holds the lock, naming the holder', async () => {
    const { child, done } = start(['run', fixture('valid'), '--exec', agent], { HANG_IDS: '00-001-01' });
    await waitForFile(join(cwd, '00-001-01.started'));
    const second = await sdp(['run', fixture('valid'), '--exec', agent]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`pid ${child.pid}`);
    child.kill('SIGTERM');
    expect((await done).code).toBe(130);
  });

  it('retries and waits out an open breaker on the real clock', async () => {
    const retried = await sdp(['run', fixture('valid'), '--exec', agent, '--concurrency', '1', '--retries', '1', '--retry-delay', '50ms'], {
      FAIL_IDS: '00-001-05',
    });
    expect(retried.code).toBe(1);
    expect((await runLog()).filter((line) => line === '00-001-05 start')).toHaveLength(2);
    expect(retried.stdout).toContain('(retry in 50ms)');

    await rm(join(cwd, '.sdp'), { recursive: true });
    const waited = await sdp(
      [
        'run',
        fixture('valid'),
        '--exec',
        agent,
        '--concurrency',
        '1',
        '--breaker-threshold',
        '1',
        '--breaker-window',
        '1',
        '--breaker-timeout',
        '100ms',
      ],
      { FAIL_IDS: '00-001-01' },
    );
    expect(waited.code).toBe(1);
    expect(waited.stdout).toContain('breaker closed -> open');
    expect(waited.stdout).toContain('breaker half-open -> closed');
    expect(waited.stdout).toContain('done    00-001-05');
  });

  it('--json prints one JSON object per event and a final report', async () => {
    const result = await sdp(['run', fixture('valid'), '--exec', agent, '--json'], { FAIL_IDS: '00-001-05' });
    expect(result.code).toBe(1);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; id?: string; [key: string]: unknown });
    expect(events.filter((event) => event.event === 'start')).toHaveLength(5);
    expect(events.find((event) => event.event === 'fail')).toMatchObject({ id: '00-001-05', willRetry: false });
    const report = events.at(-1);
    expect(report).toMatchObject({ event: 'report', outcome: 'failed', totals: { completed: 4, failed: 1 } });
    expect(report?.['resumeCommand']).toContain('sdp-dispatch run');
  });

  it('shows a live view on a terminal', async () => {
    const command = [process.execPath, cliPath, 'run', fixture('valid'), '--exec', `'${agent}'`].join(' ');
    const { done } = spawnScript(command);
    const result = await done;
    expect(result.code).toBe(0);
    const screen = stripVTControlCharacters(result.stdout);
    expect(screen).toContain('sdp-dispatch F001');
    expect(screen).toContain('breaker');
    expect(screen).toMatch(/5\/5 done/);
    expect(screen).toContain('✓ 00-001-04');
    expect(screen).toContain('all workstreams completed');
  });
});

/** Runs a command under a pseudo-terminal (util-linux `script`), so the CLI sees a TTY. */
function spawnScript(command: string): { done: Promise<Finished> } {
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd,
    env: { ...process.env, COLUMNS: '100', RUN_LOG: join(cwd, 'run.log') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return {
    done: new Promise((resolve) => {
      child.on('close', (code) => {
        resolve({ code, stdout, stderr: '' });
      });
    }),
  };
}
