import { defineConfig } from 'vitest/config';

// `npx vitest` at the root runs every project at once; `pnpm test` runs them per package through turbo.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/demo'],
  },
});
