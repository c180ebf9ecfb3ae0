import { defineProject } from 'vitest/config';

// `pnpm test:chaos`: the BullMQ chaos run against a real redis-server (see vitest.config.ts for why it is apart).
export default defineProject({
  test: {
    name: 'crash-chaos',
    include: ['src/**/*.chaos.test.ts'],
    testTimeout: 120_000,
  },
});
