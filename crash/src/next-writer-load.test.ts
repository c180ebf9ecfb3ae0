import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore, type Checkpoint } from '@sdp/checkpoint';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAsNextWriter } from './next-writer-load.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sdp-next-writer-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base: Checkpoint = {
  version: '1.0',
  feature_id: 'F074',
  timestamp: '2026-02-07T12:00:00Z',
  completed: [],
  failed: [],
  graph: null,
  circuit_breaker: null,
};

/** A writer that saved, appended two updates and still holds the lock (as a killed run leaves it). */
async function killedWriter(): Promise<CheckpointStore> {
  const store = new CheckpointStore({ featureId: 'F074', dir });
  await store.acquire();
  await store.save(base);
  await store.update({ timestamp: '2026-02-07T12:00:01Z', completed: ['00-074-01'] });
  await store.update({ timestamp: '2026-02-07T12:00:02Z', completed: ['00-074-02'] });
  return store;
}

describe('loadAsNextWriter', () => {
  it('loads what a reader loads, the journal merged, and leaves the folder as it was', async () => {
    const store = await killedWriter();
    const before = await readdir(dir);
    const { checkpoint, recovered } = await loadAsNextWriter(dir, 'F074');
    expect(checkpoint).toEqual(await new CheckpointStore({ featureId: 'F074', dir }).load());
    expect(checkpoint?.completed).toEqual(['00-074-01', '00-074-02']);
    expect(recovered).toEqual([]);
    expect(await readdir(dir)).toEqual(before);
    expect(store.isLocked).toBe(true);
    await store.release();
  });

  it('reports a damaged journal, which a reader passes over in silence', async () => {
    const store = await killedWriter();
    await store.release();
    // One byte of the first record changed: that record alone is lost, the second one still applies.
    const journal = await readFile(store.journalPath);
    const at = journal.indexOf('00-074-01');
    journal[at] = '1'.charCodeAt(0);
    await writeFile(store.journalPath, journal);

    const reader = new CheckpointStore({ featureId: 'F074', dir });
    const readerRecovered: unknown[] = [];
    reader.onRecover((event) => readerRecovered.push(event));
    expect((await reader.load())?.completed).toEqual(['00-074-02']);
    expect(readerRecovered).toEqual([]);

    const { checkpoint, recovered } = await loadAsNextWriter(dir, 'F074');
    expect(checkpoint?.completed).toEqual(['00-074-02']);
    expect(recovered).toEqual([
      expect.objectContaining({ from: 'journal', reason: expect.stringContaining('journal record 1') as unknown }),
    ]);
    // The damaged journal is still where it was: only the copy was repaired.
    expect(await readFile(store.journalPath)).toEqual(journal);
  });
});
