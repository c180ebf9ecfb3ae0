// CommonJS consumer of @sdp/checkpoint, run from the installed tarball as cjs.cjs (kept as .js here
// only because the repository's ESLint config type-checks .cjs files). The last stdout line is read by
// pack-and-consume.mjs.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- require() is what this consumer tests */
const assert = require('node:assert/strict');
const { mkdtemp, readdir, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { CHECKPOINT_VERSION, CheckpointStore, isCheckpointNotLockedError } = require('@sdp/checkpoint');

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

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'sdp-checkpoint-cjs-'));
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
        resolved: require.resolve('@sdp/checkpoint'),
        result: `acquire, save ×2, load ${loaded.completed.length} completed, delete, release; nothing left`,
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
