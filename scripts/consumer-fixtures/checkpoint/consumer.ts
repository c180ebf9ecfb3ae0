// Type-checked against the published declarations in a fresh npm project, as consumer.mts and
// consumer.cts (module node16) and as consumer.ts (moduleResolution bundler): no top-level await and no
// import.meta, so the same text is valid ESM and CommonJS. The @ts-expect-error lines fail the
// compilation if the types resolve to `any`.
import {
  CHECKPOINT_VERSION,
  CheckpointStore,
  isCheckpointLockedError,
  validateCheckpoint,
  type Checkpoint,
  type RecoverEvent,
} from '@sdp/checkpoint';

export async function saveProgress(dir: string, completed: string[]): Promise<Checkpoint | 'locked'> {
  const store = new CheckpointStore({ featureId: 'F001', dir, staleMs: 30_000 });
  const dispose = store.onRecover(({ movedTo, reason }: RecoverEvent) => {
    console.warn(`recovered from the backup (${reason}), damaged file kept as ${movedTo}`);
  });
  try {
    await store.acquire();
  } catch (error) {
    if (isCheckpointLockedError(error)) return 'locked';
    throw error;
  }
  try {
    const previous: Checkpoint | null = await store.load();
    const next: Checkpoint = {
      version: CHECKPOINT_VERSION,
      feature_id: store.featureId,
      timestamp: new Date().toISOString(),
      completed: [...(previous?.completed ?? []), ...completed],
      failed: [],
      graph: null,
      circuit_breaker: null,
    };
    await store.save(validateCheckpoint(next));
    return next;
  } finally {
    dispose();
    await store.release();
  }
}

// @ts-expect-error: featureId is required
new CheckpointStore({ dir: '.sdp/checkpoints' });
