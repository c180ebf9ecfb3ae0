/**
 * Sends `signal` to every process of the process group `pgid` (a detached child's pid). Returns false
 * when no process of the group is left (ESRCH); any other failure (EPERM: the group is not ours) throws.
 */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** True while at least one process of the group `pgid` exists (zombies included, until reaped). */
export function isProcessGroupAlive(pgid: number): boolean {
  return signalProcessGroup(pgid, 0);
}
