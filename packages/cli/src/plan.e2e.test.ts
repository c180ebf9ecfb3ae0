import { spawn } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// These tests spawn the built CLI (`pnpm --filter @sdp/cli... build` first).
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../test-fixtures/workstreams/', import.meta.url));

let repository: string;
beforeEach(async () => {
  // A repository of its own, with the workstreams two folders down.
  repository = await mkdtemp(join(tmpdir(), 'sdp-plan-'));
  mkdirSync(join(repository, '.git'));
  cpSync(join(fixtures, 'wild'), join(repository, 'docs', 'workstreams'), { recursive: true });
  cpSync(join(fixtures, 'broken', 'many-problems'), join(repository, 'docs', 'broken'), { recursive: true });
});
afterEach(async () => {
  await rm(repository, { recursive: true, force: true });
});

function sdp(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd,
    env: { ...process.env, npm_lifecycle_event: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    }),
  );
}

// A generous timeout as a safety net only: the machine running the suite may be busy.
describe('sdp-dispatch plan on a folder as found in the wild', { timeout: 30_000 }, () => {
  it('shows the feature waiting on another one, counts what it passed over, and prints a run command that works from anywhere', async () => {
    const docs = join(repository, 'docs');
    const result = await sdp(['plan', 'workstreams', '--feature', '52', '--exclude', 'archive'], docs);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Wave 3: 00-052-03 (waits for 00-053-01)');
    expect(result.stdout).toContain('00-052-03 depends on 00-053-01 of feature F053, which is not done');
    expect(result.stdout).toContain('dependencies disagree (depends_on on line 3 lists none; Dependencies on line 8 lists 00-052-01)');
    expect(result.stdout).toContain(
      'Passed over: 2 files that are not workstreams (1 template, 1 report), 1 excluded, 3 problems in files of other features; --verbose lists them',
    );
    expect(result.stdout).toContain(`State: ${join(repository, '.sdp')}`);
    const runLine = `Run from anywhere: sdp-dispatch run ${join(docs, 'workstreams')} --feature F052 --exclude archive --exec '<command>'`;
    expect(result.stdout).toContain(runLine);

    // The same from another directory: same state, same command.
    const elsewhere = await sdp(['plan', join(docs, 'workstreams'), '--feature', 'F052', '--exclude', 'archive'], tmpdir());
    expect(elsewhere.stdout).toContain(runLine);
    expect(elsewhere.stdout).toContain(`State: ${join(repository, '.sdp')}`);
  });

  it('run refuses the waiting feature with exit code 2, naming what it waits for', async () => {
    const result = await sdp(['run', 'docs/workstreams', '-f', 'F052', '--exclude', 'archive', '--exec', 'true'], repository);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('00-052-03 depends on 00-053-01 of feature F053, which is not done');
  });

  it('plan --json prints one document with files, dependencies and where each was declared, waves, critical path and warnings', async () => {
    const result = await sdp(['plan', 'docs/workstreams', '-f', 'F052', '--exclude', 'archive', '--json'], repository);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(plan).toMatchObject({
      version: 1,
      featureId: 'F052',
      waves: [['00-052-01', '00-052-04'], ['00-052-02'], ['00-052-03']],
      criticalPath: ['00-052-01', '00-052-02', '00-052-03'],
      waiting: [{ workstream: '00-052-03', dependency: '00-053-01', reason: 'not-done' }],
      problems: [],
    });
    const workstreams = plan['workstreams'] as { id: string; file: string; declaredAt: unknown[] }[];
    expect(workstreams.find((workstream) => workstream.id === '00-052-02')).toMatchObject({
      file: join(repository, 'docs/workstreams/f052/00-052-02-breaker.md'),
      dependsOn: ['00-052-01'],
      declaredAt: [
        { id: '00-052-01', file: join(repository, 'docs/workstreams/f052/00-052-02-breaker.md'), line: 10, field: 'Dependencies' },
      ],
    });
    expect((plan['warnings'] as unknown[]).length).toBe(3);
    expect((plan['otherProblems'] as unknown[]).length).toBe(3);
  });

  it('plan --json of a refused feature is still one document: every problem, exit code 2', async () => {
    const result = await sdp(['plan', 'docs/broken', '--json'], repository);
    expect(result.code).toBe(2);
    const plan = JSON.parse(result.stdout) as { error: { code: string }; problems: { file: string; line?: number }[] };
    expect(plan.error.code).toBe('CLI_WORKSTREAM_FILE');
    expect(plan.problems).toHaveLength(5);
    const text = await sdp(['plan', 'docs/broken'], repository);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('5 problems in the workstream files of feature F081 (fix them all):');
  });

  it('says --feature when the folder holds several features', async () => {
    const result = await sdp(['plan', 'docs/workstreams', '--exclude', 'archive'], repository);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('select one with --feature, e.g. --feature F052');
  });
});
