import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCliError } from './cli-error.js';
import { isUsageError, parseCommandLine, parseDuration, UsageError } from './args.js';

// A working directory outside any repository: the state root of a relative folder is the directory itself.
const cwd = mkdtempSync(join(tmpdir(), 'sdp-args-'));

describe('parseCommandLine', () => {
  it('parses run with its defaults', () => {
    expect(parseCommandLine(['run', 'ws', '--exec', 'make'], cwd)).toEqual({
      kind: 'run',
      args: {
        dir: 'ws',
        checkpointDir: join(cwd, '.sdp', 'checkpoints'),
        stateRoot: cwd,
        exclude: [],
        verbose: false,
        exec: 'make',
        concurrency: 3,
        fresh: false,
        retries: 0,
        graceMs: 10_000,
        breaker: { threshold: 3, window: 5, halfOpenAfterMs: 60_000 },
        onBreakerOpen: 'wait',
        json: false,
      },
    });
  });

  it('parses every run option', () => {
    const parsed = parseCommandLine(
      [
        'run',
        'ws',
        '-e',
        'x',
        '-c',
        '8',
        '-f',
        '052',
        '--checkpoint-dir',
        'cp',
        '--fresh',
        '--retries',
        '2',
        '--retry-delay',
        '5s',
        '--timeout',
        '20m',
        '--grace',
        '0',
        '--breaker-threshold',
        '2',
        '--breaker-window',
        '4',
        '--breaker-timeout',
        '90s',
        '--on-breaker-open',
        'stop',
        '--json',
        '-v',
        '--exclude',
        'TEMPLATE.md',
        '--exclude',
        'archive/**',
      ],
      cwd,
    );
    expect(parsed).toEqual({
      kind: 'run',
      args: {
        dir: 'ws',
        feature: '052',
        checkpointDir: join(cwd, 'cp'),
        stateRoot: cwd,
        exclude: ['TEMPLATE.md', 'archive/**'],
        verbose: true,
        exec: 'x',
        concurrency: 8,
        fresh: true,
        retries: 2,
        retryDelayMs: 5000,
        timeoutMs: 1_200_000,
        graceMs: 0,
        breaker: { threshold: 2, window: 4, halfOpenAfterMs: 90_000 },
        onBreakerOpen: 'stop',
        json: true,
      },
    });
  });

  it('gives help and version before anything else', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['plan', '--version'])).toEqual({ kind: 'version' });
  });

  it.each([
    [[], 'missing command: run, plan, status or clean'],
    [['go', 'x'], 'unknown command "go": use run, plan, status or clean'],
    [['plan'], 'missing <dir>: sdp-dispatch plan <dir>'],
    [['plan', 'a', 'b'], 'unexpected argument "b"'],
    [['run', 'ws'], `"run" needs --exec '<command>'`],
    [['run', 'ws', '-e', 'x', '-c', '0'], '--concurrency must be a whole number >= 1, got "0"'],
    [['run', 'ws', '-e', 'x', '-c', 'many'], '--concurrency must be a whole number >= 1, got "many"'],
    [['run', 'ws', '-e', 'x', '--on-breaker-open', 'later'], '--on-breaker-open must be wait or stop, got "later"'],
    [['clean', 'ws', '--json'], '--json applies to run, plan and status only'],
    [['plan', 'ws', '--exec', 'x'], '--exec applies to "run" only'],
    [['plan', 'ws', '--exclude', ' '], '--exclude needs a glob'],
    [['run', 'ws', '-e', 'x', '--breaker-threshold', '9'], '--breaker-threshold (9) cannot exceed --breaker-window (5)'],
    [['plan', 'ws', '--nope'], "Unknown option '--nope'"],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
    let error: unknown;
    try {
      parseCommandLine(argv);
    } catch (thrown) {
      error = thrown;
    }
    expect(isUsageError(error) && isCliError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'UsageError', code: 'CLI_USAGE' });
  });

  it('takes --json for plan and status', () => {
    expect(parseCommandLine(['plan', 'ws', '--json'], cwd)).toMatchObject({ kind: 'plan', args: { json: true } });
    expect(parseCommandLine(['status', 'ws', '--json'], cwd)).toMatchObject({ kind: 'status', args: { json: true } });
  });

  it('puts the state at the root of the repository holding the folder, from whatever directory', () => {
    const repository = mkdtempSync(join(tmpdir(), 'sdp-repo-'));
    mkdirSync(join(repository, '.git'));
    mkdirSync(join(repository, 'docs', 'workstreams'), { recursive: true });
    const expected = { stateRoot: repository, checkpointDir: join(repository, '.sdp', 'checkpoints') };
    expect(parseCommandLine(['plan', 'docs/workstreams'], repository)).toMatchObject({ args: expected });
    expect(parseCommandLine(['plan', 'workstreams'], join(repository, 'docs'))).toMatchObject({ args: expected });
    expect(parseCommandLine(['plan', join(repository, 'docs', 'workstreams')], cwd)).toMatchObject({ args: expected });
    // --checkpoint-dir moves the checkpoints only, resolved where the command was typed.
    expect(parseCommandLine(['plan', 'workstreams', '--checkpoint-dir', 'cp'], join(repository, 'docs'))).toMatchObject({
      args: { stateRoot: repository, checkpointDir: join(repository, 'docs', 'cp') },
    });
  });
});

describe('parseDuration', () => {
  it.each([
    ['1500', 1500],
    ['1500ms', 1500],
    ['90s', 90_000],
    ['20m', 1_200_000],
    ['1.5h', 5_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration('--timeout', text)).toBe(ms);
  });

  it('refuses what is not a duration, and zero unless allowed', () => {
    expect(() => parseDuration('--timeout', '5 minutes')).toThrow(
      '--timeout must be a duration like 1500ms, 90s, 20m or 1h, got "5 minutes"',
    );
    expect(() => parseDuration('--timeout', '0')).toThrow('--timeout must be at least 1ms, got "0"');
    expect(parseDuration('--grace', '0', 0)).toBe(0);
  });
});
