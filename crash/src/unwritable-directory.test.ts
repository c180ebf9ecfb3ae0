import { mkdir, readFile, rename, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointStore } from '@sdp/checkpoint';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chain, gatedExecutor, Sandbox } from './sandbox.js';

// A checkpoint folder that cannot be written, as root (tests run as root here, so chmod alone would not
// stop a write, and mounting a read-only file system needs privileges CI does not have). The kernel
// errors differ from a read-only mount's EROFS, the dispatcher's path to them does not: a system call
// of the save fails. What each test really does is said in it.

let sandbox: Sandbox;
let feature: string;
const ids = chain(76, 6).map((spec) => spec.id);
const [ws1, ws2, ws3, , ws5, ws6] = ids as [string, string, string, string, string, string];

beforeEach(async () => {
  sandbox = await Sandbox.create();
  feature = await sandbox.writeFeature('feature', chain(76, 6));
});

afterEach(async () => {
  await sandbox.cleanup();
});

const load = () => new CheckpointStore({ featureId: 'F076', dir: sandbox.checkpointDir }).load();
/** The plain reporter's `[hh:mm:ss] checkpoint save failed: ...` lines, without the time. */
const failedSaves = (stdout: string) =>
  stdout
    .split('\n')
    .map((line) => line.replace(/^\[\d\d:\d\d:\d\d\] /, ''))
    .filter((line) => line.startsWith('checkpoint save failed: '));

describe('a checkpoint folder that cannot be written', () => {
  it('that cannot even be created (its parent is a regular file, ENOTDIR): exit 2 before anything runs', async () => {
    await writeFile(join(sandbox.cwd, 'state'), 'a file, not a folder\n');
    const result = await sandbox.run(['run', feature, '--exec', gatedExecutor, '--checkpoint-dir', 'state/checkpoints']);
    expect(result.code).toBe(2);
    expect(sandbox.normalize(result.stderr)).toBe("sdp-dispatch: ENOTDIR: not a directory, mkdir '<tmp>/cwd/state/checkpoints'\n");
    expect(await sandbox.starts()).toEqual([]);
  });

  it('that goes away mid-run (replaced by a regular file, ENOTDIR): saves fail and are reported, work goes on, saves resume when it is back', async () => {
    const run = sandbox.start(['run', feature, '--exec', gatedExecutor, '-c', '1'], { GATE_IDS: `${ws3},${ws5}`, FAIL_IDS: ws6 });
    await sandbox.started(ws3);
    // The write recording ws3's start has landed: from here the run writes nothing until ws3 ends.
    await vi.waitFor(async () => {
      expect(await load()).toMatchObject({ completed: [ws1, ws2], running: [ws3] });
    });
    const away = `${sandbox.checkpointDir}.away`;
    await rename(sandbox.checkpointDir, away);
    await writeFile(sandbox.checkpointDir, 'the folder is gone\n');
    await sandbox.open(ws3);
    await sandbox.started(ws5);
    // Meanwhile the last good checkpoint sits, whole, in the folder moved away.
    const whileAway = await new CheckpointStore({ featureId: 'F076', dir: away }).load();
    expect(whileAway?.completed).toEqual([ws1, ws2]);
    await rmdirOrUnlink(sandbox.checkpointDir);
    await rename(away, sandbox.checkpointDir);
    await sandbox.open(ws5);

    const result = await run.done;
    expect(result.code).toBe(1);
    const failures = failedSaves(result.stdout);
    expect(failures.length).toBeGreaterThanOrEqual(2);
    for (const line of failures) {
      expect(sandbox.normalize(line)).toBe(
        "checkpoint save failed: Error: ENOTDIR: not a directory, open '<tmp>/cwd/.sdp/checkpoints/F076-checkpoint.json.lock'",
      );
    }
    // Back in place, later saves went through: the kept checkpoint is the final state.
    expect(await load()).toMatchObject({ completed: ids.slice(0, 5), failed: [ws6] });
    expect(await sandbox.checkpointFiles()).toEqual(['F076-checkpoint.json', 'F076-checkpoint.json.bak']);
  });

  it('where the compacted checkpoint cannot be renamed into place (a folder squats the staging name, EISDIR): reported, the JSON file and its journal stay; a resume is refused until the folder is gone', async () => {
    const staging = `${sandbox.checkpointFile('F076')}.new`;
    const squat = async () => {
      await mkdir(staging);
      await writeFile(join(staging, 'keep'), '');
    };
    const unsquat = async () => {
      await rmdirOrUnlink(join(staging, 'keep'));
      await rmdirOrUnlink(staging);
    };
    // The backup is the verified second copy of each save, written beside the first.
    const stays = ['F076-checkpoint.json', 'F076-checkpoint.json.bak', 'F076-checkpoint.json.journal', 'F076-checkpoint.json.new'];

    // Run 1: the journal appends go on (they rename nothing); the compaction of the stopped run cannot.
    const first = sandbox.start(['run', feature, '--exec', gatedExecutor, '-c', '1'], { GATE_IDS: ws5, FAIL_IDS: ws6 });
    await sandbox.started(ws5);
    await squat();
    await sandbox.open(ws5);
    const stopped = await first.done;
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain('1 checkpoint save(s) failed; the last good checkpoint was kept.');
    // The JSON file of the first save and the journal of the rest, no temp file: load merges them.
    expect(await sandbox.checkpointFiles()).toEqual(stays);
    const journal = await readFile(`${sandbox.checkpointFile('F076')}.journal`);
    expect(await load()).toMatchObject({ completed: ids.slice(0, 5), failed: [ws6], running: [] });

    // A resume cannot start while the folder squats: taking the lock removes a killed writer's temp files,
    // and this one cannot be removed. One line, exit 2, nothing runs, nothing changes.
    const blocked = await sandbox.run(['run', feature, '--exec', gatedExecutor, '-c', '1']);
    expect(blocked.code).toBe(2);
    expect(sandbox.normalize(blocked.stderr)).toBe(
      "sdp-dispatch: EISDIR: illegal operation on a directory, unlink '<tmp>/cwd/.sdp/checkpoints/F076-checkpoint.json.new'\n",
    );
    expect(await sandbox.checkpointFiles()).toEqual(stays);
    expect(await readFile(`${sandbox.checkpointFile('F076')}.journal`)).toEqual(journal);

    // Once the folder is gone, the resume redoes only what the checkpoint lacks, and leaves nothing.
    await unsquat();
    const result = await sandbox.run(['run', feature, '--exec', gatedExecutor, '-c', '1']);
    expect(result.code).toBe(0);
    expect(failedSaves(result.stdout)).toEqual([]);
    expect((await sandbox.starts()).slice(6)).toEqual([ws6]);
    expect(await sandbox.checkpointFiles()).toEqual([]);
  });
});

async function rmdirOrUnlink(path: string): Promise<void> {
  try {
    await rmdir(path);
  } catch {
    const { unlink } = await import('node:fs/promises');
    await unlink(path);
  }
}
