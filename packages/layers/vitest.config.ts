import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'layers',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
