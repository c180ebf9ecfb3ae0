import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    include: ['src/**/*.test.ts'],
    // The end-to-end tests start the CLI, and it a supervisor per command: on 2 shared cores they queue.
    testTimeout: 30_000,
  },
});
