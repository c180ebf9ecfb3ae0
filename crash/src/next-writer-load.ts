import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CheckpointStore, type Checkpoint, type RecoverEvent } from '@sdp/checkpoint';

/**
 * Loads the checkpoint in `dir` as the next writer will: holding the lock, so that damage an unlocked load
 * passes over in silence (a damaged journal: it returns the records before the damage without a word) is
 * reported in `recovered`. It works on a copy of the checkpoint file, its backup and its journal, so the
 * folder stays exactly as it was, a dead run's lock included (the resume must take that over itself).
 */
export async function loadAsNextWriter(
  dir: string,
  featureId: string,
): Promise<{ checkpoint: Checkpoint | null; recovered: RecoverEvent[] }> {
  const copy = await mkdtemp(join(tmpdir(), 'sdp-next-writer-'));
  try {
    const store = new CheckpointStore({ featureId, dir: copy });
    for (const path of [store.path, store.backupPath, store.journalPath]) {
      await copyFile(join(dir, basename(path)), path).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      });
    }
    const recovered: RecoverEvent[] = [];
    store.onRecover((event) => recovered.push(event));
    await store.acquire();
    try {
      return { checkpoint: await store.load(), recovered };
    } finally {
      await store.release();
    }
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}
