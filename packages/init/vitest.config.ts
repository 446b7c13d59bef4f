import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'init',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
