import { defineConfig } from 'tsup';

// Only one bundled declaration file, which the published packages' builds inline (`dts.resolve`);
// the code itself is bundled from src by each package, and tests import src directly.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: { only: true },
  clean: true,
});
