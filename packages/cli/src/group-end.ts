import { setTimeout as sleep } from 'node:timers/promises';
import { signalProcessGroup } from '@sdp/internal';
import { GroupWatch } from './process-table.js';

/** How often a group is looked at while it is being waited for: often at first, then less. */
const pollMs = (elapsedMs: number) => (elapsedMs < 250 ? 5 : elapsedMs < 2000 ? 20 : 100);

/**
 * Ends one process group the one way every path of the CLI ends one (the supervisor when its
 * command is stopped or its dispatcher is gone, the executor when a supervisor died, a resume ending
 * a survivor): the stop signal, then SIGKILL once `graceMs` has passed, and done only when no process
 * of the group is left (zombies aside).
 */
export class GroupEnd {
  readonly #watch: GroupWatch;
  #killTimer: NodeJS.Timeout | undefined;
  #gone: Promise<void> | undefined;
  /** SIGKILL was sent: the group did not end within the grace period (or was killed at once). */
  forced = false;
  /** The stop signal was sent (by {@link stop}). */
  stopping = false;

  constructor(
    readonly pgid: number,
    readonly graceMs: number,
  ) {
    this.#watch = new GroupWatch(pgid);
  }

  /** Sends `signal` to the group and arms the SIGKILL after the grace period. Only the first call counts. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.stopping || this.forced) return;
    this.stopping = true;
    send(this.pgid, signal);
    // A command stopped by SIGSTOP/SIGTSTP would not see the signal until continued.
    send(this.pgid, 'SIGCONT');
    this.#killTimer = setTimeout(() => {
      this.kill();
    }, this.graceMs);
  }

  /** SIGKILL to the group now. */
  kill(): void {
    clearTimeout(this.#killTimer);
    this.stopping = true;
    this.forced = true;
    send(this.pgid, 'SIGKILL');
  }

  isGone(): boolean {
    return this.#watch.isGone();
  }

  /** Resolves once the group is gone; the SIGKILL timer is cleared then, never before. */
  whenGone(): Promise<void> {
    this.#gone ??= (async () => {
      const since = Date.now();
      while (!this.#watch.isGone()) await sleep(pollMs(Date.now() - since));
      clearTimeout(this.#killTimer);
    })();
    return this.#gone;
  }
}

/** Ends group `pgid` (see {@link GroupEnd}); 'gone' when nothing of it was alive, 'ended' otherwise. */
export async function endProcessGroup(pgid: number, graceMs: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<'ended' | 'gone'> {
  const end = new GroupEnd(pgid, graceMs);
  if (end.isGone()) return 'gone';
  end.stop(signal);
  await end.whenGone();
  return 'ended';
}

function send(pgid: number, signal: NodeJS.Signals): void {
  try {
    signalProcessGroup(pgid, signal);
  } catch {
    // EPERM: a member we may not signal (a set-uid program); the others got it, and the wait goes on.
  }
}
