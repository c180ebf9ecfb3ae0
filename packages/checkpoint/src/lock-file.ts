import { dirname } from 'node:path';
import type { Clock } from '@sdp/internal';
import { disk, hasErrorCode, makeDirectoryDurably, randomHex, removeFile, writeCandidate } from './disk.js';
import {
  isProcessAlive,
  liveTokens,
  parseRecord,
  readLockFile,
  unknownHolder,
  type LockFileContent,
  type LockRecord,
} from './lock-record.js';
import { candidateName, claimName, removeLeftovers } from './lock-side-files.js';
import { CheckpointLockedError, CheckpointLockLostError, CheckpointNotLockedError, type LockHolder } from './errors.js';

export interface LockFileOptions {
  readonly lockPath: string;
  /** A holder whose heartbeat is older than this is gone (or frozen); see {@link LockFile}. */
  readonly staleMs: number;
  readonly heartbeatMs: number;
  readonly hostname: string;
  readonly clock: Clock;
  /** Called once when the lock turns out to be someone else's or gone. */
  readonly onLost: (reason: string) => void;
}

/** A lock file as a reader sees it: none, held by a live holder, or left by one judged gone. */
export type LockInspection = { readonly kind: 'free' } | { readonly kind: 'held' | 'stale'; readonly holder: LockHolder };

type LockState =
  | { readonly kind: 'unlocked' }
  | { readonly kind: 'locked'; readonly token: string; readonly timer: NodeJS.Timeout }
  | { readonly kind: 'lost'; readonly reason: string };

// Retries happen only when the lock file changed between two looks; more than a few means a storm of
// acquirers, and reporting the holder is better than spinning.
const MAX_ATTEMPTS = 8;
const MAX_CLAIMS = 8;

/**
 * A single-writer lock across processes and hosts, as a file `<checkpoint>.lock` holding
 * `{pid, host, since, token}`; its mtime is the heartbeat.
 *
 * - Acquire: the record is written completely to a temp file, then hard-linked to the lock name;
 *   `link` fails if the name exists, so exactly one process creates the lock, and nobody ever sees it
 *   half-written.
 * - Stale: no heartbeat for `staleMs`; or, on this host, its pid is gone (or is ours with a token this
 *   process never held: pid reuse).
 * - Take-over: a stealer first creates, with the same exclusive `link`, a claim file named after the
 *   stale lock's token. Only one stealer can claim a given lock instance; it then checks that the lock
 *   still is that instance and still stale, and renames its own lock file over it, so the lock name never
 *   disappears. A stealer that comes late either fails to claim, or claims an instance that is no longer
 *   there and backs off. This closes the race of delete-then-create schemes (proper-lockfile #121), where
 *   a slow stealer deletes the lock a faster one has just created. A claim whose owner died is passed
 *   over by claiming the next number.
 */
export class LockFile {
  readonly #options: LockFileOptions;
  #state: LockState = { kind: 'unlocked' };
  #beat: Promise<void> | undefined;

  constructor(options: LockFileOptions) {
    this.#options = options;
  }

  get held(): boolean {
    return this.#state.kind === 'locked';
  }

  /** Takes the lock or throws {@link CheckpointLockedError} naming the live holder. */
  async acquire(): Promise<void> {
    if (this.#state.kind === 'locked') return;
    const { lockPath, hostname, clock } = this.#options;
    await makeDirectoryDurably(dirname(lockPath));
    const now = clock.now();
    const record: LockRecord = { pid: process.pid, host: hostname, since: new Date(now).toISOString(), token: randomHex() };
    // Live before its first file exists, so no other store of this process takes that file for a leftover.
    liveTokens.add(record.token);
    const candidate = candidateName(lockPath, record);
    try {
      await writeCandidate(candidate, JSON.stringify(record), now);
      await this.#install(candidate, record);
    } catch (error) {
      liveTokens.delete(record.token);
      await removeFile(candidate).catch(() => undefined);
      throw error;
    }
    const timer = setInterval(() => {
      this.#heartbeat();
    }, this.#options.heartbeatMs);
    // The heartbeat alone must not keep the process alive.
    timer.unref();
    this.#state = { kind: 'locked', token: record.token, timer };
    try {
      await removeFile(candidate);
      await disk.syncDirectory(dirname(lockPath));
      await removeLeftovers(this.#options);
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  /**
   * Confirms on disk that the lock is still ours (and refreshes the heartbeat), before a write. Throws
   * {@link CheckpointNotLockedError} when it was never taken or was released, {@link CheckpointLockLostError} once
   * it was lost: every later call throws it too.
   */
  async verify(): Promise<void> {
    const { lockPath } = this.#options;
    const state = this.#state;
    if (state.kind === 'unlocked') throw new CheckpointNotLockedError(lockPath, 'call acquire() first');
    if (state.kind === 'lost') throw new CheckpointLockLostError(lockPath, state.reason);
    const lost = await this.#check(state.token);
    if (lost !== undefined) {
      this.#lose(lost);
      throw new CheckpointLockLostError(lockPath, lost);
    }
  }

  /** True once the lock was found lost; until the next `acquire`. */
  get lost(): boolean {
    return this.#state.kind === 'lost';
  }

  /** Who holds the lock file and whether `acquire` would take it over; reads only. */
  async inspect(): Promise<LockInspection> {
    const current = await readLockFile(this.#options.lockPath);
    if (current === undefined) return { kind: 'free' };
    const { stale, holder } = this.#judge(current);
    return { kind: stale ? 'stale' : 'held', holder };
  }

  /** Removes the lock file if it is still ours. Idempotent. */
  async release(): Promise<void> {
    const state = this.#state;
    this.#state = { kind: 'unlocked' };
    if (state.kind !== 'locked') return;
    clearInterval(state.timer);
    await this.#beat;
    const { lockPath } = this.#options;
    try {
      const current = await readLockFile(lockPath);
      if (current?.record?.token === state.token) {
        await removeFile(lockPath);
        await disk.syncDirectory(dirname(lockPath));
      }
    } finally {
      liveTokens.delete(state.token);
    }
  }

  async #install(candidate: string, record: LockRecord): Promise<void> {
    const { lockPath } = this.#options;
    let holder: LockHolder | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      try {
        await disk.link(candidate, lockPath);
        return;
      } catch (error) {
        if (!hasErrorCode(error, 'EEXIST')) throw error;
      }
      const current = await readLockFile(lockPath);
      // Released between our link and our look: try again.
      if (current === undefined) continue;
      // Over NFS a retransmitted link() can report EEXIST for the link it made itself.
      if (current.instance === record.token) return;
      const judged = this.#judge(current);
      holder = judged.holder;
      if (!judged.stale) throw new CheckpointLockedError(lockPath, holder);
      if (await this.#takeOver(current, candidate, record)) return;
    }
    throw new CheckpointLockedError(lockPath, holder ?? unknownHolder(this.#options.clock.now()));
  }

  /** Replaces the stale lock `stale` by `candidate`; false when the lock changed meanwhile. */
  async #takeOver(stale: LockFileContent, candidate: string, record: LockRecord): Promise<boolean> {
    const { lockPath } = this.#options;
    const claim = await this.#claim(stale, record);
    try {
      const current = await readLockFile(lockPath);
      if (current?.instance !== stale.instance) return false;
      const judged = this.#judge(current);
      // Its holder came back to life (a heartbeat since we looked).
      if (!judged.stale) throw new CheckpointLockedError(lockPath, judged.holder);
      await disk.rename(candidate, lockPath);
      return true;
    } finally {
      // A claim left behind names a lock instance that is gone; the next acquire removes it.
      await removeFile(claim).catch(() => undefined);
    }
  }

  /** Claims the right to replace `stale`: exactly one process can, per lock instance. */
  async #claim(stale: LockFileContent, record: LockRecord): Promise<string> {
    const { lockPath, clock } = this.#options;
    let holder = this.#judge(stale).holder;
    for (let attempt = 0; attempt < MAX_CLAIMS; attempt += 1) {
      const claim = claimName(lockPath, stale.instance, attempt);
      const candidate = candidateName(claim, record);
      await writeCandidate(candidate, JSON.stringify(record), clock.now());
      try {
        await disk.link(candidate, claim);
        return claim;
      } catch (error) {
        if (!hasErrorCode(error, 'EEXIST')) throw error;
      } finally {
        await removeFile(candidate).catch(() => undefined);
      }
      const other = await readLockFile(claim);
      if (other === undefined) continue;
      const judged = this.#judge(other);
      holder = judged.holder;
      // Another live process is taking the lock over right now: it is the holder to report.
      if (!judged.stale) throw new CheckpointLockedError(lockPath, holder);
    }
    throw new CheckpointLockedError(lockPath, holder);
  }

  #judge(content: LockFileContent): { stale: boolean; holder: LockHolder } {
    const { record, mtimeMs } = content;
    const holder: LockHolder = record ? { pid: record.pid, host: record.host, since: record.since } : unknownHolder(mtimeMs);
    if (this.#options.clock.now() - mtimeMs > this.#options.staleMs) return { stale: true, holder };
    if (record?.host !== this.#options.hostname) return { stale: false, holder };
    if (record.pid === process.pid) return { stale: !liveTokens.has(record.token), holder };
    return { stale: !isProcessAlive(record.pid), holder };
  }

  /** Refreshes the heartbeat if the lock is ours; otherwise says why it is not. */
  async #check(token: string): Promise<string | undefined> {
    let handle;
    try {
      // Writable, as Windows wants for setting times through a handle.
      handle = await disk.open(this.#options.lockPath, 'r+');
    } catch (error) {
      if (hasErrorCode(error, 'ENOENT')) return 'the lock file was removed';
      throw error;
    }
    try {
      // Read and touch through one handle: the file checked is the file touched.
      const record = parseRecord(await handle.readFile('utf8'));
      if (record?.token !== token) {
        return record ? `taken over by pid ${record.pid} on ${record.host}` : 'the lock file was replaced';
      }
      const now = new Date(this.#options.clock.now());
      await handle.utimes(now, now);
      return undefined;
    } finally {
      await handle.close();
    }
  }

  #heartbeat(): void {
    const state = this.#state;
    if (state.kind !== 'locked' || this.#beat !== undefined) return;
    this.#beat = this.#check(state.token)
      .then(
        (lost) => {
          if (lost !== undefined) this.#lose(lost);
        },
        () => {
          // A failed beat (a flaky disk) is retried on the next tick; verify() reports what persists.
        },
      )
      .finally(() => {
        this.#beat = undefined;
      });
  }

  #lose(reason: string): void {
    const state = this.#state;
    if (state.kind !== 'locked') return;
    clearInterval(state.timer);
    liveTokens.delete(state.token);
    this.#state = { kind: 'lost', reason };
    this.#options.onLost(reason);
  }
}
