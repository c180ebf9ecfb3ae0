// ESM consumer of @sdp/checkpoint, run from the installed tarball. Named imports are checked when the
// module links; the last stdout line is read by pack-and-consume.mjs.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_VERSION, CheckpointStore, isCheckpointNotLockedError } from '@sdp/checkpoint';

const dir = await mkdtemp(join(tmpdir(), 'sdp-checkpoint-esm-'));
try {
  const store = new CheckpointStore({ featureId: 'F001', dir });
  await assert.rejects(store.save(checkpoint(['00-001-01'])), isCheckpointNotLockedError);
  await store.acquire();
  assert.equal(await store.load(), null);
  await store.save(checkpoint(['00-001-01']));
  await store.save(checkpoint(['00-001-01', '00-001-02']));
  const loaded = await store.load();
  assert.deepEqual(loaded?.completed, ['00-001-01', '00-001-02']);
  await store.delete();
  assert.equal(await store.load(), null);
  await store.release();
  assert.equal(store.isLocked, false);
  assert.deepEqual(await readdir(dir), []);
  console.log(
    JSON.stringify({
      resolved: import.meta.resolve('@sdp/checkpoint'),
      result: `acquire, save ×2, load ${loaded.completed.length} completed, delete, release; nothing left`,
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}

function checkpoint(completed) {
  return {
    version: CHECKPOINT_VERSION,
    feature_id: 'F001',
    timestamp: new Date().toISOString(),
    completed,
    failed: [],
    graph: null,
    circuit_breaker: null,
  };
}
