import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'data',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The statistical and MNIST tests take a second or two; leave room for a busy CI machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
