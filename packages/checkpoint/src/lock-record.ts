// The lock file's content and how it is read: the record a holder writes, and what tells a live holder
// from one that is gone.
import { createHash } from 'node:crypto';
import { hasErrorCode, openIfExists } from './disk.js';
import type { LockHolder } from './errors.js';

/** What a lock file (or a take-over claim) says; `token` tells one lock instance from every other. */
export interface LockRecord extends LockHolder {
  readonly token: string;
}

/** A lock or claim file as read just now. */
export interface LockFileContent {
  /** Identifies this very file: its token, or for a damaged file a hash of its bytes and inode. */
  readonly instance: string;
  readonly record: LockRecord | undefined;
  /** The holder's last heartbeat, by the holder's clock. */
  readonly mtimeMs: number;
}

const TOKEN = /^[0-9a-f]{32}$/;

// Tokens of the locks held in this process, shared by every copy of this package loaded in it: a lock
// file naming this pid with a token not in here was left by an earlier process that had the same pid.
const LIVE_TOKENS = Symbol.for('@sdp/checkpoint.liveLockTokens');
const globalRegistry = globalThis as unknown as Record<symbol, Set<string> | undefined>;
export const liveTokens = (globalRegistry[LIVE_TOKENS] ??= new Set<string>());

export function parseRecord(raw: string): LockRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, host, since, token } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (typeof host !== 'string' || host === '' || typeof since !== 'string') return undefined;
  if (typeof token !== 'string' || !TOKEN.test(token)) return undefined;
  return { pid, host, since, token };
}

/** The holder of a lock file that cannot be read (damaged by hand, say). */
export function unknownHolder(sinceMs: number): LockHolder {
  return { pid: 0, host: 'unknown', since: new Date(sinceMs).toISOString() };
}

/** A short, file-name-safe tag of a host name. */
export function hostTag(host: string): string {
  return createHash('sha256').update(host).digest('hex').slice(0, 8);
}

/** Whether a process of this host with that pid exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return hasErrorCode(error, 'EPERM');
  }
}

/** A lock or claim file as it is now, or undefined when there is none. */
export async function readLockFile(path: string): Promise<LockFileContent | undefined> {
  const handle = await openIfExists(path);
  if (handle === undefined) return undefined;
  try {
    const stats = await handle.stat();
    const raw = await handle.readFile('utf8');
    const record = parseRecord(raw);
    const instance = record?.token ?? createHash('sha256').update(raw).update(String(stats.ino)).digest('hex').slice(0, 32);
    return { instance, record, mtimeMs: stats.mtimeMs };
  } finally {
    await handle.close();
  }
}
