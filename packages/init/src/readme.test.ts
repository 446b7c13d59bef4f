import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

// The README's ```ts blocks are executed, so a renamed export or a changed default breaks this test, not the docs.
const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
// Written inside the package (git-ignored) so the snippets' imports of sibling packages resolve as a user's would.
const dir = join(here, '..', '.vitest', 'snippets');

describe('README snippets', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has snippets to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  blocks.forEach((code, i) => {
    it(`snippet ${i + 1} runs`, async () => {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `snippet-${i + 1}.ts`);
      writeFileSync(file, code.replaceAll("'@backprop/init'", JSON.stringify(join(here, 'index.ts'))));
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      try {
        await import(/* @vite-ignore */ file);
        expect(log).toHaveBeenCalled();
      } finally {
        log.mockRestore();
      }
    });
  });
});
