import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupWatch } from './process-table.js';
import { CommandFailedError, LogFileLinkError, SupervisorLostError } from './command-errors.js';
import { ShellExecutor, type ShellExecutorOptions } from './shell-executor.js';

// Real processes through the built supervisor (turbo builds the package before its tests).
const supervisorPath = fileURLToPath(new URL('../dist/supervisor.js', import.meta.url));

let dir: string;
let executor: ShellExecutor | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sdp-shell-'));
});
afterEach(async () => {
  await executor?.close(5000);
  await rm(dir, { recursive: true, force: true });
});

function make(command: string, options: Partial<ShellExecutorOptions> = {}): ShellExecutor {
  executor = new ShellExecutor({
    command,
    featureId: 'F001',
    files: new Map(),
    logDir: join(dir, 'logs'),
    graceMs: 300,
    supervisorPath,
    ...options,
  });
  return executor;
}

/** Runs one attempt; returns what it settled with, the handle it recorded and when it settled. */
async function attempt(shell: ShellExecutor, signal = new AbortController().signal) {
  const handles: Record<string, unknown>[] = [];
  const context = { signal, attempt: 1, setHandle: (handle: Record<string, unknown>) => handles.push(handle) };
  const outcome = await shell.execute('00-001-01', context).then(
    () => ({ ok: true as const, error: undefined }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return { ...outcome, handles, settledAt: Date.now() };
}

/** The pid a command wrote to `<dir>/pid` once it trapped SIGTERM. */
async function pidOf(name = 'pid'): Promise<number> {
  return vi.waitFor(
    () => {
      const text = existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8').trim() : '';
      if (text === '') throw new Error('not started');
      return Number(text);
    },
    { timeout: 20_000, interval: 10 },
  );
}

const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'latin1');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
};

describe('ShellExecutor', () => {
  it('records the attempt handle and succeeds on exit 0, the output in the log', async () => {
    const result = await attempt(make('echo hello from $SDP_WS_ID'));
    expect(result.ok).toBe(true);
    expect(result.handles).toEqual([
      {
        pgid: expect.any(Number) as unknown,
        host: hostname(),
        startTime: expect.stringMatching(/^.+:\d+$/) as unknown,
        logPath: join(dir, 'logs', '00-001-01.log'),
        token: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown,
      },
    ]);
    expect(readFileSync(join(dir, 'logs', '00-001-01.log'), 'utf8')).toContain('hello from 00-001-01');
  });

  it('an abort reaches the whole group: a command that traps SIGTERM behind a dash wrapper is killed after the grace period, and only then does the attempt end', async () => {
    const shell = make(`sh -c 'trap "" TERM; echo $$ > ${dir}/pid; while :; do sleep 0.05; done'; exit $?`);
    const controller = new AbortController();
    const running = attempt(shell, controller.signal);
    const pid = await pidOf();
    const abortedAt = Date.now();
    controller.abort(new Error('stop'));
    const result = await running;
    expect(result.error).toBeInstanceOf(CommandFailedError);
    expect(result.error).toMatchObject({ code: 'CLI_COMMAND_FAILED', name: 'CommandFailedError' });
    expect((result.error as Error).message).toContain('killed after the 300 ms grace period');
    expect(result.settledAt - abortedAt).toBeGreaterThanOrEqual(300);
    expect(alive(pid)).toBe(false);
    expect(new GroupWatch(result.handles[0]?.['pgid'] as number).isGone()).toBe(true);
  });

  it('processes left behind by a command that exited 0 are ended before the attempt is over; it still succeeds', async () => {
    const result = await attempt(
      make(`sh -c 'trap "" TERM; echo $$ > ${dir}/pid; exec sleep 30' & while [ ! -s ${dir}/pid ]; do sleep 0.01; done`),
    );
    expect(result.ok).toBe(true);
    expect(alive(Number(readFileSync(join(dir, 'pid'), 'utf8')))).toBe(false);
    expect(readFileSync(join(dir, 'logs', '00-001-01.log'), 'utf8')).toContain(
      '=== sdp-dispatch: processes it started outlived it and were ended',
    );
  });

  it('refuses a log that is a symbolic link, leaving its target untouched', async () => {
    const target = join(dir, 'elsewhere.txt');
    writeFileSync(target, 'precious\n');
    const shell = make('true');
    await attempt(shell);
    await rm(join(dir, 'logs', '00-001-01.log'));
    symlinkSync(target, join(dir, 'logs', '00-001-01.log'));
    const result = await attempt(shell);
    expect(result.error).toBeInstanceOf(LogFileLinkError);
    expect((result.error as Error).message).toMatch(/00-001-01\.log is a symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
  });

  it('a supervisor killed on its own: its group is ended by the CLI and the attempt fails saying so', async () => {
    const shell = make(`echo $$ > ${dir}/pid; exec sleep 30`);
    const running = attempt(shell);
    const pid = await pidOf();
    const supervisors = readFileSync(`/proc/${String(pid)}/stat`, 'latin1')
      .split(') ')[1]
      ?.split(' ')[1];
    process.kill(Number(supervisors), 'SIGKILL');
    const result = await running;
    expect(result.error).toBeInstanceOf(SupervisorLostError);
    expect(alive(pid)).toBe(false);
  });
});

describe('the supervisor', () => {
  it('ends its command (SIGTERM, grace, SIGKILL) when the CLI is gone, however it died', async () => {
    const supervisor = spawn(process.execPath, [supervisorPath], { stdio: ['pipe', 'pipe', 'ignore'] });
    const lines: string[] = [];
    supervisor.stdout.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n')));
    const command = `sh -c 'trap "echo term >> ${dir}/events" TERM; echo $$ > ${dir}/pid; while :; do sleep 0.05; done'; exit $?`;
    supervisor.stdin.write(`${JSON.stringify({ command, graceMs: 300, logPath: join(dir, 'log'), env: {} })}\n`);
    const pid = await pidOf();
    // The CLI's end of the pipe closes, as it does when the kernel reaps a SIGKILLed CLI.
    supervisor.stdin.end();
    const [code] = (await once(supervisor, 'close')) as [number | null];
    expect(code).toBe(0);
    expect(alive(pid)).toBe(false);
    expect(readFileSync(join(dir, 'events'), 'utf8')).toBe('term\n');
    expect(JSON.parse(lines.at(-1) ?? '')).toMatchObject({ event: 'ended', forced: true });
  });
});
