import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'dispatcher',
    include: ['src/**/*.test.ts'],
  },
});
