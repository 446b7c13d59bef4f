import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Runs every ```ts block of the README (those marked `ts no-run` need files or the network), so the examples
// cannot rot. Each block becomes a module importing the package source instead of the published name.
const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
const dir = mkdtempSync(join(tmpdir(), 'backprop-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README examples', () => {
  it('has runnable examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))('example %i runs', async (i, code) => {
    const file = join(dir, `example-${i}.ts`);
    writeFileSync(file, code.replaceAll("'@backprop/data'", JSON.stringify(join(root, 'src/index.ts'))));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
    }
  });

  it('the batch / mini-batch / stochastic example prints what the README says', async () => {
    const code = blocks.find((b) => b.includes("['stochastic', stochastic]"))!;
    const file = join(dir, 'steps.ts');
    writeFileSync(file, code.replaceAll("'@backprop/data'", JSON.stringify(join(root, 'src/index.ts'))));
    const lines: string[] = [];
    const log = vi
      .spyOn(console, 'log')
      .mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
    }
    const documented = [...code.matchAll(/^\/\/ ((?:batch|mini-batch|stochastic) .*)$/gm)].map((m) => m[1]);
    expect(lines).toEqual(documented);
  });
});
