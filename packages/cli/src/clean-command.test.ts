import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore } from '@sdp/checkpoint';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommonArgs } from './args.js';
import { cleanCommand } from './clean-command.js';
import { statusCommand } from './status-command.js';

// Issue 17: `clean` deletes exactly the files the tool writes for the feature and names each; it never removes a
// folder it does not own, never follows a link; `status` changes nothing and says what a run would do.

let root: string;
let previousCwd: string;
const ids = ['00-061-01', '00-061-02'];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sdp-clean-'));
  previousCwd = process.cwd();
  process.chdir(root);
  await mkdir(join(root, '.git'));
  const dir = join(root, 'ws');
  await mkdir(dir);
  for (const [index, id] of ids.entries()) {
    const dependsOn = index === 0 ? '[]' : `[${ids[index - 1] ?? ''}]`;
    await writeFile(join(dir, `${id}.md`), `---\nws_id: ${id}\nfeature_id: F061\ndepends_on: ${dependsOn}\n---\n# ${id}\n`);
  }
});

afterEach(async () => {
  process.chdir(previousCwd);
  await rm(root, { recursive: true, force: true });
});

function output(): { write: (text: string) => boolean; text: () => string } {
  let text = '';
  return {
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
    text: () => text,
  };
}

const args = (extra: Partial<CommonArgs> = {}): CommonArgs => ({
  dir: join(root, 'ws'),
  checkpointDir: join(root, '.sdp/checkpoints'),
  stateRoot: root,
  exclude: [],
  json: false,
  verbose: false,
  ...extra,
});

async function seedCheckpoint(dir: string): Promise<CheckpointStore> {
  const store = new CheckpointStore({ featureId: 'F061', dir });
  await store.acquire();
  await store.save({
    version: '1.0',
    feature_id: 'F061',
    timestamp: '2026-02-07T12:00:00Z',
    completed: [ids[0]!],
    failed: [],
    graph: null,
    circuit_breaker: null,
  });
  await store.update({ timestamp: '2026-02-07T12:00:01Z', running: [ids[1]!] });
  await store.release();
  return store;
}

describe('clean', () => {
  it('removes exactly its files and names each; a user file in the logs folder, .corrupt evidence and a link target stay', async () => {
    const checkpoints = join(root, '.sdp', 'checkpoints');
    const store = await seedCheckpoint(checkpoints);
    const logs = join(root, '.sdp', 'logs', 'F061');
    await mkdir(logs, { recursive: true });
    await writeFile(join(logs, `${ids[0]!}.log`), 'output');
    await writeFile(join(logs, 'app.log'), 'the user’s own file');
    const outside = join(root, 'precious.txt');
    await writeFile(outside, 'not ours');
    await symlink(outside, join(logs, `${ids[1]!}.log`));
    await writeFile(`${store.path}.corrupt-20260101T000000000Z-0`, 'evidence');

    const out = output();
    expect(await cleanCommand(args(), out)).toBe(0);
    const removed = out
      .text()
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
    expect(removed.sort()).toEqual(
      [store.journalPath, store.backupPath, store.path, join(logs, `${ids[0]!}.log`), join(logs, `${ids[1]!}.log`)].sort(),
    );
    expect(await readdir(checkpoints)).toEqual(['F061-checkpoint.json.corrupt-20260101T000000000Z-0']);
    expect(await readdir(logs)).toEqual(['app.log']);
    expect(await readFile(outside, 'utf8')).toBe('not ours');
  });

  it('with --checkpoint-dir, still finds the logs under the state directory and never touches <dir>/../logs', async () => {
    const custom = join(root, 'ckpt');
    await seedCheckpoint(custom);
    const foreignLogs = join(root, 'logs', 'F061');
    await mkdir(foreignLogs, { recursive: true });
    await writeFile(join(foreignLogs, 'app.log'), 'a user’s log');
    const out = output();
    expect(await cleanCommand(args({ checkpointDir: custom }), out)).toBe(0);
    expect(await readdir(custom)).toEqual([]);
    expect(await readdir(foreignLogs)).toEqual(['app.log']);
  });
});

describe('status', () => {
  it('--json: one JSON document, and nothing on disk changes', async () => {
    const checkpoints = join(root, '.sdp', 'checkpoints');
    await seedCheckpoint(checkpoints);
    const before = await readdir(checkpoints);
    const out = output();
    expect(await statusCommand(args({ json: true }), out)).toBe(0);
    expect(JSON.parse(out.text())).toMatchObject({
      featureId: 'F061',
      state: 'ok',
      completed: [ids[0]],
      running: [ids[1]],
      notRun: [],
      journalRecords: 1,
      problems: [],
    });
    expect(await readdir(checkpoints)).toEqual(before);
  });
});
