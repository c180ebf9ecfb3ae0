import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandOf, logDirOf, resumeCommandOf, shellQuote } from './paths.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('paths', () => {
  it('puts the logs beside the checkpoints', () => {
    expect(logDirOf('.sdp/checkpoints', 'F060')).toBe(join(resolve('.sdp'), 'logs', 'F060'));
  });

  it('quotes only what a shell would split or expand', () => {
    expect(shellQuote('examples/feature-F060')).toBe('examples/feature-F060');
    expect(shellQuote('node agent.mjs')).toBe(`'node agent.mjs'`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });

  it('builds the resume command without --fresh, as the user invoked the CLI, working from any directory', () => {
    vi.stubEnv('npm_lifecycle_event', '');
    expect(resumeCommandOf(['run', 'ws', '--exec', 'make $SDP_WS_ID', '--fresh'], '/repo/docs')).toBe(
      `sdp-dispatch run /repo/docs/ws --exec 'make $SDP_WS_ID'`,
    );
    expect(resumeCommandOf(['run', '--checkpoint-dir=cp', '/abs/ws', '-e', 'x', '--exclude', 'a b.md'], '/here')).toBe(
      `sdp-dispatch run --checkpoint-dir=/here/cp /abs/ws -e x --exclude 'a b.md'`,
    );
    vi.stubEnv('npm_lifecycle_event', 'sdp-dispatch');
    vi.stubEnv('npm_package_json', '/repo/package.json');
    expect(resumeCommandOf(['run', 'ws', '-e', 'make'], '/repo')).toBe('pnpm --dir /repo sdp-dispatch run /repo/ws -e make');
  });

  it('writes another command for the same folder, feature and state', () => {
    vi.stubEnv('npm_lifecycle_event', '');
    expect(commandOf('run', { dir: 'ws', feature: 'F052', exclude: ['TEMPLATE.md'] }, ['--exec', '<command>'], '/repo')).toBe(
      `sdp-dispatch run /repo/ws --feature F052 --exclude TEMPLATE.md --exec '<command>'`,
    );
  });
});
