import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StoredRunRecord } from './run-record.js';
import { launchBrowser, type Browser } from './testing/browser.js';

// The example feature (examples/feature-F060, 25 workstreams, one that fails until fixed) run by the
// built CLI with the simulated agent, its `--report` html opened in headless Chromium. The screenshot
// goes to docs/report-example.png with SDP_UPDATE_SCREENSHOT=1 (at the agent's real speed), else to a temp folder.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = join(root, 'packages/cli/dist/cli.js');
const updateScreenshot = process.env['SDP_UPDATE_SCREENSHOT'] === '1';

let cwd: string;
let browser: Browser;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'sdp-example-report-'));
  await cp(join(root, 'examples/feature-F060'), join(cwd, 'feature-F060'), { recursive: true });
  await cp(join(root, 'examples/simulate-agent.mjs'), join(cwd, 'simulate-agent.mjs'));
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser.close();
  await rm(cwd, { recursive: true, force: true });
});

function sdp(args: string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.on('close', resolve));
}

it('the example feature’s report shows every attempt, the retried failure, what it blocked and the critical path', async () => {
  const code = await sdp(
    [
      'run',
      'feature-F060',
      '--exec',
      'node simulate-agent.mjs',
      '--concurrency',
      '4',
      '--retries',
      '1',
      '--retry-delay',
      '300ms',
      '--report',
      'report.html',
    ],
    {
      SDP_DEMO_SPEED: updateScreenshot ? '1' : '4',
    },
  );
  expect(code).toBe(1);
  const runs = join(cwd, '.sdp/runs/F060');
  const [name] = await readdir(runs);
  const record = JSON.parse(await readFile(join(runs, name ?? ''), 'utf8')) as StoredRunRecord;

  const { page, problems } = await browser.open(join(cwd, 'report.html'));
  const attempts = record.results.reduce((sum, result) => sum + result.attemptRecords.length, 0);
  expect(await page.locator('.track .attempt').count()).toBe(attempts);
  expect(await page.locator('.row[data-ws="00-060-15"] .attempt.outcome-failed').count()).toBe(2);
  expect(await page.locator('.row[data-ws="00-060-15"] .retry-wait').count()).toBe(1);
  expect(await page.locator('.row[data-ws="00-060-16"] .note').textContent()).toBe('skipped: blocked by 00-060-15');
  expect(await page.locator('.row[data-ws="00-060-01"] .note').textContent()).toBe('completed before this run');
  const critical = await page.locator('.row.critical').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-ws')));
  expect([...critical].sort()).toEqual([...record.criticalPath].sort());
  expect(record.criticalPath.length).toBeGreaterThan(2);
  expect(problems).toEqual([]);
  await page.screenshot({
    path: updateScreenshot ? join(root, 'docs/report-example.png') : join(cwd, 'report-example.png'),
    fullPage: true,
  });
  await page.close();
}, 180_000);
