import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCli } from '../test-support/start-cli.js';
import type { StoredRunRecord } from './run-record.js';
import type { Trace } from './render-trace.js';

// These tests spawn the built CLI (turbo builds the package before its tests) on a copy of a
// fixture folder inside a fresh working directory, which is then the state root (.sdp/).
const fixtures = fileURLToPath(new URL('../../test-fixtures/cli/', import.meta.url));
const agent = `node ${join(fixtures, 'agent.mjs')}`;

let cwd: string;
let ws: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'sdp-report-'));
  ws = join(cwd, 'ws');
  await cp(join(fixtures, 'valid'), ws, { recursive: true });
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const start = (args: string[], env: Record<string, string> = {}) => startCli(cwd, args, env);

const sdp = (args: string[], env: Record<string, string> = {}) => start(args, env).done;
const runsDir = () => join(cwd, '.sdp', 'runs', 'F001');

async function records(): Promise<StoredRunRecord[]> {
  if (!existsSync(runsDir())) return [];
  const names = (await readdir(runsDir())).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(runsDir(), name), 'utf8')) as StoredRunRecord));
}

async function starts(): Promise<string[]> {
  const log = existsSync(join(cwd, 'run.log')) ? await readFile(join(cwd, 'run.log'), 'utf8') : '';
  return log
    .split('\n')
    .filter((line) => line.endsWith(' start'))
    .map((line) => line.slice(0, -' start'.length));
}

const result = (record: StoredRunRecord | undefined, id: string) => record?.results.find((candidate) => candidate.id === id);

describe('run records', { timeout: 120_000 }, () => {
  it('are written after a full success; the same command then runs nothing and says so; --fresh runs it all again', async () => {
    expect((await sdp(['run', ws, '--exec', agent])).code).toBe(0);
    const [first, ...none] = await records();
    expect(none).toEqual([]);
    expect(first).toMatchObject({ version: 1, featureId: 'F001', outcome: 'completed', concurrency: 3, totals: { completed: 5 } });
    expect(first?.results.map((entry) => entry.attemptRecords.map((attempt) => attempt.outcome))).toEqual(Array(5).fill(['completed']));
    expect(first?.dependsOn['00-001-04']).toEqual(['00-001-02', '00-001-03']);
    expect(first?.logDir).toBe(join(cwd, '.sdp', 'logs', 'F001'));
    expect(await starts()).toHaveLength(5);

    const again = await sdp(['run', ws, '--exec', agent]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `Feature F001: every workstream completed in run ${first?.runId ?? ''}, which ended ${new Date(first?.endedAt ?? 0).toISOString()}`,
    );
    expect(again.stdout).toContain('Nothing to run (--fresh runs them all again)');
    expect(await starts()).toHaveLength(5);
    expect(await records()).toHaveLength(1);

    const json = await sdp(['run', ws, '--exec', agent, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ event: 'already-completed', runId: first?.runId });

    const fresh = await sdp(['run', ws, '--exec', agent, '--fresh']);
    expect(fresh.code).toBe(0);
    expect(await starts()).toHaveLength(10);
    expect((await records()).map((record) => record.outcome)).toEqual(['completed', 'completed']);
  });

  it('say what failed (exit code) and what it blocked; the resume runs only what is left and records it', async () => {
    expect((await sdp(['run', ws, '--exec', agent], { FAIL_IDS: '00-001-02' })).code).toBe(1);
    const [failed] = await records();
    expect(failed?.outcome).toBe('failed');
    expect(result(failed, '00-001-02')?.attemptRecords).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: 'failed',
        error: { name: 'CommandFailedError', message: 'command exited with code 1', exitCode: 1 },
      }),
    ]);
    expect(result(failed, '00-001-04')).toMatchObject({ status: 'skipped', blockedBy: '00-001-02', attemptRecords: [] });
    expect(failed?.checkpoint?.kept).toBe(true);
    expect(failed?.resumeCommand).toContain('sdp-dispatch run');

    expect((await sdp(['run', ws, '--exec', agent])).code).toBe(0);
    expect((await starts()).slice(4).sort()).toEqual(['00-001-02', '00-001-04']);
    const [, resumed] = await records();
    expect(resumed).toMatchObject({ outcome: 'completed', resumed: true });
    expect(result(resumed, '00-001-01')).toMatchObject({ alreadyCompleted: true, attemptRecords: [] });
    expect((await sdp(['run', ws, '--exec', agent])).stdout).toContain(`every workstream completed in run ${resumed?.runId ?? ''}`);
  });

  it('are written when a run is interrupted, with the attempt that was cut off, and run --report writes the html', async () => {
    const { child, done } = start(['run', ws, '--exec', agent, '--report', 'stopped.html'], { HANG_IDS: '00-001-01' });
    await vi.waitFor(
      () => {
        expect(existsSync(join(cwd, '00-001-01.started'))).toBe(true);
      },
      { timeout: 20_000, interval: 20 },
    );
    child.kill('SIGINT');
    expect((await done).code).toBe(130);
    const [stopped] = await records();
    expect(stopped?.outcome).toBe('cancelled');
    expect(result(stopped, '00-001-01')?.attemptRecords).toEqual([
      expect.objectContaining({ outcome: 'cancelled', endedAt: stopped?.endedAt }),
    ]);
    const html = await readFile(join(cwd, 'stopped.html'), 'utf8');
    expect(html).toContain('Feature F001: interrupted');
    expect(html).toContain(stopped?.runId);
    // Not complete: the next run resumes instead of saying it is done.
    expect((await sdp(['run', ws, '--exec', agent])).code).toBe(0);
  });

  it('after a graph change run only what changed, as a resume would', async () => {
    expect((await sdp(['run', ws, '--exec', agent])).code).toBe(0);
    const five = await readFile(join(ws, '00-001-05.md'), 'utf8');
    await writeFile(join(ws, '00-001-05.md'), five.replace('depends_on: []', 'depends_on: [00-001-01]'));
    await writeFile(
      join(ws, '00-001-06.md'),
      five.replaceAll('00-001-05', '00-001-06').replace('depends_on: []', 'depends_on: [00-001-04]'),
    );
    const changed = await sdp(['run', ws, '--exec', agent]);
    expect(changed.code).toBe(0);
    expect(changed.stderr).toContain('the workstreams changed since run');
    expect((await starts()).slice(5).sort()).toEqual(['00-001-05', '00-001-06']);
    expect((await sdp(['run', ws, '--exec', agent])).stdout).toContain('Nothing to run');
  });
});

describe('sdp-dispatch report', { timeout: 120_000 }, () => {
  it('shows the latest or a chosen run as text, json, html or a Chrome trace, from the folder or from the state alone', async () => {
    await sdp(['run', ws, '--exec', agent, '--retries', '1', '--retry-delay', '10ms'], { FAIL_IDS: '00-001-03' });
    await sdp(['run', ws, '--exec', agent]);
    const [failed, completed] = await records();

    const text = await sdp(['report', ws]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Run ${completed?.runId ?? ''}: started`);
    expect(text.stdout).toContain('Feature F001: all workstreams completed');
    const older = await sdp(['report', ws, '--run', failed?.runId ?? '']);
    expect(older.stdout).toContain('✗ 00-001-03 failed after 2 attempt(s): command exited with code 1');
    expect(older.stdout).toContain(`log: ${join(cwd, '.sdp', 'logs', 'F001', '00-001-03.log')}`);
    expect(older.stdout).toContain('00-001-03 blocked 00-001-04');

    // Without the folder: the working directory's state, the one feature in it (or --feature in any spelling).
    const json = await sdp(['report', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual(completed);
    expect(JSON.parse((await sdp(['report', '--feature', '1', '--run', failed?.runId ?? '', '--format', 'json'])).stdout)).toEqual(failed);

    const trace = await sdp(['report', ws, '--run', failed?.runId ?? '', '--format', 'trace', '-o', 'trace.json']);
    expect(trace.stdout).toContain(`Wrote the trace report of run ${failed?.runId ?? ''}`);
    const events = (JSON.parse(await readFile(join(cwd, 'trace.json'), 'utf8')) as Trace).traceEvents.filter((event) => event.ph === 'X');
    expect(events.filter((event) => event.name === '00-001-03').map((event) => event.args['attempt'])).toEqual([1, 2]);

    expect((await sdp(['report', ws, '--format', 'html', '-o', 'report.html'])).code).toBe(0);
    expect(await readFile(join(cwd, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('exits 2 with one clear line when there is nothing to show or the usage is wrong', async () => {
    const none = await sdp(['report', ws]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no run records of feature F001');
    await sdp(['run', ws, '--exec', agent]);
    const unknown = await sdp(['report', ws, '--run', '20260101T000000000Z-000000']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no run record 20260101T000000000Z-000000');
    expect((await sdp(['report', ws, '--format', 'pdf'])).stderr).toContain('--format must be text, json, html, trace, got "pdf"');
    expect((await sdp(['report', ws, '--exec', agent])).stderr).toContain('--exec applies to "run" only');
    expect((await sdp(['plan', ws, '--format', 'json'])).stderr).toContain('--format applies to "report" only');
    expect((await sdp(['status', ws, '--report', 'x.html'])).stderr).toContain('--report applies to "run" only');
  });
});
