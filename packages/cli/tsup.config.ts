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
  {
    // The supervisor of one command (started per attempt): a file of its own, with node:* imports only,
    // so that it starts fast.
    entry: { supervisor: 'src/supervisor-bin.ts' },
    format: ['esm'],
    ...internal,
  },
]);
