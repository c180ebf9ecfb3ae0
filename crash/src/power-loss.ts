import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type Checkpoint, CheckpointStore } from '@sdp/checkpoint';

/**
 * A power-loss model of checkpoint saves and updates. The file-system calls of real saves, updates (journal
 * appends, compactions) and a delete are recorded (strace, see scripts/power-loss.ts); then, for a power cut
 * after every call, every state the disk may come back in is rebuilt in a temp folder and loaded with
 * `CheckpointStore.load()`.
 *
 * The model, per file and per the checkpoint folder:
 * - a file's data is durable once an fsync (or fdatasync) of it returned; before that, after a cut it holds
 *   its last durable data (nothing, for a new file), everything written so far, or a torn write: half of
 *   it, or for a file that grew by appending (the journal), its durable data and half of what followed;
 * - the folder's entries (create, rename, link, unlink) are durable once an fsync of the folder
 *   returned; the ones since may be lost, but only from the end: any prefix of them survives (the
 *   order a journaling file system such as ext4 or XFS keeps metadata in). An fsync of a file is not
 *   taken to make the folder's entries durable, though on ext4 it usually does.
 */

/** One recorded call, reduced to what the model needs. Paths are names inside the checkpoint folder. */
export type FsOp =
  | { readonly kind: 'create'; readonly name: string; readonly fd: number; readonly truncate: boolean }
  | { readonly kind: 'open'; readonly name: string; readonly fd: number }
  | { readonly kind: 'write'; readonly fd: number; readonly length: number; readonly offset: number | undefined }
  | { readonly kind: 'fsync'; readonly fd: number }
  | { readonly kind: 'open-folder'; readonly fd: number }
  | { readonly kind: 'close'; readonly fd: number }
  | { readonly kind: 'rename'; readonly from: string; readonly to: string }
  | { readonly kind: 'link'; readonly from: string; readonly to: string }
  | { readonly kind: 'unlink'; readonly name: string }
  | { readonly kind: 'mark'; readonly text: string };

/**
 * Parses `strace -f -y` output (openat, write, pwrite64, fsync, fdatasync, close, rename, link, unlink)
 * into the calls that touch `folder`, plus `mark` for each `write(1, "<text>\n")`. Failed calls are
 * dropped; an `<unfinished ...>` call counts when it resumes.
 */
export function parseStrace(text: string, folder: string): FsOp[] {
  const ops: FsOp[] = [];
  const unfinished = new Map<string, string>();
  const inFolder = (path: string): string | undefined =>
    path.startsWith(`${folder}/`) && !path.slice(folder.length + 1).includes('/') ? path.slice(folder.length + 1) : undefined;
  for (const raw of text.split('\n')) {
    const tid = /^(\d+)\s+/.exec(raw)?.[1] ?? '';
    let line = raw.replace(/^\d+\s+/, '');
    if (line.endsWith('<unfinished ...>')) {
      unfinished.set(tid, line.slice(0, -'<unfinished ...>'.length));
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(line);
    if (resumed) {
      line = (unfinished.get(tid) ?? '') + (resumed[1] ?? '');
      unfinished.delete(tid);
    }
    const call = /^(\w+)\((.*)\)\s+=\s+(-?\d+)(?:<([^>]*)>)?/.exec(line);
    if (!call) continue;
    const [, name = '', args = '', result = '', resultPath] = call;
    if (Number(result) < 0) continue;
    const fdOf = (arg: string) => Number(/^(\d+)</.exec(arg)?.[1] ?? -1);
    const fdPath = (arg: string) => /^\d+<([^>]*)>/.exec(arg)?.[1] ?? '';
    const strings = [...args.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1] ?? '');
    switch (name) {
      case 'openat': {
        const path = strings[0] ?? '';
        if (resultPath === folder) ops.push({ kind: 'open-folder', fd: Number(result) });
        const inside = inFolder(path);
        if (inside === undefined) break;
        ops.push(
          args.includes('O_CREAT')
            ? { kind: 'create', name: inside, fd: Number(result), truncate: args.includes('O_TRUNC') }
            : { kind: 'open', name: inside, fd: Number(result) },
        );
        break;
      }
      case 'write':
      case 'pwrite64': {
        const first = args.split(',')[0] ?? '';
        if (fdOf(first) === 1) {
          const mark = strings[0]?.replace(/\\n$/, '');
          if (mark !== undefined) ops.push({ kind: 'mark', text: mark });
          break;
        }
        if (inFolder(fdPath(first)) === undefined) break;
        // After the (possibly truncated, `"..."`) data: the length, then pwrite's offset.
        const numbers = args
          .slice(args.lastIndexOf('"') + 1)
          .split(',')
          .map((part) => part.trim())
          .filter((part) => /^\d+$/.test(part));
        ops.push({ kind: 'write', fd: fdOf(first), length: Number(result), offset: name === 'pwrite64' ? Number(numbers[1]) : undefined });
        break;
      }
      case 'fsync':
      case 'fdatasync': {
        const path = fdPath(args);
        if (path === folder || inFolder(path) !== undefined) ops.push({ kind: 'fsync', fd: fdOf(args) });
        break;
      }
      case 'close': {
        const path = fdPath(args);
        if (path === folder || inFolder(path) !== undefined) ops.push({ kind: 'close', fd: fdOf(args) });
        break;
      }
      case 'rename':
      case 'link': {
        const [from, to] = [inFolder(strings[0] ?? ''), inFolder(strings[1] ?? '')];
        if (from !== undefined && to !== undefined) ops.push({ kind: name, from, to });
        break;
      }
      case 'unlink': {
        const inside = inFolder(strings[0] ?? '');
        if (inside !== undefined) ops.push({ kind: 'unlink', name: inside });
        break;
      }
    }
  }
  return ops;
}

interface Inode {
  /** The name it was created under: says which content its writes carry. */
  readonly name: string;
  /** Data an fsync made durable; undefined before the first one. */
  durable: Buffer | undefined;
  /** Data written so far. */
  current: Buffer;
}

type Entries = Map<string, Inode>;
type EntryOp = { readonly kind: 'set'; readonly name: string; readonly inode: Inode } | { readonly kind: 'delete'; readonly name: string };

/** A disk that remembers what is durable and what a power cut may still take away. */
export class DiskModel {
  #entries: Entries;
  #durableEntries: Entries;
  /** Entry changes since the folder's last fsync, in order. */
  #pending: EntryOp[] = [];
  readonly #fds = new Map<number, Inode | 'folder'>();

  /** Starts from `files`, all durable. */
  constructor(files: ReadonlyMap<string, Buffer>) {
    this.#entries = new Map([...files].map(([name, data]) => [name, { name, durable: data, current: data }]));
    this.#durableEntries = new Map(this.#entries);
  }

  /**
   * Applies one call. `contentOf(name)` is the file the operation under way writes to a file created as
   * `name` (the checkpoint's temp files, or the journal): a `write` of `length` bytes at `offset` writes those
   * bytes of it (strace does not keep the bytes; the harness knows them).
   */
  apply(op: FsOp, contentOf: (name: string) => Buffer): void {
    switch (op.kind) {
      case 'create': {
        const existing = this.#entries.get(op.name);
        if (existing !== undefined) {
          if (op.truncate) existing.current = Buffer.alloc(0);
          this.#fds.set(op.fd, existing);
          break;
        }
        const inode: Inode = { name: op.name, durable: undefined, current: Buffer.alloc(0) };
        this.#set(op.name, inode);
        this.#fds.set(op.fd, inode);
        break;
      }
      case 'open': {
        const inode = this.#entries.get(op.name);
        if (inode !== undefined) this.#fds.set(op.fd, inode);
        break;
      }
      case 'open-folder':
        this.#fds.set(op.fd, 'folder');
        break;
      case 'write': {
        const inode = this.#fds.get(op.fd);
        if (inode === undefined || inode === 'folder') break;
        const offset = op.offset ?? inode.current.length;
        const next = Buffer.alloc(Math.max(inode.current.length, offset + op.length));
        inode.current.copy(next);
        contentOf(inode.name).copy(next, offset, offset, offset + op.length);
        inode.current = next;
        break;
      }
      case 'fsync': {
        const target = this.#fds.get(op.fd);
        if (target === 'folder') {
          this.#durableEntries = new Map(this.#entries);
          this.#pending = [];
        } else if (target !== undefined) {
          target.durable = target.current;
        }
        break;
      }
      case 'close':
        this.#fds.delete(op.fd);
        break;
      case 'rename': {
        const inode = this.#entries.get(op.from);
        if (inode === undefined) break;
        this.#delete(op.from);
        this.#set(op.to, inode);
        break;
      }
      case 'link': {
        const inode = this.#entries.get(op.from);
        if (inode !== undefined) this.#set(op.to, inode);
        break;
      }
      case 'unlink':
        this.#delete(op.name);
        break;
      case 'mark':
        break;
    }
  }

  /** Every state the folder may be found in after a power cut now: name -> bytes. */
  crashStates(): Map<string, Buffer>[] {
    const states: Map<string, Buffer>[] = [];
    for (let kept = 0; kept <= this.#pending.length; kept += 1) {
      const entries = new Map(this.#durableEntries);
      for (const change of this.#pending.slice(0, kept)) {
        if (change.kind === 'set') entries.set(change.name, change.inode);
        else entries.delete(change.name);
      }
      // A file whose data is not durable may come back with its durable data (nothing, for a new file),
      // with all of it, or torn.
      let variants: Map<string, Buffer>[] = [new Map<string, Buffer>()];
      for (const [name, inode] of entries) {
        const options = dataAfterCut(inode);
        variants = variants.flatMap((partial) => options.map((data) => new Map(partial).set(name, data)));
      }
      states.push(...variants);
    }
    return states;
  }

  #set(name: string, inode: Inode): void {
    this.#entries.set(name, inode);
    this.#pending.push({ kind: 'set', name, inode });
  }

  #delete(name: string): void {
    this.#entries.delete(name);
    this.#pending.push({ kind: 'delete', name });
  }
}

function dataAfterCut(inode: Inode): Buffer[] {
  const { durable = Buffer.alloc(0), current } = inode;
  if (inode.durable?.equals(current) === true) return [current];
  const options = [durable, current];
  // A torn write never takes back what an fsync made durable: of a file that grew by appending (the
  // journal), half of what came after; of a file written anew, half of it.
  const kept = current.length > durable.length && current.subarray(0, durable.length).equals(durable) ? durable.length : 0;
  if (current.length - kept > 1) options.push(current.subarray(0, kept + Math.floor((current.length - kept) / 2)));
  return options;
}

export interface PowerLossFinding {
  /** Index of the call after which the power was cut. */
  readonly after: number;
  readonly what: string;
}

export interface PowerLossReport {
  /** Calls replayed, and power cuts modelled (one after each call). */
  readonly calls: number;
  /** Disk states loaded: every state possible after every cut. */
  readonly states: number;
  /** How many loaded the last checkpoint whose operation had resolved, the one being written, or none. */
  readonly loadedResolved: number;
  readonly loadedInProgress: number;
  readonly loadedNone: number;
  /** States where `load` had to fall back to the backup (allowed, but a sign of a weak step). */
  readonly recovered: number;
  readonly findings: PowerLossFinding[];
}

/**
 * Replays `ops` from `initial` (all durable) and loads every crash state after every call. Marks
 * `<op> <seq>` and `<op>d <seq>` (the recording process prints them around each `save`, `update` and
 * `compact`; a compaction keeps the state it compacts, so its seq is the current one) say what a load may
 * return: until the second, the last resolved state or state `seq`; after it, only `seq` (an operation that
 * resolved is durable); likewise `delete` and `deleted` (then none). `contents` and `journals` are the
 * checkpoint file and the journal (absent: none) after each operation `seq`: the bytes its writes carry,
 * and the files whose load defines state `seq`. A load is compared with the states in full, so a mix of
 * two is caught.
 */
export async function explorePowerLoss(options: {
  featureId: string;
  initial: ReadonlyMap<string, Buffer>;
  /** `seq` of the checkpoint in `initial`, null for none. */
  initialSeq: number | null;
  ops: readonly FsOp[];
  contents: ReadonlyMap<number, Buffer>;
  journals?: ReadonlyMap<number, Buffer>;
}): Promise<PowerLossReport> {
  const { featureId, initial, ops, contents, journals = new Map<number, Buffer>() } = options;
  const disk = new DiskModel(initial);
  const root = await mkdtemp(join(tmpdir(), 'sdp-power-loss-'));
  const findings: PowerLossFinding[] = [];
  const counts = { states: 0, loadedResolved: 0, loadedInProgress: 0, loadedNone: 0, recovered: 0 };
  let durable: number | null = options.initialSeq;
  /** The state an operation under way writes (null: a delete), undefined between operations. */
  let writing: number | null | undefined;
  let content: Buffer = Buffer.alloc(0);
  let journal: Buffer = Buffer.alloc(0);
  const contentOf = (name: string): Buffer => (name.endsWith('.journal') ? journal : content);
  const expected = new Map<number, Checkpoint | null>();
  /** State `seq` as a load of its resolved files gives it. */
  const stateOf = async (seq: number | null): Promise<Checkpoint | null> => {
    if (seq === null) return null;
    if (!expected.has(seq)) {
      const files = new Map<string, Buffer>([[`${featureId}-checkpoint.json`, contents.get(seq) ?? Buffer.alloc(0)]]);
      const journalBytes = journals.get(seq);
      if (journalBytes !== undefined) files.set(`${featureId}-checkpoint.json.journal`, journalBytes);
      const outcome = await loadState(join(root, `expected-${seq}`), featureId, files);
      if (outcome.kind === 'threw') throw new Error(`state ${seq} does not load: ${outcome.message}`);
      expected.set(seq, outcome.checkpoint);
    }
    return expected.get(seq) ?? null;
  };
  try {
    for (const [index, op] of ops.entries()) {
      if (op.kind === 'mark') {
        const [word = '', seqText] = op.text.split(' ');
        const seq = Number(seqText);
        if (word === 'save' || word === 'update' || word === 'compact') {
          writing = seq;
          content = contents.get(seq) ?? Buffer.alloc(0);
          journal = journals.get(seq) ?? Buffer.alloc(0);
        } else if (word === 'saved' || word === 'updated' || word === 'compacted') {
          durable = seq;
          writing = undefined;
        } else if (word === 'delete') {
          writing = null;
        } else if (word === 'deleted') {
          durable = null;
          writing = undefined;
        }
      }
      disk.apply(op, contentOf);
      const allowed = writing === undefined ? [durable] : [durable, writing];
      for (const state of disk.crashStates()) {
        counts.states += 1;
        const outcome = await loadState(join(root, String(counts.states)), featureId, state);
        if (outcome.kind === 'threw') {
          findings.push({ after: index, what: `load threw "${outcome.message}" with ${describeState(state)}` });
          continue;
        }
        if (outcome.recovered) counts.recovered += 1;
        const matches = async (seq: number | null): Promise<boolean> => isDeepStrictEqual(outcome.checkpoint, await stateOf(seq));
        if (await matches(durable)) {
          if (durable === null) counts.loadedNone += 1;
          else counts.loadedResolved += 1;
        } else if (writing !== undefined && (await matches(writing))) {
          if (writing === null) counts.loadedNone += 1;
          else counts.loadedInProgress += 1;
        } else {
          let found = 'a checkpoint of no state';
          for (const seq of contents.keys()) if (await matches(seq)) found = String(seq);
          if (outcome.checkpoint === null) found = 'null';
          findings.push({
            after: index,
            what: `loaded ${found} where ${allowed.map(String).join(' or ')} was expected, with ${describeState(state)}`,
          });
        }
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return { calls: ops.length, ...counts, findings };
}

type LoadOutcome = { kind: 'loaded'; checkpoint: Checkpoint | null; recovered: boolean } | { kind: 'threw'; message: string };

async function loadState(dir: string, featureId: string, state: ReadonlyMap<string, Buffer>): Promise<LoadOutcome> {
  await mkdir(dir);
  try {
    for (const [name, data] of state) await writeFile(join(dir, name), data);
    const store = new CheckpointStore({ featureId, dir });
    let recovered = false;
    store.onRecover(() => {
      recovered = true;
    });
    return { kind: 'loaded', checkpoint: await store.load(), recovered };
  } catch (error) {
    return { kind: 'threw', message: error instanceof Error ? error.message : String(error) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function describeState(state: ReadonlyMap<string, Buffer>): string {
  return [...state].map(([name, data]) => `${name} (${data.length} bytes)`).join(', ') || 'no files';
}
