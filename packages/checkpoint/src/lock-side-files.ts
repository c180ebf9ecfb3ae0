// The files an acquirer writes beside a lock: temp files and take-over claims. How they are named, and
// when one left behind by an earlier acquirer may be removed.
import { basename, dirname, join } from 'node:path';
import type { Clock } from '@sdp/internal';
import { disk, removeFile, statIfExists } from './disk.js';
import { hostTag, isProcessAlive, liveTokens, type LockRecord } from './lock-record.js';

/** The claim on lock instance `instance`: its `attempt`-th, since the owner of an earlier one may have died. */
export function claimName(lockPath: string, instance: string, attempt: number): string {
  return `${lockPath}.steal-${instance}-${attempt}`;
}

/**
 * A temp file beside `target`, named after its writer, so that a leftover can be told from the file of
 * an acquirer at work even when it was left empty: `<target>.<pid>.<host hash>.<token>.tmp`.
 */
export function candidateName(target: string, record: LockRecord): string {
  return `${target}.${record.pid}.${hostTag(record.host)}.${record.token}.tmp`;
}

const CLAIM = /^steal-[0-9a-f]{32}-\d+$/;
const CANDIDATE = /^(?:steal-[0-9a-f]{32}-\d+\.)?(\d+)\.([0-9a-f]{8})\.([0-9a-f]{32})\.tmp$/;

export interface LeftoverOptions {
  readonly lockPath: string;
  readonly hostname: string;
  readonly clock: Clock;
  readonly staleMs: number;
}

/** Removes claims and temp files of earlier acquirers; a temp file is kept while its writer may be at work. */
export async function removeLeftovers({ lockPath, hostname, clock, staleMs }: LeftoverOptions): Promise<void> {
  const dir = dirname(lockPath);
  const base = basename(lockPath);
  const ourHost = hostTag(hostname);
  let removed = false;
  for (const name of await disk.readdir(dir)) {
    if (!name.startsWith(`${base}.`)) continue;
    const rest = name.slice(base.length + 1);
    const isClaim = CLAIM.test(rest);
    const candidate = CANDIDATE.exec(rest);
    if (!isClaim && candidate === null) continue;
    const path = join(dir, name);
    if (candidate !== null) {
      const [, pidText = '', host, token = ''] = candidate;
      const pid = Number(pidText);
      const writerGone = host === ourHost && (pid === process.pid ? !liveTokens.has(token) : !isProcessAlive(pid));
      const stats = await statIfExists(path);
      if (stats === undefined || (!writerGone && clock.now() - stats.mtimeMs <= staleMs)) continue;
    }
    removed = (await removeFile(path)) || removed;
  }
  if (removed) await disk.syncDirectory(dir);
}
