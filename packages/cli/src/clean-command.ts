import { rm } from 'node:fs/promises';
import { CheckpointStore } from '@sdp/checkpoint';
import type { CommonArgs } from './args.js';
import { loadFeature } from './load-feature.js';
import { logDirOf } from './paths.js';
import type { Output } from './reporter.js';

/** `sdp-dispatch clean`: removes the feature's checkpoint (refused while a run holds its lock) and its logs. */
export async function cleanCommand(args: CommonArgs, out: Output): Promise<number> {
  const { loaded } = await loadFeature(args);
  const store = new CheckpointStore({ featureId: loaded.featureId, dir: args.checkpointDir });
  await store.acquire();
  try {
    await store.delete();
  } finally {
    await store.release();
  }
  const logDir = logDirOf(args.checkpointDir, loaded.featureId);
  await rm(logDir, { recursive: true, force: true });
  out.write(`Feature ${loaded.featureId}: removed ${store.path} and ${logDir}\n`);
  return 0;
}
