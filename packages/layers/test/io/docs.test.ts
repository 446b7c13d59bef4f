import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, bundleForNode } from './bundle';
import { pythonHas } from './python';

interface Block {
  lang: string;
  tags: string[];
  code: string;
}

async function guideBlocks(): Promise<Block[]> {
  const md = await readFile(join(PACKAGE_ROOT, 'docs', 'saving.md'), 'utf8');
  return [...md.matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1]!,
    tags: m[2]!.trim().split(/\s+/).filter(Boolean),
    code: m[3]!,
  }));
}

const IMPORT = /^import\s+(?:(\{[^}]*\})|(\*\s+as\s+\w+))\s+from\s+'([^']+)';[^\n]*$/gm;

/**
 * The guide's TypeScript blocks as one module, in order. Each block shows its own imports, as a reader needs;
 * here they are merged at the top so a name imported twice is declared once.
 */
function guideModule(blocks: Block[]): string {
  const named = new Map<string, Set<string>>();
  const namespaces = new Set<string>();
  const bodies = blocks.map((b) =>
    b.code.replace(IMPORT, (_, braces: string | undefined, star: string | undefined, from: string) => {
      const mod = from === '@backprop/layers' ? './src/index.ts' : from;
      if (star) namespaces.add(`import ${star} from '${mod}';`);
      else
        for (const n of braces!.slice(1, -1).split(','))
          if (n.trim()) (named.get(mod) ?? named.set(mod, new Set()).get(mod)!).add(n.trim());
      return '';
    }),
  );
  const header = [
    ...namespaces,
    ...[...named].map(([mod, names]) => `import { ${[...names].join(', ')} } from '${mod}';`),
  ];
  // The IndexedDB block runs against fake-indexeddb: Node has no IndexedDB.
  if (blocks.some((b) => b.tags.includes('indexeddb'))) header.unshift("import 'fake-indexeddb/auto';");
  return [...header, ...bodies].join('\n');
}

let cwd: string;
let bundle: string;
let stdout: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'backprop-guide-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
  if (bundle) await rm(bundle, { force: true });
});

describe('docs/saving.md', () => {
  it('every TypeScript block runs, in order, and prints what the guide says', async () => {
    const blocks = (await guideBlocks()).filter((b) => b.lang === 'ts' && !b.tags.includes('browser-only'));
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    bundle = await bundleForNode({ contents: guideModule(blocks) }, 'guide', ['onnxruntime-node']);
    const run = spawnSync(process.execPath, [bundle], { cwd, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    stdout = run.stdout;
    for (const claim of [
      'identical',
      'memory round trip',
      'one ArrayBuffer',
      'resumed exactly',
      'weights only',
      'indexeddb',
    ])
      expect(stdout).toContain(`${claim}: true`);
    expect(stdout).toContain('rejected: out-of-range');
    expect(stdout).toMatch(/best checkpoint: checkpoints\/xor-\d{3}-\d\.\d{4} loss/);
    const backprop = Number(/backprop says: ([\d.e-]+)/.exec(stdout)?.[1]);
    expect(backprop).toBeGreaterThan(0.9);
    const onnx = Number(/onnx runtime says: ([\d.e-]+)/.exec(stdout)?.[1]);
    expect(Math.abs(onnx - backprop)).toBeLessThanOrEqual(1e-5);
  }, 60_000);

  it.skipIf(!pythonHas('torch'))(
    'the Python block runs in PyTorch on the exported files and agrees',
    async () => {
      expect(stdout).toBeDefined();
      const blocks = (await guideBlocks()).filter((b) => b.lang === 'python');
      expect(blocks).toHaveLength(1);
      const out = spawnSync('/usr/bin/python3', ['-c', blocks[0]!.code], { cwd, encoding: 'utf8' });
      expect(out.stderr).toBe('');
      const torch = Number(/pytorch says: ([\d.e-]+)/.exec(out.stdout)?.[1]);
      const backprop = Number(/backprop says: ([\d.e-]+)/.exec(stdout)?.[1]);
      expect(backprop).toBeGreaterThan(0.9);
      expect(Math.abs(torch - backprop)).toBeLessThanOrEqual(1e-6);
    },
  );
});
