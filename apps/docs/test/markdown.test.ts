// The docs cannot rot: every fenced `ts` block in the Markdown pages runs here against the built packages, and
// every `<<<` include points at an example that exists (examples.test.ts runs and checks those).
import { mkdirSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pageDirs = ['.', 'guide', 'how-to'];

function pages(): string[] {
  return pageDirs.flatMap((d) =>
    readdirSync(join(root, d))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(root, d, f)),
  );
}

export interface Block {
  page: string;
  line: number;
  meta: string;
  code: string;
}

/** Fenced code blocks of a page whose language is `ts` (or `typescript`). */
export function tsBlocks(page: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(ts|typescript)\b(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence); j++) body.push(lines[j]!);
    blocks.push({ page, line: i + 1, meta: open[4]!.trim(), code: body.join('\n') });
    i = j;
  }
  return blocks;
}

const all = pages().flatMap((p) => tsBlocks(relative(root, p), readFileSync(p, 'utf8')));
const runnable = all.filter((b) => !b.meta.includes('no-run'));
const outDir = join(root, '.vitest', 'blocks');

describe('the block extractor', () => {
  it('finds ts blocks with their meta and skips other languages', () => {
    const md = ['# t', '```ts', 'a();', '```', '```sh', 'ls', '```', '```ts no-run', 'b();', '```'].join(
      '\n',
    );
    expect(tsBlocks('x.md', md)).toEqual([
      { page: 'x.md', line: 2, meta: '', code: 'a();' },
      { page: 'x.md', line: 8, meta: 'no-run', code: 'b();' },
    ]);
  });
  it('finds enough blocks in the pages to matter', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(15);
    // no-run is for code that needs something a test cannot have (a browser, files on disk); keep it rare.
    expect(all.length - runnable.length).toBeLessThanOrEqual(5);
  });
});

describe('every ts block in the docs runs', () => {
  mkdirSync(outDir, { recursive: true });
  it.each(runnable.map((b) => [`${b.page}:${b.line}`, b] as const))('%s', async (_name, block) => {
    const file = join(outDir, `${block.page.replace(/[/.]/g, '_')}_${block.line}.ts`);
    // Each block is a module of its own; `export {}` keeps top-level names from clashing.
    writeFileSync(file, `${block.code}\nexport {};\n`);
    const logs: unknown[][] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void logs.push(args);
    try {
      await import(pathToFileURL(file).href);
    } finally {
      console.log = original;
    }
    // A `// → value` comment after console.log(...) states what that call prints; it must sit on the line of a
    // one-line console.log, or it would be silently unchecked.
    for (const l of block.code.split('\n').filter((l) => l.includes('// → ')))
      expect(l, 'a // → comment must follow a one-line console.log(...)').toMatch(
        /^\s*console\.log\(.*\);\s*\/\/ → /,
      );
    const expected = block.code
      .split('\n')
      .filter((l) => /console\.log\(.*\);\s*\/\/ → /.test(l))
      .map((l) => l.slice(l.indexOf('// → ') + 5).trim());
    // A block that annotates any line annotates all of its output, in order (whitespace is not compared).
    const squash = (s: string) => s.replace(/\s+/g, '');
    const printed = logs.map((args) =>
      args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '),
    );
    if (expected.length > 0) expect(printed.map(squash)).toEqual(expected.map(squash));
  });
});

describe('includes', () => {
  const includes = pages().flatMap((p) =>
    [...readFileSync(p, 'utf8').matchAll(/^<<< @\/([^\s#{]+)/gm)].map((m) => ({
      page: relative(root, p),
      path: m[1]!,
    })),
  );
  it('every <<< include exists', () => {
    expect(includes.length).toBeGreaterThan(5);
    for (const inc of includes)
      expect(existsSync(join(root, inc.path)), `${inc.page} → ${inc.path}`).toBe(true);
  });
  it('every example file is shown on some page', () => {
    const shown = new Set(includes.map((i) => i.path));
    const examples = readdirSync(join(root, 'examples')).map((f) => `examples/${f}`);
    for (const e of examples) expect(shown.has(e), e).toBe(true);
  });
});
