import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'backprop',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
