import { defineConfig } from 'tsup';

export default defineConfig({
  // `testing` starts a throwaway redis-server for tests (this package's, the crash suite's, the CLI's).
  entry: ['src/index.ts', 'src/testing.ts'],
  format: ['esm', 'cjs'],
  // @sdp/internal is a private workspace package: bundle its code and inline its types.
  noExternal: ['@sdp/internal'],
  dts: { resolve: ['@sdp/internal'] },
  clean: true,
  target: 'node20',
});
