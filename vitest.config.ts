import { defineConfig } from 'vitest/config';

// One root config: every package (and the crash suite) is a project, so `pnpm test:watch` runs them all in one process.
// `pnpm test` runs the same projects through turbo (each package's `vitest run`), after building
// the siblings a package imports.
export default defineConfig({
  test: {
    projects: ['packages/*', 'crash'],
  },
});
