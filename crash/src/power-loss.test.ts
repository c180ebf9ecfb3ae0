import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore } from '@sdp/checkpoint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskModel, explorePowerLoss, parseStrace } from './power-loss.js';

// The power-loss model itself (scripts/power-loss.ts runs it on saves and updates recorded live with
// strace, which CI may not have). Here it replays hand-written traces shaped like a real save and real
// updates: it must pass the real procedure and catch each missing fsync.

const folder = '/cp';
const file = 'F080-checkpoint.json';
const contents = new Map<number, Buffer>();
const journals = new Map<number, Buffer>();
let scratch: string;

beforeAll(async () => {
  // Real checkpoint and journal bytes (checksummed), as @sdp/checkpoint writes them: saves 1 and 2, then
  // update 3 (a new journal) and update 4 (appended to it).
  scratch = await mkdtemp(join(tmpdir(), 'sdp-power-loss-test-'));
  const store = new CheckpointStore({ featureId: 'F080', dir: scratch });
  await store.acquire();
  for (const seq of [1, 2]) {
    await store.save({
      version: '1.0',
      feature_id: 'F080',
      timestamp: '2026-02-07T12:00:00Z',
      completed: Array(seq).fill('00-080-01') as string[],
      failed: [],
      graph: null,
      circuit_breaker: null,
      seq,
    });
    contents.set(seq, await readFile(store.path));
  }
  for (const seq of [3, 4]) {
    await store.update({ timestamp: `2026-02-07T12:00:0${seq}Z`, completed: [`00-080-0${seq}`] });
    contents.set(seq, await readFile(store.path));
    journals.set(seq, await readFile(store.journalPath));
  }
  await store.release();
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

interface Steps {
  fsyncFile?: boolean;
  fsyncFolder?: boolean;
}

/** strace lines of one save of checkpoint `seq`, as @sdp/checkpoint does it (optionally without an fsync). */
function saveTrace(seq: number, { fsyncFile = true, fsyncFolder = true }: Steps = {}): string[] {
  const length = contents.get(seq)?.length ?? 0;
  const temp = `${folder}/${file}.new.${seq}`;
  const fd = (path: string) => `18<${path}>`;
  return [
    `7 write(1<pipe:[1]>, "save ${seq}\\n", 7) = 7`,
    `8 openat(AT_FDCWD</x>, "${temp}", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 18<${temp}>`,
    // A call another thread interrupts, as strace -f prints it.
    `8 pwrite64(${fd(temp)}, "{\\"version\\":\\"1.0\\""..., ${length}, 0 <unfinished ...>`,
    `9 write(17<anon_inode:[eventfd]>, "\\1\\0\\0\\0\\0\\0\\0\\0", 8) = 8`,
    `8 <... pwrite64 resumed>) = ${length}`,
    ...(fsyncFile ? [`8 fsync(${fd(temp)}) = 0`] : []),
    `8 close(${fd(temp)}) = 0`,
    `8 rename("${temp}", "${folder}/${file}.new") = 0`,
    ...(seq > 1
      ? [
          `8 link("${folder}/${file}", "${folder}/${file}.bak.link-${seq}") = 0`,
          `8 rename("${folder}/${file}.bak.link-${seq}", "${folder}/${file}.bak") = 0`,
        ]
      : []),
    `8 unlink("${folder}/${file}.bak.link-${seq}") = -1 ENOENT (No such file or directory)`,
    `8 rename("${folder}/${file}.new", "${folder}/${file}") = 0`,
    ...(fsyncFolder
      ? [
          `8 openat(AT_FDCWD</x>, "${folder}", O_RDONLY|O_CLOEXEC) = 19<${folder}>`,
          `8 fsync(19<${folder}>) = 0`,
          `8 close(19<${folder}>) = 0`,
        ]
      : []),
    `7 write(1<pipe:[1]>, "saved ${seq}\\n", 8) = 8`,
  ];
}

/** strace lines of update `seq`: a new journal, or an append to it (optionally without an fsync). */
function updateTrace(
  seq: number,
  { create = false, fdatasync = true, fsyncFolder = true }: Steps & { create?: boolean; fdatasync?: boolean } = {},
): string[] {
  const journal = `${folder}/${file}.journal`;
  const offset = create ? 0 : (journals.get(seq - 1)?.length ?? 0);
  const length = (journals.get(seq)?.length ?? 0) - offset;
  const fd = `21<${journal}>`;
  return [
    `7 write(1<pipe:[1]>, "update ${seq}\\n", 9) = 9`,
    ...(create ? [`8 openat(AT_FDCWD</x>, "${journal}", O_WRONLY|O_CREAT|O_EXCL|O_TRUNC|O_CLOEXEC, 0666) = ${fd}`] : []),
    `8 pwrite64(${fd}, "{\\"seq\\":1"..., ${length}, ${offset}) = ${length}`,
    ...(fdatasync ? [`8 fdatasync(${fd}) = 0`] : []),
    ...(create && fsyncFolder
      ? [
          `8 openat(AT_FDCWD</x>, "${folder}", O_RDONLY|O_CLOEXEC) = 19<${folder}>`,
          `8 fsync(19<${folder}>) = 0`,
          `8 close(19<${folder}>) = 0`,
        ]
      : []),
    `7 write(1<pipe:[1]>, "updated ${seq}\\n", 10) = 10`,
  ];
}

function explore(lines: string[]) {
  return explorePowerLoss({
    featureId: 'F080',
    initial: new Map(),
    initialSeq: null,
    ops: parseStrace(lines.join('\n'), folder),
    contents,
    journals,
  });
}

describe('the power-loss model', () => {
  it('reads strace output: the calls on the folder, marks, resumed calls; failed calls dropped', () => {
    const ops = parseStrace(saveTrace(2).join('\n'), folder);
    expect(ops.map((op) => op.kind)).toEqual([
      'mark',
      'create',
      'write',
      'fsync',
      'close',
      'rename',
      'link',
      'rename',
      'rename',
      'open-folder',
      'fsync',
      'close',
      'mark',
    ]);
    expect(ops[2]).toEqual({ kind: 'write', fd: 18, length: contents.get(2)?.length, offset: 0 });
  });

  it('finds nothing wrong with the save procedure of @sdp/checkpoint', async () => {
    const report = await explore([...saveTrace(1), ...saveTrace(2)]);
    expect(report.findings).toEqual([]);
    expect(report.loadedInProgress).toBeGreaterThan(0);
    expect(report.loadedResolved).toBeGreaterThan(0);
    expect(report.loadedNone).toBeGreaterThan(0);
  });

  it('catches a rename before the new file is fsynced: a cut can leave it empty in place', async () => {
    const report = await explore([...saveTrace(1, { fsyncFile: false }), ...saveTrace(2)]);
    expect(report.findings[0]?.what).toMatch(/^load threw "Checkpoint \S+ is damaged/);
  });

  it('catches a save that resolves before the folder is fsynced: a cut can undo it', async () => {
    const report = await explore([...saveTrace(1), ...saveTrace(2, { fsyncFolder: false })]);
    expect(report.findings.map((finding) => finding.what)).toContainEqual(expect.stringMatching(/^loaded 1 where 2 was expected/));
  });

  it('reads the journal’s pwrite64 at its offset', () => {
    const ops = parseStrace(updateTrace(4).join('\n'), folder);
    expect(ops.map((op) => op.kind)).toEqual(['mark', 'write', 'fsync', 'mark']);
    expect(ops[1]).toEqual({
      kind: 'write',
      fd: 21,
      length: journals.get(4)!.length - journals.get(3)!.length,
      offset: journals.get(3)!.length,
    });
  });

  it('finds nothing wrong with the update procedure: a new journal, then an append', async () => {
    const report = await explore([...saveTrace(1), ...saveTrace(2), ...updateTrace(3, { create: true }), ...updateTrace(4)]);
    expect(report.findings).toEqual([]);
    expect(report.loadedInProgress).toBeGreaterThan(3);
  });

  it('catches an update that resolves before its record is fdatasynced: a cut can take it back', async () => {
    const report = await explore([
      ...saveTrace(1),
      ...saveTrace(2),
      ...updateTrace(3, { create: true }),
      ...updateTrace(4, { fdatasync: false }),
    ]);
    expect(report.findings.map((finding) => finding.what)).toContainEqual(expect.stringMatching(/^loaded 3 where 4 was expected/));
  });

  it('catches a new journal whose folder is not fsynced: a cut can lose its name', async () => {
    const report = await explore([...saveTrace(1), ...saveTrace(2), ...updateTrace(3, { create: true, fsyncFolder: false })]);
    expect(report.findings.map((finding) => finding.what)).toContainEqual(expect.stringMatching(/^loaded 2 where 3 was expected/));
  });
});

describe('the disk model', () => {
  it('never tears away what an fsync made durable: a torn append keeps the durable part', () => {
    const disk = new DiskModel(new Map());
    const data = Buffer.from('0123456789abcdefghij');
    disk.apply({ kind: 'create', name: 'log', fd: 3, truncate: false }, () => data);
    disk.apply({ kind: 'write', fd: 3, length: 10, offset: 0 }, () => data);
    disk.apply({ kind: 'fsync', fd: 3 }, () => data);
    disk.apply({ kind: 'open-folder', fd: 4 }, () => data);
    disk.apply({ kind: 'fsync', fd: 4 }, () => data);
    disk.apply({ kind: 'write', fd: 3, length: 10, offset: 10 }, () => data);
    const logs = disk.crashStates().map((state) => state.get('log')?.toString());
    expect(logs).toEqual(['0123456789', '0123456789abcdefghij', '0123456789abcde']);
  });

  it('tears a file written anew anywhere: nothing, half, or all of it', () => {
    const disk = new DiskModel(new Map());
    const data = Buffer.from('0123456789');
    disk.apply({ kind: 'open-folder', fd: 4 }, () => data);
    disk.apply({ kind: 'create', name: 'new', fd: 3, truncate: true }, () => data);
    disk.apply({ kind: 'fsync', fd: 4 }, () => data);
    disk.apply({ kind: 'write', fd: 3, length: 10, offset: undefined }, () => data);
    expect(disk.crashStates().map((state) => state.get('new')?.toString())).toEqual(['', '0123456789', '01234']);
  });
});
