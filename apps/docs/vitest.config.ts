import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'docs',
    include: ['test/**/*.test.ts'],
    // The examples train small networks on the js backend: give them room on a busy 2-core machine.
    testTimeout: 60_000,
  },
});
