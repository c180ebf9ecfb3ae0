import { describe, expect, it } from 'vitest';
import { UsageError } from './args.js';
import { CLI_ERROR_CODES, CliError, isCliError } from './cli-error.js';
import { CommandFailedError, isCommandFailedError, LogFileLinkError, SupervisorLostError } from './command-errors.js';
import { InDoubtElsewhereError, isInDoubtElsewhereError } from './in-doubt.js';
import { RunRecordError } from './report/run-store.js';
import { RunLockLostError } from './run-command.js';

// Every error the command makes on purpose, outside the workstream reader (workstreams/errors.test.ts).
const made = [
  new UsageError('bad flag'),
  new CommandFailedError('a', 1, null, '/logs/a.log', ['boom']),
  new LogFileLinkError('/logs/a.log'),
  new SupervisorLostError('a', 'was killed'),
  new InDoubtElsewhereError('a', 'host-b'),
  new RunLockLostError('F052', 'taken over by pid 7 on host-b'),
  new RunRecordError('CLI_RUN_NOT_FOUND', 'no run records', '/w/.sdp/runs'),
];

describe('the errors of the command', () => {
  it('all share the base class CliError, each with its own CLI_ code', () => {
    for (const error of made) {
      expect(error).toBeInstanceOf(CliError);
      expect(isCliError(error)).toBe(true);
      expect(CLI_ERROR_CODES.has(error.code)).toBe(true);
    }
    expect(new Set(made.map((error) => error.code)).size).toBe(made.length);
    expect(new Set(made.map((error) => error.name)).size).toBe(made.length);
    expect(new RunRecordError('CLI_RUN_RECORD_INVALID', 'x', '/r.json').code).toBe('CLI_RUN_RECORD_INVALID');
  });

  it('keep what the summary and the exit code read', () => {
    const failed = made[1] as CommandFailedError;
    expect(failed).toMatchObject({ code: 'CLI_COMMAND_FAILED', exitCode: 1, logFile: '/logs/a.log', tail: ['boom'] });
    expect(failed.message).toBe('command exited with code 1');
    expect(new CommandFailedError('a', null, 'SIGKILL', '/l', [], ['its group outlived the grace period']).message).toBe(
      'command was killed by SIGKILL (its group outlived the grace period)',
    );
    expect(made[4]?.message).toContain('resume on host-b');
  });

  it('are recognised by their guards by name and code, also from another copy of the package', () => {
    const copy = (name: string, code: string) => Object.assign(new Error('x'), { name, code });
    expect(isCommandFailedError(copy('CommandFailedError', 'CLI_COMMAND_FAILED'))).toBe(true);
    expect(isInDoubtElsewhereError(copy('InDoubtElsewhereError', 'CLI_IN_DOUBT_ELSEWHERE'))).toBe(true);
    // The old code, or the right code under another name, is not the class.
    expect(isCommandFailedError(copy('CommandFailedError', 'COMMAND_FAILED'))).toBe(false);
    expect(isCommandFailedError(copy('SimulatedError', 'CLI_COMMAND_FAILED'))).toBe(false);
    expect(isInDoubtElsewhereError(made[1])).toBe(false);
    expect(isCliError(copy('Error', 'CLI_LOCK_LOST'))).toBe(true);
    expect(isCliError(copy('Error', 'DISPATCHER_LOCK_LOST'))).toBe(false);
  });
});
