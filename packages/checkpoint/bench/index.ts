/**
 * Save and load latency of checkpoints of 100, 10k and 100k workstreams: a completed list, a graph
 * snapshot with about three dependencies per workstream, the breaker, and the dispatcher's extras.
 * Writes to a temp directory on the disk of `os.tmpdir()`, with every fsync a real one.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Checkpoint, CheckpointStore } from '../src/index.js';

function wsId(index: number): string {
  return `00-052-${String(index).padStart(6, '0')}`;
}

function checkpointOf(size: number): Checkpoint {
  const done = Math.floor(size / 2);
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
      'file size': bytes > 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`,
      'save p50 (ms)': percentile(saveMs, 0.5).toFixed(1),
      'save p95 (ms)': percentile(saveMs, 0.95).toFixed(1),
      'saves/s': (saves / totalSeconds).toFixed(1),
      'load p50 (ms)': percentile(loadMs, 0.5).toFixed(1),
    };
  } finally {
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
