import { describe, expect, it } from 'vitest';
import { loadWorkstreams } from '@sdp/cli';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFeature, writeFeature } from './feature-generator.js';
import { runHarness } from './kill-harness.js';
import { killPlanKinds } from './kill-plan.js';

// A small seeded run of the kill -9 harness (the full one is `pnpm test:crash`, see docs/reliability.md).

describe('the kill -9 resume harness', () => {
  it('kills sdp-dispatch at seeded instants and resumes until done, every invariant holding', { timeout: 120_000 }, async () => {
    const report = await runHarness({ seed: 7000, kills: 8, workstreams: 52 });
    const { totals } = report;
    expect(totals.kills).toBeGreaterThanOrEqual(8);
    expect(totals.runs).toBe(totals.kills + totals.trials);
    // Every execution beyond the first of each workstream is work a kill interrupted, no more.
    expect(totals.starts).toBe(52 * totals.trials + totals.reExecutions);
    expect(totals.maxExecutingAtKill).toBeLessThanOrEqual(4);
    expect(totals.maxLostPerKill).toBe(Math.max(...report.trials.map((trial) => trial.maxLostPerKill)));
    expect(Object.keys(totals.killsByPlan)).toEqual([...killPlanKinds]);
  });
});

describe('the generated feature', () => {
  it('is the same for the same seed, 50+ workstreams, and loads through the CLI loader as generated', async () => {
    const feature = generateFeature({ seed: 12 });
    expect(generateFeature({ seed: 12 })).toEqual(feature);
    expect(generateFeature({ seed: 13 })).not.toEqual(feature);
    expect(feature.ids.length).toBeGreaterThanOrEqual(50);
    const dir = await mkdtemp(join(tmpdir(), 'sdp-crash-feature-'));
    try {
      await writeFeature(dir, feature, 12);
      const loaded = await loadWorkstreams(dir);
      expect(loaded.featureId).toBe('F070');
      expect(new Map(loaded.nodes.map((node) => [node.id, [...node.dependsOn].sort()]))).toEqual(
        new Map([...feature.dependsOn].map(([id, deps]) => [id, [...deps].sort()])),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
