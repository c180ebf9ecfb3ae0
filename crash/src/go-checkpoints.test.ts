import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointStore } from '@sdp/checkpoint';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chain, gatedExecutor, Sandbox } from './sandbox.js';

// Issue 17: what the seed's Go implementation really writes loads, resumes without re-running completed work,
// and our rewrite of it is still what Go's `json.Unmarshal` into its structs accepts (fixtures/go/README.md).

const fixture = (name: string) => new URL(`./fixtures/go/${name}`, import.meta.url);
let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await Sandbox.create();
});

afterEach(async () => {
  await sandbox.cleanup();
});

async function placeFixture(featureId: string): Promise<string> {
  await mkdir(sandbox.checkpointDir, { recursive: true });
  const target = sandbox.checkpointFile(featureId);
  await copyFile(fixture(`${featureId}-checkpoint.json`), target);
  return target;
}

/** What Go's decoder needs of a JSON value for each field of the seed's structs (unknown keys it ignores). */
type GoType = 'string' | 'int' | 'bool' | 'time' | '[]string' | { readonly [field: string]: GoType } | readonly [GoType];
const nodeSnapshot: GoType = { id: 'string', depends_on: '[]string', indegree: 'int', completed: 'bool' };
const goCheckpoint: GoType = {
  version: 'string',
  feature_id: 'string',
  timestamp: 'time',
  completed: '[]string',
  failed: '[]string',
  graph: { nodes: [nodeSnapshot], edges: { '*': '[]string' } },
  circuit_breaker: { state: 'int', failure_count: 'int', success_count: 'int', consecutive_opens: 'int', last_failure_time: 'time' },
};
// time.Time's UnmarshalJSON: RFC 3339, fractional seconds optional, Z or an offset.
const GO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)$/;

/** Problems Go's `json.Unmarshal` would have with `value` as `type` (null is fine for slices, maps, pointers). */
function goProblems(value: unknown, type: GoType, path = '$'): string[] {
  if (Array.isArray(type)) {
    if (value === null) return [];
    if (!Array.isArray(value)) return [`${path}: not an array`];
    return value.flatMap((item, index) => goProblems(item, type[0] as GoType, `${path}[${index}]`));
  }
  if (typeof type === 'object') {
    if (value === null) return [];
    if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: not an object`];
    const record = value as Record<string, unknown>;
    const any = (type as Record<string, GoType>)['*'];
    if (any !== undefined) return Object.entries(record).flatMap(([key, item]) => goProblems(item, any, `${path}.${key}`));
    return Object.entries(type as Record<string, GoType>).flatMap(([key, field]) =>
      key in record ? goProblems(record[key], field, `${path}.${key}`) : [],
    );
  }
  switch (type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: not a string`];
    case 'int':
      return Number.isSafeInteger(value) ? [] : [`${path}: not an int`];
    case 'bool':
      return typeof value === 'boolean' ? [] : [`${path}: not a bool`];
    case 'time':
      return typeof value === 'string' && GO_TIME.test(value) ? [] : [`${path}: not a time.Time`];
    case '[]string':
      return value === null || (Array.isArray(value) && value.every((item) => typeof item === 'string')) ? [] : [`${path}: not a []string`];
  }
}

describe('checkpoints written by the seed Go implementation', () => {
  it('checks our Go-type checker against the fixtures themselves', async () => {
    for (const name of ['F077-checkpoint.json', 'F078-checkpoint.json']) {
      expect(goProblems(JSON.parse(await readFile(fixture(name), 'utf8')), goCheckpoint)).toEqual([]);
    }
    expect(goProblems({ completed: [1], timestamp: '2026-02-07 12:00', graph: { nodes: [{ indegree: 1.5 }] } }, goCheckpoint)).toEqual([
      '$.timestamp: not a time.Time',
      '$.completed: not a []string',
      '$.graph.nodes[0].indegree: not an int',
    ]);
  });

  it('empty version, nanosecond times with zones, failed nodes marked completed: loads, resumes, retries the failure', async () => {
    const feature = await sandbox.writeFeature('f077', chain(77, 5));
    const path = await placeFixture('F077');
    const original = await readFile(path);

    const status = await sandbox.run(['status', feature, '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      state: 'ok',
      completed: ['00-077-01', '00-077-02'],
      failed: ['00-077-03'],
      notRun: ['00-077-04', '00-077-05'],
      timestamp: '2026-02-07T13:34:56.123456789+01:00',
    });
    expect(await readFile(path)).toEqual(original);

    // 05 fails, so the run keeps (rewrites) the checkpoint; 01 and 02 are not run again, 03 is retried.
    const run = await sandbox.run(['run', feature, '--exec', gatedExecutor], { FAIL_IDS: '00-077-05' });
    expect(run.code, run.stderr).toBe(1);
    expect(await sandbox.starts()).toEqual(['00-077-03', '00-077-04', '00-077-05']);

    const rewritten = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(goProblems(rewritten, goCheckpoint)).toEqual([]);
    expect(rewritten).toMatchObject({
      version: '1.0',
      feature_id: 'F077',
      completed: expect.arrayContaining(['00-077-01', '00-077-02', '00-077-03', '00-077-04']) as unknown,
      // The failure Go recorded was retried (and succeeded); the new one stays recorded.
      failed: ['00-077-05'],
    });
    const loaded = await new CheckpointStore({ featureId: 'F077', dir: sandbox.checkpointDir }).load();
    expect(loaded?.failed).toEqual(['00-077-05']);
  });

  it('null lists and an empty graph ({"nodes": null, "edges": null}) record nothing: a run runs everything', async () => {
    const feature = await sandbox.writeFeature('f078', chain(78, 3));
    const path = await placeFixture('F078');
    const status = await sandbox.run(['status', feature, '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      state: 'ok',
      completed: [],
      failed: [],
      notRun: ['00-078-01', '00-078-02', '00-078-03'],
    });
    const run = await sandbox.run(['run', feature, '--exec', gatedExecutor], { FAIL_IDS: '00-078-03' });
    expect(run.code, run.stderr).toBe(1);
    expect(await sandbox.starts()).toEqual(['00-078-01', '00-078-02', '00-078-03']);
    const rewritten = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(goProblems(rewritten, goCheckpoint)).toEqual([]);
    expect(rewritten['completed']).toEqual(['00-078-01', '00-078-02']);
  });

  it('a feature id Go accepts (F10ü) is one we accept; separators, "..", control characters are not', async () => {
    const store = new CheckpointStore({ featureId: 'F10ü', dir: sandbox.checkpointDir });
    await store.acquire();
    try {
      await store.save({
        version: '1.0',
        feature_id: 'F10ü',
        timestamp: '2026-02-07T12:00:00Z',
        completed: ['a'],
        failed: [],
        graph: null,
        circuit_breaker: null,
      });
      expect((await store.load())?.completed).toEqual(['a']);
      expect(store.path).toBe(join(sandbox.checkpointDir, 'F10ü-checkpoint.json'));
    } finally {
      await store.release();
    }
    for (const featureId of ['a/b', 'a\\b', '..', 'F..1', 'F\n1', 'x'.repeat(129)]) {
      expect(() => new CheckpointStore({ featureId, dir: sandbox.checkpointDir }), featureId).toThrow(TypeError);
    }
  });
});
