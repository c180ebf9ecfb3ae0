import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../args.js';

describe('distributed command lines', () => {
  it('parses a worker with its defaults and options', () => {
    expect(parseCommandLine(['worker', '--redis', 'redis://h:6379', '--exec', 'make'])).toEqual({
      kind: 'worker',
      args: { redis: 'redis://h:6379', queue: 'sdp', exec: 'make', concurrency: 1, lockMs: 10_000, graceMs: 10_000, verbose: false },
    });
    expect(parseCommandLine(['worker', '--redis', 'redis://h', '--exec', 'make', '-c', '3', '--queue', 'q', '--lock', '4s'])).toMatchObject(
      {
        args: { concurrency: 3, queue: 'q', lockMs: 4000 },
      },
    );
  });

  it('refuses a worker without --redis or --exec, with a folder, or with run-only options', () => {
    expect(() => parseCommandLine(['worker', '--exec', 'make'])).toThrow('"worker" needs --redis <url>');
    expect(() => parseCommandLine(['worker', '--redis', 'redis://h'])).toThrow(`"worker" needs --exec '<command>'`);
    expect(() => parseCommandLine(['worker', 'ws/', '--redis', 'redis://h', '--exec', 'x'])).toThrow('a worker takes no folder');
    expect(() => parseCommandLine(['worker', '--redis', 'redis://h', '--exec', 'x', '--retries', '2'])).toThrow(
      '--retries does not apply to "worker"',
    );
    expect(() => parseCommandLine(['worker', '--redis', 'redis://h', '--exec', 'x', '--lock', '100ms'])).toThrow(
      '--lock must be at least 500ms',
    );
  });

  it('makes run a coordinator with --redis, and keeps --exec for the workers', () => {
    expect(parseCommandLine(['run', 'ws/', '--redis', 'redis://h:1'])).toMatchObject({
      kind: 'run',
      args: { exec: '', redis: { url: 'redis://h:1', queue: 'sdp' } },
    });
    expect(() => parseCommandLine(['run', 'ws/', '--redis', 'redis://h', '--exec', 'make'])).toThrow(
      'give --exec to "sdp-dispatch worker"',
    );
    expect(() => parseCommandLine(['run', 'ws/', '--exec', 'make', '--queue', 'q'])).toThrow('--queue needs --redis');
    expect(() => parseCommandLine(['run', 'ws/', '--exec', 'make', '--lock', '2s'])).toThrow('--lock applies to "worker" only');
    expect(() => parseCommandLine(['plan', 'ws/', '--redis', 'redis://h'])).toThrow('--redis applies to "run" only');
    expect(parseCommandLine(['run', 'ws/', '--exec', 'make'])).not.toHaveProperty('args.redis');
  });
});
