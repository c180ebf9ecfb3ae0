import { defineConfig } from 'tsup';

// @sdp/internal is a private workspace package: bundle its code and inline its types.
const internal = { noExternal: ['@sdp/internal'], target: 'node20' };

export default defineConfig([
  {
    // The workstream-file reader, for programs that want the command's view of a folder.
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: { resolve: ['@sdp/internal'] },
    clean: true,
    ...internal,
  },
  {
    // The sdp-dispatch command: ESM only, no types.
    entry: { cli: 'src/bin.ts' },
    format: ['esm'],
    ...internal,
  },
]);
