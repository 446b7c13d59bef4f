import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

// The package must load in browsers: Node built-ins may only be reached through dynamic import() inside the
// functions that need them, never through a static import that would run when the module loads.
describe('the package loads without Node built-ins', () => {
  it('no source file imports a Node built-in statically', () => {
    const offenders = sources(join(root, 'src')).filter((f) =>
      /^\s*import\s[^(]*from\s+['"](node:|fs|zlib|path|os|url|crypto)['"/]/m.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it.skipIf(!existsSync(join(root, 'dist/index.js')))(
    'the built ESM bundle has no top-level node: import',
    () => {
      const esm = readFileSync(join(root, 'dist/index.js'), 'utf8');
      expect(esm).not.toMatch(/^\s*import\s[^(]*['"]node:/m);
      expect(esm).toMatch(/import\(\s*(\/\*[^*]*\*\/\s*)?["']node:zlib["']\s*\)/); // still reachable where needed
    },
  );
});
