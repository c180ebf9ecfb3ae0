import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // @sdp/internal is a private workspace package: bundle its code and inline its types.
  noExternal: ['@sdp/internal'],
  dts: { resolve: ['@sdp/internal'] },
  clean: true,
  target: 'node20',
});
