/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from './render-html.js';
import type { StoredRunRecord } from './run-record.js';
import { launchBrowser, type Browser } from './testing/browser.js';
import { simulatedRun } from './testing/simulated-run.js';

// The html report checked in a real browser: Debian's headless Chromium through playwright-core.
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser.close();
});

const attemptsOf = (record: StoredRunRecord) => record.results.reduce((sum, result) => sum + result.attemptRecords.length, 0);

describe('the html report in headless Chromium', () => {
  it('draws one bar per attempt, marks the critical path, shows skips, retries, waits and breaker-open periods, with no console error and no request', async () => {
    const record = await simulatedRun({
      size: 25,
      seed: 9,
      concurrency: 3,
      failOnce: ['00-001-04'],
      failAlways: ['00-001-07', '00-001-09'],
      breaker: { threshold: 2, window: 4, halfOpenAfterMs: 1500 },
    });
    expect(record.breakerChanges.length).toBeGreaterThan(0);
    const { page, problems } = await browser.openHtml(renderHtml(record));

    expect(await page.locator('.row').count()).toBe(25);
    expect(await page.locator('.attempt').count()).toBe(attemptsOf(record));
    for (const result of record.results) {
      const row = page.locator(`.row[data-ws="${result.id}"]`);
      expect(await row.locator('.attempt').count()).toBe(result.attemptRecords.length);
      const outcomes = await row.locator('.attempt').evaluateAll((bars) => bars.map((bar) => bar.getAttribute('class')));
      expect(outcomes).toEqual(result.attemptRecords.map((attempt) => `attempt outcome-${attempt.outcome}`));
      if (result.status === 'skipped')
        expect(await row.locator('.note').textContent()).toBe(`skipped: blocked by ${result.blockedBy ?? ''}`);
    }
    const critical = await page.locator('.row.critical').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-ws')));
    expect(critical.length).toBeGreaterThan(0);
    expect([...critical].sort()).toEqual([...record.criticalPath].sort());
    // Marked where a person looks: a star before the id and an outlined bar.
    const star = await page
      .locator('.row.critical .label')
      .first()
      .evaluate((label) => getComputedStyle(label, '::before').content);
    expect(star).toContain('★');
    const outline = await page
      .locator('.row.critical .attempt')
      .first()
      .evaluate((bar) => getComputedStyle(bar).boxShadow);
    expect(outline).not.toBe('none');
    expect(await page.locator('.track .retry-wait').count()).toBe(
      record.results.reduce((sum, result) => sum + Math.max(0, result.attemptRecords.length - 1), 0),
    );
    expect(await page.locator('.bands .breaker-open').count()).toBeGreaterThan(0);
    expect(await page.locator('#makespan').textContent()).toContain('× the lower bound');

    // Every bar lies inside its track and has a visible width.
    const outside = await page.locator('.attempt').evaluateAll(
      (bars) =>
        bars.filter((bar) => {
          const box = bar.getBoundingClientRect();
          const track = bar.parentElement?.getBoundingClientRect();
          return track === undefined || box.width < 1 || box.left < track.left - 0.5 || box.right > track.right + 0.5;
        }).length,
    );
    expect(outside).toBe(0);

    // The filter keeps matching rows only.
    await page.locator('#filter').fill('skipped');
    expect(await page.locator('.row:not(.hidden)').count()).toBe(record.totals.skipped);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('stays readable for 2,000 workstreams: every row and bar drawn, dense rows, no console error', async () => {
    const record = await simulatedRun({
      size: 2000,
      seed: 4,
      concurrency: 24,
      failOnce: ['00-001-500', '00-001-1500'],
      failAlways: ['00-001-1900'],
    });
    const html = renderHtml(record);
    expect(html.length).toBeLessThan(2_000_000);
    const { page, problems } = await browser.openHtml(html);
    expect(await page.locator('.row').count()).toBe(2000);
    expect(await page.locator('.attempt').count()).toBe(attemptsOf(record));
    expect(await page.locator('.timeline.dense').count()).toBe(1);
    const heights = await page
      .locator('.row')
      .evaluateAll((rows) => [...new Set(rows.map((row) => Math.round(row.getBoundingClientRect().height)))]);
    expect(heights).toEqual([12]);
    // Labels stay legible and the first rows are on the first screen, under the sticky header.
    const fontSize = await page
      .locator('.row .label')
      .first()
      .evaluate((label) => parseFloat(getComputedStyle(label).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(10);
    expect(await page.locator('.row').first().isVisible()).toBe(true);
    // Zoom widens the time axis inside the timeline's own scroller; the ids stay in view.
    const trackWidth = () =>
      page
        .locator('.row .track')
        .first()
        .evaluate((track) => track.getBoundingClientRect().width);
    const before = await trackWidth();
    await page.locator('#zoom').fill('10');
    expect(await trackWidth()).toBeGreaterThan(before * 9);
    await page.locator('.timeline').evaluate((timeline) => {
      timeline.scrollTo({ left: 5000 });
    });
    const label = await page.locator('.row .label').first().boundingBox();
    expect(label?.x).toBeGreaterThanOrEqual(0);
    expect(label?.x).toBeLessThan(40);
    await page.locator('#filter').fill('00-001-1900');
    expect(await page.locator('.row:not(.hidden)').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it('escapes ids and error messages', () => {
    const html = renderHtml({
      version: 1,
      runId: '20260101T000000000Z-000000',
      featureId: 'F<1>',
      outcome: 'failed',
      startedAt: 0,
      endedAt: 10,
      concurrency: 1,
      graphFingerprint: 'x',
      results: [
        {
          id: '<img src=x>',
          status: 'failed',
          attempts: 1,
          attemptRecords: [
            { attempt: 1, startedAt: 0, endedAt: 10, outcome: 'failed', error: { name: 'Error', message: '"><script>alert(1)</script>' } },
          ],
          alreadyCompleted: false,
          rerunAfterCrash: false,
        },
      ],
      totals: { completed: 0, failed: 1, skipped: 0, cancelled: 0, 'not-run': 0 },
      resumed: false,
      makespanMs: 10,
      lowerBoundMs: 10,
      criticalPath: ['<img src=x>'],
      breakerChanges: [],
      inDoubt: [],
      checkpointErrors: [],
      dependsOn: { '<img src=x>': [] },
      logDir: '/logs',
    });
    expect(html).not.toContain('<img src=x>');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;img src=x&gt;');
  });
});
