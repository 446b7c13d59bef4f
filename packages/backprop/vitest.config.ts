import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'backprop',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // CI runs every package's suite at once on 2 cores: time limits are for hangs, not for speed.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
