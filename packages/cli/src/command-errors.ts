// How a workstream's command can fail under the shell executor: the outcomes its attempts reject with.

/** A workstream's command exited non-zero or was killed by a signal. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
  readonly code = 'CLI_COMMAND_FAILED' as const;
  constructor(
    readonly workstream: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly logFile: string,
    /** The last lines the command printed. */
    readonly tail: readonly string[],
    /** What else happened: its group outlived the grace period, processes outlived the shell. */
    readonly notes: readonly string[] = [],
  ) {
    super(
      (signal === null ? `command exited with code ${String(exitCode)}` : `command was killed by ${signal}`) +
        (notes.length > 0 ? ` (${notes.join('; ')})` : ''),
    );
  }
}

/** A workstream's log file is a symbolic link: the attempt is refused rather than writing where it points. */
export class LogFileLinkError extends Error {
  override readonly name = 'LogFileLinkError';
  readonly code = 'CLI_LOG_FILE_LINK' as const;
  constructor(readonly logFile: string) {
    super(`the log ${logFile} is a symbolic link; remove it (sdp-dispatch never writes through a link) and run again`);
  }
}

/** The supervisor of a command ended without saying how its command ended (killed on its own, say). */
export class SupervisorLostError extends Error {
  override readonly name = 'SupervisorLostError';
  readonly code = 'CLI_SUPERVISOR_LOST' as const;
  constructor(
    readonly workstream: string,
    detail: string,
  ) {
    super(`the supervisor of ${workstream}'s command ${detail}; its process group was ended`);
  }
}
