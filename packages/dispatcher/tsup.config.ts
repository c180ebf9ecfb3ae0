import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
  },
  {
    // The sdp-dispatch command: ESM only, no types.
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    target: 'node20',
  },
]);
