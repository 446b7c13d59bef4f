import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'optimizers',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
