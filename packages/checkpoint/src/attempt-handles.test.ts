import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckpointUpdate } from './checkpoint.js';
import { CheckpointStore } from './checkpoint-store.js';
import { validateCheckpoint } from './validate-checkpoint.js';
import { makeTempDir, manualClock, sampleCheckpoint } from './test-support.js';

// INTERFACES.md section 2: `attempt_handles`, the handle of each workstream's running attempt, in the checkpoint
// and in updates (null removes one): validated, journaled, replayed after a crash, kept by compaction.

let dir: string;
let cleanup: () => Promise<void>;
const stores: CheckpointStore[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});

afterEach(async () => {
  for (const store of stores.splice(0)) await store.release();
  await cleanup();
});

function store(): CheckpointStore {
  const created = new CheckpointStore({ featureId: 'F052', dir, clock: manualClock() });
  stores.push(created);
  return created;
}

const at = (second: number) => `2026-02-07T13:00:${String(second).padStart(2, '0')}Z`;
const a = '00-052-000010';
const b = '00-052-000011';
const handleA = { pgid: 4242, host: 'build-1', logPath: '/x/a.log', detached: true };

describe('attempt handles', () => {
  it('are set and removed by updates, replayed from the journal after a crash, and kept by compaction', async () => {
    const writer = store();
    await writer.acquire();
    await writer.save(sampleCheckpoint(20, 10));
    await writer.update({ timestamp: at(1), running: [a, b], attempt_handles: { [a]: handleA, [b]: { pgid: 7 } } });
    await writer.update({ timestamp: at(2), completed: [b], running: [a], attempt_handles: { [b]: null } });
    // Another process reads it (journal replayed); the writer is killed without compacting.
    expect((await store().load())?.attempt_handles).toEqual({ [a]: handleA });
    await writer.release();
    const next = store();
    await next.acquire();
    expect((await next.load())?.attempt_handles).toEqual({ [a]: handleA });
    await next.update({ timestamp: at(3), attempt_handles: { [a]: null } });
    expect(await next.load()).not.toHaveProperty('attempt_handles');
    await next.update({ timestamp: at(4), attempt_handles: { [a]: { pgid: 9 } } });
    await next.compact();
    const file = JSON.parse(await readFile(next.path, 'utf8')) as Record<string, unknown>;
    expect(file['attempt_handles']).toEqual({ [a]: { pgid: 9 } });
  });

  it('are validated: a flat object of scalars, for workstreams of the graph', async () => {
    const writer = store();
    await writer.acquire();
    await writer.save(sampleCheckpoint(20, 10));
    const bad: [NonNullable<CheckpointUpdate['attempt_handles']>, string][] = [
      [{ [a]: { nested: { x: 1 } } } as never, `$.attempt_handles["${a}"].nested`],
      [{ [a]: { n: Number.NaN } }, `$.attempt_handles["${a}"].n`],
      [{ [a]: 'pgid 1' } as never, `$.attempt_handles["${a}"]`],
      [{ 'no-such-ws': { pgid: 1 } }, '$.attempt_handles["no-such-ws"]'],
    ];
    for (const [handles, jsonPath] of bad) {
      await expect(writer.update({ timestamp: at(1), attempt_handles: handles }), jsonPath).rejects.toMatchObject({
        code: 'CHECKPOINT_INVALID',
        jsonPath,
      });
    }
    expect(() => validateCheckpoint({ ...sampleCheckpoint(3, 1), attempt_handles: { nope: { pgid: 1 } } })).toThrow(
      'keyed by a workstream of the checkpoint',
    );
    expect(validateCheckpoint({ ...sampleCheckpoint(3, 1), graph: null, attempt_handles: { any: { pgid: 1 } } }).attempt_handles).toEqual({
      any: { pgid: 1 },
    });
  });
});
