import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'crash',
    include: ['src/**/*.test.ts'],
    // Every file spawns real processes (the CLI, its commands); on 2 cores they queue anyway.
    testTimeout: 30_000,
  },
});
