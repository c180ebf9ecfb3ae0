import { lstat, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointStore } from '@sdp/checkpoint';
import type { CommonArgs } from './args.js';
import { loadFeature } from './load-feature.js';
import type { Output } from './reporter.js';
import { featureStatePaths } from './status-command.js';

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** Removes `path` when it is a file or a symbolic link (never what a link points at); false when there is none. */
async function removeOwnFile(path: string): Promise<boolean> {
  try {
    if ((await lstat(path)).isDirectory()) return false;
    await unlink(path);
    return true;
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return false;
    throw error;
  }
}

/**
 * `sdp-dispatch clean`: removes exactly the files this tool writes for the feature, and names each: the checkpoint,
 * its backup, journal and temp files (refused while a run holds the lock), and one `<ws>.log` per workstream of the
 * feature under the state directory's logs. Nothing else: no folder is removed unless it is left empty, `.corrupt`
 * evidence and run records are kept.
 */
export async function cleanCommand(args: CommonArgs, out: Output): Promise<number> {
  const { loaded, graph } = await loadFeature(args);
  const { checkpointDir, logDir } = featureStatePaths(args, loaded.featureId);
  const store = new CheckpointStore({ featureId: loaded.featureId, dir: checkpointDir });
  await store.acquire();
  let removed: string[];
  try {
    removed = await store.delete();
  } finally {
    await store.release();
  }
  for (const id of graph.ids()) {
    const log = join(logDir, `${id}.log`);
    if (await removeOwnFile(log)) removed.push(log);
  }
  await rmdir(logDir).catch(() => undefined);
  const lines =
    removed.length === 0
      ? [`Feature ${loaded.featureId}: nothing to remove`]
      : [`Feature ${loaded.featureId}: removed`, ...removed.map((path) => `  ${path}`)];
  out.write(`${lines.join('\n')}\n`);
  return 0;
}
