import fs, { fstatSync, readlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { vi } from 'vitest';

/**
 * The file-system calls of a checkpoint write, as @sdp/checkpoint makes them (its own injection point is not
 * exported, so faults go into Node's `fs`). A whole save or a compaction writes the new file through
 * write-file-atomic, which looks up the callback `fs.write`, `fs.fsync` and `fs.rename` at every call; a
 * journal append writes and fdatasyncs through a `FileHandle`, and cuts a failed record off with its
 * `truncate`; the store fsyncs the folder through a `FileHandle` after a rename and when it creates a journal.
 */
export type FsCall =
  'whole write' | 'whole fsync' | 'whole rename' | 'journal write' | 'journal fdatasync' | 'journal ftruncate' | 'directory fsync';

/** A fault: the call fails with the system error `fail`, or (a write) writes half of what it was asked. */
export type FaultRule =
  | { readonly call: FsCall; readonly fail: string; readonly times?: number }
  | { readonly call: 'whole write' | 'journal write'; readonly short: true; readonly times?: number };

type Callback = (error: NodeJS.ErrnoException | null, ...results: unknown[]) => void;
type CallbackFn = (...args: unknown[]) => void;
interface Handle {
  readonly fd: number;
}
type HandleMethod = (this: Handle, ...args: unknown[]) => Promise<unknown>;

const syscalls: Record<FsCall, string> = {
  'whole write': 'write',
  'whole fsync': 'fsync',
  'whole rename': 'rename',
  'journal write': 'write',
  'journal fdatasync': 'fdatasync',
  'journal ftruncate': 'ftruncate',
  'directory fsync': 'fsync',
};

function systemError(code: string, call: FsCall): NodeJS.ErrnoException {
  const syscall = syscalls[call];
  return Object.assign(new Error(`${code}: injected fault, ${syscall}`), { code, syscall });
}

function pathOf(fd: number): string {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return '';
  }
}

/**
 * Faults in the checkpoint writes of one process, for files under one folder only (the test's sandbox): the
 * rules armed apply, in order, to the calls they name, each at most `times` times (default: while armed).
 * What this simulates is the error a call returns (or a write's short count); not what a real EIO may also
 * do (drop the dirty pages of the file, fsyncgate-style).
 */
export class FsFaults {
  #rules: { rule: FaultRule; left: number }[] = [];
  readonly #hits: FsCall[] = [];

  private constructor(private readonly root: () => string) {}

  /** Spies on the calls (until `vi.restoreAllMocks()`); `root` names the folder whose files may fail. */
  static async install(root: () => string): Promise<FsFaults> {
    const faults = new FsFaults(root);
    await faults.#install();
    return faults;
  }

  /** From now on, these rules apply (replacing any armed before). */
  arm(...rules: FaultRule[]): void {
    this.#rules = rules.map((rule) => ({ rule, left: rule.times ?? Number.POSITIVE_INFINITY }));
  }

  /** The disk works again. */
  disarm(): void {
    this.#rules = [];
  }

  /** Every call a fault hit, in order. */
  get hits(): readonly FsCall[] {
    return this.#hits;
  }

  /** Forgets the rules and the hits (between tests). */
  reset(): void {
    this.#rules = [];
    this.#hits.length = 0;
  }

  /** The rule that applies to this call now, if any (and counts it). */
  #match(call: FsCall, path: string): FaultRule | undefined {
    if (!path.startsWith(this.root())) return undefined;
    const entry = this.#rules.find(({ rule, left }) => rule.call === call && left > 0);
    if (entry === undefined) return undefined;
    entry.left -= 1;
    this.#hits.push(call);
    return entry.rule;
  }

  async #install(): Promise<void> {
    const match = (call: FsCall, path: string) => this.#match(call, path);
    const callbackFs = fs as unknown as Record<string, CallbackFn>;
    const intercept = (name: string, fault: (args: unknown[], original: CallbackFn, callback: Callback) => boolean) => {
      const original = callbackFs[name]!;
      vi.spyOn(callbackFs, name).mockImplementation((...args: unknown[]) => {
        const callback = args.at(-1) as Callback;
        if (!fault(args.slice(0, -1), original, callback)) original(...args);
      });
    };
    const failLater = (callback: Callback, error: NodeJS.ErrnoException) => {
      setImmediate(() => {
        callback(error);
      });
    };

    intercept('write', ([fd, buffer, offset, length, position], original, callback) => {
      const rule = match('whole write', pathOf(fd as number));
      if (rule === undefined) return false;
      // What write() does when the disk fills mid-file: fewer bytes, no error.
      if ('short' in rule) original(fd, buffer, offset, Math.floor((length as number) / 2), position, callback);
      else failLater(callback, systemError(rule.fail, 'whole write'));
      return true;
    });
    intercept('fsync', ([fd], _original, callback) => {
      const rule = match('whole fsync', pathOf(fd as number));
      if (rule === undefined || 'short' in rule) return false;
      failLater(callback, systemError(rule.fail, 'whole fsync'));
      return true;
    });
    intercept('rename', ([from], _original, callback) => {
      const rule = match('whole rename', String(from));
      if (rule === undefined || 'short' in rule) return false;
      failLater(callback, systemError(rule.fail, 'whole rename'));
      return true;
    });

    const probe = await open(import.meta.dirname, 'r');
    const prototype = Object.getPrototypeOf(probe) as Record<'write' | 'datasync' | 'truncate' | 'sync', HandleMethod>;
    await probe.close();
    const spyOnHandle = (name: 'write' | 'datasync' | 'truncate' | 'sync', classify: (handle: Handle) => FsCall | undefined) => {
      const original = prototype[name];
      vi.spyOn(prototype, name).mockImplementation(function (this: Handle, ...args: unknown[]) {
        const call = classify(this);
        const rule = call === undefined ? undefined : match(call, pathOf(this.fd));
        if (call === undefined || rule === undefined) return original.apply(this, args);
        if (!('short' in rule)) return Promise.reject(systemError(rule.fail, call));
        const [buffer, offset, length, position] = args;
        return original.call(this, buffer, offset, Math.ceil((length as number) / 2), position);
      });
    };
    const journal = (handle: Handle) => pathOf(handle.fd).endsWith('.journal');
    spyOnHandle('write', (handle) => (journal(handle) ? 'journal write' : undefined));
    spyOnHandle('datasync', (handle) => (journal(handle) ? 'journal fdatasync' : undefined));
    spyOnHandle('truncate', (handle) => (journal(handle) ? 'journal ftruncate' : undefined));
    spyOnHandle('sync', (handle) => (fstatSync(handle.fd).isDirectory() ? 'directory fsync' : undefined));
  }
}
