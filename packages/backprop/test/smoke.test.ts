import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Loads every built package in a plain Node process (no bundler, no vitest transforms) through both its
// `import` and its `require` entry, and checks that both expose the same names.
const here = dirname(fileURLToPath(import.meta.url));
const pkgRoot = join(here, '..');
const manifest = JSON.parse(readFileSync(join(pkgRoot, 'package.json'), 'utf8')) as {
  name: string;
  dependencies: Record<string, string>;
};
const packages = [manifest.name, ...Object.keys(manifest.dependencies)];

function exportNames(kind: 'import' | 'require', name: string): string[] {
  const spec = JSON.stringify(name);
  const script =
    kind === 'import'
      ? `const m = await import(${spec}); console.log(JSON.stringify(Object.keys(m).filter(k => k !== 'default').sort()));`
      : `const m = require(${spec}); console.log(JSON.stringify(Object.keys(m).sort()));`;
  const args = kind === 'import' ? ['--input-type=module', '-e', script] : ['-e', script];
  const out = execFileSync(process.execPath, args, { cwd: pkgRoot, encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

describe('built packages load in plain Node', () => {
  it.each(packages)('%s: import and require expose the same exports', (name) => {
    const esm = exportNames('import', name);
    const cjs = exportNames('require', name);
    expect(cjs).toEqual(esm);
  });

  it('the umbrella groups the training packages as namespaces', () => {
    expect(exportNames('import', 'backprop')).toEqual(
      expect.arrayContaining(['data', 'init', 'layers', 'losses', 'optimizers']),
    );
  });
});
