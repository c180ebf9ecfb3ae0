import { readFile, rm, writeFile } from 'node:fs/promises';
import { CheckpointStore } from '@sdp/checkpoint';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reseal } from './reseal.js';
import { chain, gatedExecutor, Sandbox } from './sandbox.js';

// Damage at rest, through the CLI: a real run leaves a checkpoint and its backup, then bytes of them are
// changed the way bit rot, a truncated copy or a careless edit would. (JSON.parse's messages differ
// between Node versions: Node 24 adds the line and column.)

let sandbox: Sandbox;
let feature: string;
const ids = chain(74, 5).map((spec) => spec.id);
const ws5 = ids[4]!;

beforeEach(async () => {
  sandbox = await Sandbox.create();
  feature = await sandbox.writeFeature('feature', chain(74, 5));
  // ws5 fails, so the run keeps its checkpoint (ws1..ws4 completed) and a backup of the one before.
  const first = await sandbox.run(['run', feature, '--exec', gatedExecutor], { FAIL_IDS: ws5 });
  expect(first.code).toBe(1);
  expect(await sandbox.checkpointFiles()).toEqual(['F074-checkpoint.json', 'F074-checkpoint.json.bak']);
});

afterEach(async () => {
  await sandbox.cleanup();
});

const main = () => sandbox.checkpointFile('F074');
const backup = () => `${main()}.bak`;

/** Flips one bit of the timestamp's first digit (2 becomes 3): still valid JSON, only the checksum can tell. */
async function flipBit(path: string): Promise<void> {
  const bytes = await readFile(path);
  const at = bytes.indexOf('"timestamp":"') + '"timestamp":"'.length;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  await writeFile(path, bytes);
}

async function truncate(path: string): Promise<void> {
  const bytes = await readFile(path);
  await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
}

/** `completed` of a checkpoint file as written (the backup cannot be loaded through the API directly). */
async function completedIn(path: string): Promise<string[]> {
  return (JSON.parse(await readFile(path, 'utf8')) as { completed: string[] }).completed;
}

/** Workstreams run by the resume (the run log is cleared first). */
async function resume(extra: readonly string[] = []): Promise<{ code: number | null; stderr: string; starts: string[] }> {
  await rm(sandbox.runLog, { force: true });
  const result = await sandbox.run(['run', feature, '--exec', gatedExecutor, ...extra]);
  return { code: result.code, stderr: result.stderr, starts: await sandbox.starts() };
}

describe('a damaged checkpoint', () => {
  it('with a good backup: the run resumes from the backup and keeps the damaged file as evidence', async () => {
    const fromBackup = await completedIn(backup());
    await flipBit(main());
    const resumed = await resume();
    expect(resumed.code).toBe(0);
    // Only what the backup had not recorded runs; nothing it recorded runs again.
    expect(resumed.starts).toEqual(ids.filter((id) => !fromBackup.includes(id)));
    expect(resumed.starts).toContain(ws5);
    // The backup is a copy of the last save, not the one before it: nothing recorded is lost.
    expect(resumed.starts).toEqual([ws5]);
    expect(await sandbox.checkpointFiles()).toEqual([expect.stringMatching(/^F074-checkpoint\.json\.corrupt-\d{8}T\d{9}Z-0$/)]);
  });

  it('and a damaged backup: exit 2 naming both, nothing moved; the next run stops the same way; --fresh starts over', async () => {
    await flipBit(main());
    await truncate(backup());
    const before = await Promise.all([readFile(main()), readFile(backup())]);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const refused = await resume();
      expect(refused.code).toBe(2);
      expect(refused.starts).toEqual([]);
      expect(sandbox.normalize(refused.stderr)).toMatch(
        /^sdp-dispatch: Checkpoint <tmp>\/cwd\/\.sdp\/checkpoints\/F074-checkpoint\.json is damaged \(checksum mismatch: the file was altered or truncated; backup damaged too \(not valid JSON \(Unterminated string in JSON at position \d+(?: \(line 1 column \d+\))?\)\)\) and has no usable backup; nothing was moved or removed\. To start over, discard it \(--fresh on the command line, delete\(\) in the library\)\n$/,
      );
      expect(await sandbox.checkpointFiles()).toEqual(['F074-checkpoint.json', 'F074-checkpoint.json.bak']);
      expect(await Promise.all([readFile(main()), readFile(backup())])).toEqual(before);
    }

    const fresh = await resume(['--fresh']);
    expect(fresh.code).toBe(0);
    expect(fresh.starts).toEqual(ids);
  });

  it('truncated with no backup: exit 2, left as it is; --fresh starts over', async () => {
    await rm(backup());
    await truncate(main());
    const truncated = await readFile(main());
    const refused = await resume();
    expect(refused.code).toBe(2);
    expect(sandbox.normalize(refused.stderr)).toMatch(
      /^sdp-dispatch: Checkpoint <tmp>\/\S+\/F074-checkpoint\.json is damaged \(not valid JSON \(Unterminated string in JSON at position \d+(?: \(line 1 column \d+\))?\); no backup\) and has no usable backup; nothing was moved or removed\. To start over, discard it \(--fresh on the command line, delete\(\) in the library\)\n$/,
    );
    expect(await readFile(main())).toEqual(truncated);
    const fresh = await resume(['--fresh']);
    expect(fresh.code).toBe(0);
    expect(fresh.starts).toEqual(ids);
  });

  it('a damaged backup alone is harmless: the run resumes from the checkpoint and keeps the damaged backup', async () => {
    await flipBit(backup());
    const resumed = await resume();
    expect(resumed.code).toBe(0);
    expect(resumed.starts).toEqual([ws5]);
    expect(resumed.stderr).toMatch(
      /^sdp-dispatch: recovered: backup \S+\.bak \(checksum mismatch.*\) written again from the checkpoint; the damaged file is kept at \S+\.bak\.corrupt-\d{8}T\d{9}Z-0\n$/,
    );
    expect(await sandbox.checkpointFiles()).toEqual([expect.stringMatching(/^F074-checkpoint\.json\.bak\.corrupt-\d{8}T\d{9}Z-0$/)]);
  });

  it('status reads the backup without moving anything while another process holds the lock', async () => {
    const fromBackup = await completedIn(backup());
    await flipBit(main());
    const damaged = await readFile(main());
    const holder = await sandbox.holdLock('F074');
    const status = await sandbox.run(['status', feature]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Completed ${fromBackup.length} of 5`);
    // Moving the damaged file aside is the lock holder's business: it is still there, unchanged.
    expect(await readFile(main())).toEqual(damaged);
    expect(await sandbox.checkpointFiles()).toEqual(['F074-checkpoint.json', 'F074-checkpoint.json.bak', 'F074-checkpoint.json.lock']);
    await holder.release();
  });
});

describe('a checkpoint of a newer format', () => {
  it('is refused with exit 2 and left untouched, by run and by status', async () => {
    const text = reseal((await readFile(main(), 'utf8')).replace('"version":"1.0"', '"version":"2.0"'));
    await writeFile(main(), text);
    const status = await sandbox.run(['status', feature]);
    expect(status.code).toBe(2);
    expect(sandbox.normalize(status.stdout)).toContain('has format version "2.0"');
    expect(status.stdout).toContain('A run stops (exit 2) and changes nothing; to discard it and start over: run with --fresh');
    for (const command of ['run']) {
      const result = await sandbox.run(command === 'run' ? ['run', feature, '--exec', gatedExecutor] : ['status', feature]);
      expect(result.code).toBe(2);
      expect(sandbox.normalize(result.stderr)).toBe(
        'sdp-dispatch: Checkpoint <tmp>/cwd/.sdp/checkpoints/F074-checkpoint.json has format version "2.0"; this package reads "1.0" (or no version, as Go writes it). The file was left untouched; a newer tool may read it, or discard it to start over\n',
      );
    }
    expect(await readFile(main(), 'utf8')).toBe(text);
    const store = new CheckpointStore({ featureId: 'F074', dir: sandbox.checkpointDir });
    await expect(store.load()).rejects.toMatchObject({ code: 'CHECKPOINT_VERSION', version: '2.0' });
  });
});
