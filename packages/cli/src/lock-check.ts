import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/**
 * Why the checkpoint lock at `lockPath` is no longer this process's, or undefined while it is. Read
 * before each command starts: a run paused past the lock's staleness (Ctrl-Z, a suspended laptop)
 * learns it was taken over before it starts anything, not at its next heartbeat.
 */
export async function lockLostReason(lockPath: string): Promise<string | undefined> {
  let holder: { pid?: unknown; host?: unknown; since?: unknown };
  try {
    holder = JSON.parse(await readFile(lockPath, 'utf8')) as typeof holder;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'the lock file was removed';
    // Being replaced right now, or unreadable: the store's own checks decide.
    return undefined;
  }
  if (holder.pid === process.pid && holder.host === hostname()) return undefined;
  return `process ${String(holder.pid)} on ${String(holder.host)} holds it since ${String(holder.since)}`;
}
