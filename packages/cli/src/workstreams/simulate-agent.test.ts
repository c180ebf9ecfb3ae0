import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../../../examples/simulate-agent.mjs', import.meta.url));
const FEATURE = fileURLToPath(new URL('../../../../examples/feature-F060/', import.meta.url));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the agent script with only the given environment (plus PATH); `onFirstLine` sees the first stdout line. */
function runAgent(env: Record<string, string>, onFirstLine?: (child: ReturnType<typeof spawn>) => void): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], { env: { PATH: process.env['PATH'] ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const first = stdout === '';
      stdout += chunk;
      if (first) onFirstLine?.(child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

const fast = (id: string, file: string, extra: Record<string, string> = {}) =>
  runAgent({ SDP_WS_ID: id, SDP_FEATURE_ID: 'F060', SDP_WS_FILE: `${FEATURE}${file}`, SDP_DEMO_SPEED: '1000', ...extra });

describe('examples/simulate-agent.mjs', () => {
  it('implements a workstream: reads its file, plans, edits its files, runs tests, exits 0', async () => {
    const outcome = await fast('00-060-05', '00-060-05-membership-api.md');
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    const lines = outcome.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('[00-060-05] reading 00-060-05-membership-api.md (F060: Membership API: invite, remove, change role)');
    expect(lines[1]).toBe('[00-060-05] planning: 3 acceptance criteria, 2 files in scope');
    expect(lines[2]).toMatch(/^\[00-060-05\] editing apps\/api\/src\/memberships\/memberships\.routes\.ts \(\+\d+ -\d+\)$/);
    expect(lines.at(-1)).toMatch(/^\[00-060-05\] ✓ \d+ tests passed; 3 of 3 acceptance criteria met$/);
  });

  it('prints the same thing every time for the same workstream', async () => {
    const run = () => fast('00-060-12', '00-060-12-members-management-ui.md');
    const [first, second] = await Promise.all([run(), run()]);
    expect(first.stdout).toBe(second.stdout);
  });

  it('fails 00-060-15 with a test failure unless SDP_DEMO_FIX=1', async () => {
    const failed = await fast('00-060-15', '00-060-15-seat-based-pricing.md');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('FAIL  apps/api/test/billing/seat-sync.test.ts');
    expect(failed.stderr).toContain('AssertionError: expected subscription quantity to be 4, received 5');
    expect(failed.stdout).not.toContain('✓');

    const fixed = await fast('00-060-15', '00-060-15-seat-based-pricing.md', { SDP_DEMO_FIX: '1' });
    expect(fixed).toMatchObject({ code: 0, stderr: '' });
    expect(fixed.stdout).toContain('[00-060-15] ✓');
  });

  it.each([
    [{}, 'SDP_WS_ID is not set'],
    [{ SDP_WS_ID: '00-060-05', SDP_DEMO_SPEED: '0' }, 'SDP_DEMO_SPEED must be a positive number'],
    [{ SDP_WS_ID: '00-060-05', SDP_DEMO_SPEED: 'fast' }, 'got "fast"'],
    [{ SDP_WS_ID: '00-060-05', SDP_WS_FILE: `${FEATURE}missing.md` }, 'cannot read SDP_WS_FILE'],
  ])('exits 2 on a usage error (%j)', async (env, message) => {
    const outcome = await runAgent(env);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(message);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('stops on %s with exit %i, saying so', async (signal, code) => {
    // At normal speed the script is still working when its first line arrives.
    const outcome = await runAgent({ SDP_WS_ID: '00-060-24', SDP_WS_FILE: `${FEATURE}00-060-24-integration-and-rollout.md` }, (child) => {
      child.kill(signal);
    });
    expect(outcome.code).toBe(code);
    expect(outcome.stdout).toContain(`[00-060-24] ${signal} received: stopping`);
    expect(outcome.stdout).not.toContain('✓');
  });
});
