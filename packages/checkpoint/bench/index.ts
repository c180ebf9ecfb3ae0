/**
 * Save and load latency of checkpoints of 100, 10k and 100k workstreams: a completed list, a graph
 * snapshot with about three dependencies per workstream, the breaker, and the dispatcher's extras.
 * Then `update`: its latency and main-thread time at 10k workstreams, and the bytes a whole run of
 * updates writes (checkpoint files and journal) against the size of its final checkpoint.
 * Writes to a temp directory on the disk of `os.tmpdir()`, with every fsync a real one.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { disk } from '../src/disk.js';
import { type Checkpoint, type CheckpointUpdate, CheckpointStore } from '../src/index.js';

function wsId(index: number): string {
  return `00-052-${String(index).padStart(6, '0')}`;
}

function checkpointOf(size: number, done = Math.floor(size / 2)): Checkpoint {
  const nodes = [];
  const edges: Record<string, string[]> = {};
  for (let index = 0; index < size; index += 1) {
    const dependsOn = [index - 1, index - 7, index - 31].filter((dep) => dep >= 0).map(wsId);
    nodes.push({ id: wsId(index), depends_on: dependsOn, indegree: index < done ? 0 : dependsOn.length, completed: index < done });
    edges[wsId(index)] = [];
    for (const dep of dependsOn) (edges[dep] ??= []).push(wsId(index));
  }
  const completed = nodes.slice(0, done).map((node) => node.id);
  return {
    version: '1.0',
    feature_id: 'F052',
    timestamp: new Date().toISOString(),
    completed,
    failed: [],
    graph: { nodes, edges },
    circuit_breaker: {
      state: 0,
      failure_count: 0,
      success_count: 3,
      consecutive_opens: 0,
      last_failure_time: '0001-01-01T00:00:00Z',
    },
    graph_fingerprint: 'sha256:5f1c0ffee',
    running: nodes.slice(done, done + 3).map((node) => node.id),
    skipped: {},
    attempts: Object.fromEntries(completed.map((id) => [id, 1])),
    durations_ms: Object.fromEntries(completed.map((id) => [id, 1234])),
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

async function measure(size: number, saves: number): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'sdp-checkpoint-bench-'));
  try {
    const store = new CheckpointStore({ featureId: 'F052', dir });
    await store.acquire();
    const checkpoint = checkpointOf(size);
    await store.save(checkpoint); // warm-up; from here on every save also keeps the backup
    const saveMs: number[] = [];
    const started = performance.now();
    for (let run = 0; run < saves; run += 1) {
      const before = performance.now();
      await store.save(checkpoint);
      saveMs.push(performance.now() - before);
    }
    const totalSeconds = (performance.now() - started) / 1000;
    const loadMs: number[] = [];
    for (let run = 0; run < Math.min(saves, 20); run += 1) {
      const before = performance.now();
      await store.load();
      loadMs.push(performance.now() - before);
    }
    const bytes = (await stat(store.path)).size;
    await store.release();
    saveMs.sort((a, b) => a - b);
    loadMs.sort((a, b) => a - b);
    return {
      workstreams: size.toLocaleString('en-US'),
      'file size': formatBytes(bytes),
      'save p50 (ms)': percentile(saveMs, 0.5).toFixed(1),
      'save p95 (ms)': percentile(saveMs, 0.95).toFixed(1),
      'saves/s': (saves / totalSeconds).toFixed(1),
      'load p50 (ms)': percentile(loadMs, 0.5).toFixed(1),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What a dispatcher sends when `ids` have finished: them, their attempts and durations, what runs now, the breaker. */
function updateFor(ids: readonly string[], running: readonly string[], seq: number): CheckpointUpdate {
  return {
    timestamp: new Date(Date.UTC(2026, 1, 7, 12) + seq * 10).toISOString(),
    completed: [...ids],
    running: [...running],
    attempts: Object.fromEntries(ids.map((id) => [id, 1])),
    durations_ms: Object.fromEntries(ids.map((id, index) => [id, 900 + ((seq + index) % 200)])),
    circuit_breaker: {
      state: 0,
      failure_count: 0,
      success_count: seq,
      consecutive_opens: 0,
      last_failure_time: '0001-01-01T00:00:00Z',
      last_state_change: '2026-02-07T12:00:00.000Z',
    },
  };
}

function formatBytes(bytes: number): string {
  return bytes > 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

/** Latency and main-thread time of `updates` updates of `batch` completions each, on a checkpoint half done. */
async function measureUpdates(size: number, batch: number, updates: number): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'sdp-checkpoint-bench-'));
  try {
    const store = new CheckpointStore({ featureId: 'F052', dir });
    await store.acquire();
    const checkpoint = checkpointOf(size);
    await store.save(checkpoint);
    const open = checkpoint.graph!.nodes.filter((node) => !node.completed).map((node) => node.id);
    const updateMs: number[] = [];
    const loop = performance.eventLoopUtilization();
    const started = performance.now();
    for (let seq = 0; seq < updates; seq += 1) {
      const ids = open.slice(seq * batch, (seq + 1) * batch);
      const before = performance.now();
      await store.update(updateFor(ids, open.slice((seq + 1) * batch, (seq + 1) * batch + 16), seq));
      updateMs.push(performance.now() - before);
    }
    const totalSeconds = (performance.now() - started) / 1000;
    // Time the event loop was busy, not waiting for the thread pool (where the write and fdatasync run).
    const busy = performance.eventLoopUtilization(loop);
    await store.release();
    updateMs.sort((a, b) => a - b);
    return {
      workstreams: size.toLocaleString('en-US'),
      'completions/update': String(batch),
      'update p50 (ms)': percentile(updateMs, 0.5).toFixed(2),
      'update p95 (ms)': percentile(updateMs, 0.95).toFixed(2),
      'updates/s': (updates / totalSeconds).toFixed(0),
      'main thread/update (ms)': (busy.active / updates).toFixed(3),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A whole run: save the checkpoint of `size` workstreams, none done, then complete them all, `batch` per
 * update, then compact (as the dispatcher does before it stops). Counts every byte written to a checkpoint
 * file or the journal.
 */
async function simulateRun(size: number, batch: number): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'sdp-checkpoint-bench-'));
  const { write, writeFileAtomic } = disk;
  let journalBytes = 0;
  let fileBytes = 0;
  let files = 0;
  disk.write = async (handle, bytes, offset, length, position) => {
    journalBytes += length;
    return write(handle, bytes, offset, length, position);
  };
  disk.writeFileAtomic = async (path, bytes) => {
    fileBytes += bytes.length;
    files += 1;
    return writeFileAtomic(path, bytes);
  };
  try {
    const store = new CheckpointStore({ featureId: 'F052', dir });
    await store.acquire();
    const checkpoint = checkpointOf(size, 0);
    await store.save(checkpoint);
    const ids = checkpoint.graph!.nodes.map((node) => node.id);
    const started = performance.now();
    const updates = Math.ceil(size / batch);
    for (let seq = 0; seq < updates; seq += 1) {
      await store.update(updateFor(ids.slice(seq * batch, (seq + 1) * batch), ids.slice((seq + 1) * batch, (seq + 1) * batch + 16), seq));
    }
    await store.compact();
    const seconds = (performance.now() - started) / 1000;
    const final = (await stat(store.path)).size;
    await store.release();
    return {
      workstreams: size.toLocaleString('en-US'),
      updates: `${updates} of ${batch}`,
      'checkpoint files': `${files} (${formatBytes(fileBytes)})`,
      journal: formatBytes(journalBytes),
      'final file': formatBytes(final),
      'written / final': `${((fileBytes + journalBytes) / final).toFixed(1)}x`,
      'run (s)': seconds.toFixed(1),
    };
  } finally {
    disk.write = write;
    disk.writeFileAtomic = writeFileAtomic;
    await rm(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const [size, saves] of [
  [100, 200],
  [10_000, 40],
  [100_000, 10],
] as const) {
  rows.push(await measure(size, saves));
}
console.table(rows);
console.table([await measureUpdates(10_000, 16, 300), await measureUpdates(100_000, 16, 100)]);
console.table([await simulateRun(10_000, 8), await simulateRun(100_000, 8)]);
