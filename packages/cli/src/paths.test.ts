import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logDirOf, resumeCommandOf, shellQuote } from './paths.js';

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

  it('builds the resume command without --fresh, as the user invoked the CLI', () => {
    vi.stubEnv('npm_lifecycle_event', '');
    expect(resumeCommandOf(['run', 'ws', '--exec', 'make $SDP_WS_ID', '--fresh'])).toBe(`sdp-dispatch run ws --exec 'make $SDP_WS_ID'`);
    vi.stubEnv('npm_lifecycle_event', 'sdp-dispatch');
    expect(resumeCommandOf(['run', 'ws', '-e', 'make'])).toBe('pnpm sdp-dispatch run ws -e make');
  });
});
