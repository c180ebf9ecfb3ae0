import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredRunRecord } from './run-record.js';
import { DEFAULT_RUNS_KEPT, isRunRecordError, newRunId, RunStore } from './run-store.js';

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'sdp-runs-')), 'runs', 'F001');
});
afterEach(async () => {
  await rm(join(dir, '..', '..'), { recursive: true, force: true });
});

const t0 = Date.UTC(2026, 11, 3, 12, 0, 0);

function recordAt(startedAt: number, outcome: StoredRunRecord['outcome'] = 'completed'): StoredRunRecord {
  return {
    version: 1,
    runId: newRunId(startedAt),
    featureId: 'F001',
    outcome,
    startedAt,
    endedAt: startedAt + 1000,
    concurrency: 2,
    graphFingerprint: 'abc',
    results: [
      {
        id: 'a',
        status: 'completed',
        attempts: 1,
        attemptRecords: [{ attempt: 1, startedAt, endedAt: startedAt + 1000, outcome: 'completed' }],
        startedAt,
        durationMs: 1000,
        alreadyCompleted: false,
        rerunAfterCrash: false,
      },
    ],
    totals: { completed: 1, failed: 0, skipped: 0, cancelled: 0, 'not-run': 0 },
    resumed: false,
    makespanMs: 1000,
    lowerBoundMs: 1000,
    criticalPath: ['a'],
    breakerChanges: [],
    inDoubt: [],
    checkpointErrors: [],
    dependsOn: { a: [] },
    logDir: '/logs',
  };
}

describe('run ids', () => {
  it('sort by the time the run started, whatever the random part', () => {
    const ids = [t0 + 5, t0 + 1000, t0, t0 + 86_400_000, t0 + 999].map((time, index) =>
      newRunId(time, () => ['ffffff', '000000', 'a1b2c3', '000001', 'fffffe'][index] ?? ''),
    );
    expect([...ids].sort()).toEqual([ids[2], ids[0], ids[4], ids[1], ids[3]]);
    expect(newRunId(t0, () => '4f9a0c')).toBe('20261203T120000000Z-4f9a0c');
    expect(newRunId(t0)).toMatch(/^20261203T120000000Z-[0-9a-f]{6}$/);
  });
});

describe('RunStore', () => {
  it('writes a record that reads back the same, and names the newest as latest', async () => {
    const store = new RunStore(dir);
    expect(await store.latest()).toBeUndefined();
    const first = recordAt(t0);
    const second = recordAt(t0 + 60_000, 'failed');
    expect(await store.write(second)).toBe(join(dir, `${second.runId}.json`));
    await store.write(first);
    expect(await store.read(first.runId)).toEqual(first);
    expect(await store.latest()).toEqual(second);
    expect(await store.list()).toEqual([first.runId, second.runId]);
  });

  it(`keeps only the newest ${DEFAULT_RUNS_KEPT} by default, and as many as asked`, async () => {
    const store = new RunStore(dir);
    const records = Array.from({ length: DEFAULT_RUNS_KEPT + 5 }, (_, index) => recordAt(t0 + index * 1000));
    for (const record of records) await store.write(record);
    expect(await store.list()).toEqual(records.slice(5).map((record) => record.runId));
    const small = new RunStore(dir, 3);
    await small.write(recordAt(t0 + 999_999));
    expect(await small.list()).toHaveLength(3);
    expect(() => new RunStore(dir, 0)).toThrow(RangeError);
    expect(() => new RunStore(dir, 1.5)).toThrow('keep must be an integer >= 1, got 1.5');
  });

  it('a write that fails leaves the earlier records and no temp file behind', async () => {
    const store = new RunStore(dir);
    const kept = recordAt(t0);
    await store.write(kept);
    const doomed = recordAt(t0 + 1000);
    // A directory where the record goes: the final rename fails, as a full disk or a dead disk would fail it.
    await mkdir(join(dir, `${doomed.runId}.json`, 'occupied'), { recursive: true });
    await expect(store.write(doomed)).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual([`${kept.runId}.json`, `${doomed.runId}.json`].sort());
    expect(await store.read(kept.runId)).toEqual(kept);
  });

  it('passes over temp files a killed writer left, and refuses a truncated or newer record with a typed error', async () => {
    const store = new RunStore(dir);
    const good = recordAt(t0);
    await store.write(good);
    const text = JSON.stringify(recordAt(t0 + 1000));
    await writeFile(join(dir, `${newRunId(t0 + 1000, () => 'aaaaaa')}.json.3141592`), text.slice(0, 40));
    await writeFile(join(dir, 'notes.txt'), 'not a record');
    expect(await store.list()).toEqual([good.runId]);

    const truncatedId = newRunId(t0 + 2000, () => 'bbbbbb');
    await writeFile(join(dir, `${truncatedId}.json`), text.slice(0, text.length / 2));
    const truncated = await store.read(truncatedId).catch((error: unknown) => error);
    expect(isRunRecordError(truncated) && truncated.code).toBe('CLI_RUN_RECORD_INVALID');
    expect(String(truncated)).toContain(`${truncatedId}.json is not valid JSON`);

    const newerId = newRunId(t0 + 3000, () => 'cccccc');
    await writeFile(join(dir, `${newerId}.json`), JSON.stringify({ ...recordAt(t0 + 3000), version: 2 }));
    await expect(store.read(newerId)).rejects.toThrow('version 2 is not 1 (written by a newer sdp-dispatch?)');

    const missing = await store.read(newRunId(t0, () => 'dddddd')).catch((error: unknown) => error);
    expect(isRunRecordError(missing) && missing.code).toBe('CLI_RUN_NOT_FOUND');
  });

  it('refuses a run id that would not sort by time', async () => {
    await expect(new RunStore(dir).write({ ...recordAt(t0), runId: '../escape' })).rejects.toThrow(RangeError);
  });
});
