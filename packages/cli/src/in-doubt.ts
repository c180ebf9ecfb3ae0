import { readFileSync } from 'node:fs';
import { bootId, GroupWatch, hasProcTable, liveGroupMembers, processStartTime } from './process-table.js';
import type { AttemptHandle, DispatcherOptions } from '@sdp/dispatcher';

type EndInDoubt = NonNullable<DispatcherOptions['endInDoubt']>;
import { hasErrorCode } from '@sdp/internal';
import { CliError } from './cli-error.js';
import { GroupEnd } from './group-end.js';

/** A workstream was running on another host when its run stopped: nothing here can tell whether it still runs. */
export class InDoubtElsewhereError extends CliError {
  override readonly name = 'InDoubtElsewhereError';
  declare readonly code: 'CLI_IN_DOUBT_ELSEWHERE';
  constructor(
    readonly workstream: string,
    readonly host: string,
  ) {
    super(
      'CLI_IN_DOUBT_ELSEWHERE',
      `${workstream} was running on host ${host} when its run stopped, and may still run there; ` +
        `resume on ${host} (which ends it first), or once nothing of it runs there, start over with --fresh`,
    );
  }
}

const CLI_IN_DOUBT_ELSEWHERE: ReadonlySet<string> = new Set(['CLI_IN_DOUBT_ELSEWHERE']);

export function isInDoubtElsewhereError(value: unknown): value is InDoubtElsewhereError {
  return hasErrorCode(value, 'InDoubtElsewhereError', CLI_IN_DOUBT_ELSEWHERE);
}

export interface InDoubtEvent {
  readonly id: string;
  readonly pgid: number;
}

/**
 * The CLI's `endInDoubt`: a command recorded as running by an earlier run, if its process group still
 * lives on this host (the same process, by start time and boot, or a member carrying the attempt's
 * token), gets SIGTERM, the grace period, then SIGKILL, and the workstream starts again only once
 * it is gone. A handle of another host is refused ({@link InDoubtElsewhereError}).
 */
export function inDoubtEnder(options: { host: string; graceMs: number; onEnding: (event: InDoubtEvent) => void }): EndInDoubt {
  return async (id, handle, signal) => {
    const { pgid, host } = handle;
    if (typeof pgid !== 'number' || !Number.isInteger(pgid) || pgid <= 1) return 'gone';
    if (host !== options.host) throw new InDoubtElsewhereError(id, String(host));
    if (new GroupWatch(pgid).isGone() || !isSameAttempt(pgid, handle)) return 'gone';
    options.onEnding({ id, pgid });
    const end = new GroupEnd(pgid, options.graceMs);
    const killNow = () => {
      end.kill();
    };
    // The run is being stopped: no grace period for a survivor of an earlier one.
    if (signal.aborted) killNow();
    else signal.addEventListener('abort', killNow, { once: true });
    try {
      end.stop('SIGTERM');
      await end.whenGone();
    } finally {
      signal.removeEventListener('abort', killNow);
    }
    return 'ended';
  };
}

/** The live group `pgid` is the one the handle recorded, not a later one that reuses its number. */
function isSameAttempt(pgid: number, handle: AttemptHandle): boolean {
  if (!hasProcTable) return true;
  const { startTime, token } = handle;
  // Recorded in an earlier boot: every process of it is gone.
  if (typeof startTime === 'string' && startTime !== '' && !startTime.startsWith(`${bootId()}:`)) return false;
  if (typeof startTime === 'string' && startTime !== '' && processStartTime(pgid) === startTime) return true;
  // The shell that led the group is gone; a member carrying the attempt's token is still its own.
  if (typeof token !== 'string' || token === '') return false;
  const needle = `SDP_ATTEMPT_TOKEN=${token}\0`;
  return liveGroupMembers(pgid).some((pid) => {
    try {
      return readFileSync(`/proc/${String(pid)}/environ`, 'latin1').includes(needle);
    } catch {
      return false;
    }
  });
}
