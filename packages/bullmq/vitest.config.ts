import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'bullmq',
    include: ['src/**/*.test.ts'],
    // Every test file starts its own redis-server; real processes need more than the default 5 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
