import { readdirSync, readFileSync } from 'node:fs';
import { isProcessGroupAlive } from '@sdp/internal';

/** What `/proc/<pid>/stat` says of a process (Linux). */
export interface ProcessStat {
  readonly state: string;
  readonly pgid: number;
  /** Clock ticks since boot when the process started: with the boot id, a pid reused later never matches. */
  readonly startTicks: number;
}

/** `/proc` exists (Linux): group membership, zombies and start times can be read. */
export const hasProcTable = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

export function readProcessStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may hold spaces or parentheses itself: fields follow the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0] ?? '';
  return { state, pgid: Number(fields[2]), startTicks: Number(fields[19]) };
}

let cachedBootId: string | undefined;
/** This boot's id (`/proc/sys/kernel/random/boot_id`); '' where there is none. */
export function bootId(): string {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
    } catch {
      cachedBootId = '';
    }
  }
  return cachedBootId;
}

/** `<boot id>:<start ticks>` of a live process: equal only for the very same process. '' when unknown. */
export function processStartTime(pid: number): string {
  const stat = readProcessStat(pid);
  return stat === undefined ? '' : `${bootId()}:${String(stat.startTicks)}`;
}

/** A zombie has exited; an orphaned one stays in its group until some init reaps it (some never do). */
const isLive = (stat: ProcessStat | undefined): stat is ProcessStat => stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';

/** Pids of the live (not zombie) processes of group `pgid`: a full scan of `/proc`. */
export function liveGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const pid = Number(entry);
    const stat = readProcessStat(pid);
    if (isLive(stat) && stat.pgid === pgid) members.push(pid);
  }
  return members;
}

/**
 * Process groups of the live processes whose environment holds `SDP_ATTEMPT_TOKEN=<token>`: what one
 * attempt started, found even when nobody told its group (every descendant inherits the environment).
 */
export function groupsWithToken(token: string): number[] {
  if (!hasProcTable) return [];
  const needle = `SDP_ATTEMPT_TOKEN=${token}\0`;
  const groups = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const stat = readProcessStat(Number(entry));
    if (!isLive(stat)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) groups.add(stat.pgid);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return [...groups];
}

/**
 * Tells when a process group is gone: no process of it left but zombies. Cheap while it lives: it
 * watches the members it found, and scans `/proc` again only when they are all gone (a member may
 * have forked before it died). Without `/proc`, a group with zombies counts as alive.
 */
export class GroupWatch {
  #known: number[] = [];

  constructor(readonly pgid: number) {}

  isGone(): boolean {
    // ESRCH: not even a zombie is left.
    if (!isProcessGroupAlive(this.pgid)) return true;
    if (!hasProcTable) return false;
    this.#known = this.#known.filter((pid) => {
      const stat = readProcessStat(pid);
      return isLive(stat) && stat.pgid === this.pgid;
    });
    if (this.#known.length > 0) return false;
    this.#known = liveGroupMembers(this.pgid);
    return this.#known.length === 0;
  }
}
