// The docs cannot rot: every fenced code block in the Markdown pages either runs here against the built packages
// or is in a language that is shown, not run (shell commands, output); every `<<<` include points at a file and
// region that exist (examples.test.ts runs the examples and checks what the prose claims about them).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Block } from './pages';
import { codeBlocks, docPages, includesOf, root } from './pages';
import { CHROMIUM, blockFile, runInChromium, runInProcess, runNode, typecheck } from './runners';

/** Languages that are shown but are not programs: shell sessions, program output, data. */
const SHOWN = new Set(['', 'sh', 'bash', 'shell', 'console', 'text', 'txt', 'json', 'csv', 'dot', 'python']);

/**
 * The blocks allowed not to run, each with the reason. Any other `no-run` block fails the test: give it a runner
 * (or a real stand-in for what it needs) instead of adding it here.
 */
const NO_RUN_ALLOWED: Record<string, string> = {
  'how-to/migrating-from-tfjs.md': 'TensorFlow.js code: @tensorflow/tfjs is not a dependency of the docs',
};

type Kind = 'ts' | 'browser' | 'esm' | 'cjs' | 'shown' | 'no-run' | 'unknown';

/** How a block is run, from its language and info string. */
export function kindOf(b: Pick<Block, 'lang' | 'meta' | 'title'>): Kind {
  if (/\bno-run\b/.test(b.meta)) return 'no-run';
  if (b.lang === 'ts' || b.lang === 'typescript') return /\bbrowser\b/.test(b.meta) ? 'browser' : 'ts';
  if (['js', 'javascript', 'mjs', 'cjs'].includes(b.lang)) {
    const ext = b.lang === 'mjs' || b.lang === 'cjs' ? b.lang : b.title?.split('.').pop();
    return ext === 'mjs' ? 'esm' : ext === 'cjs' ? 'cjs' : 'unknown';
  }
  return SHOWN.has(b.lang) ? 'shown' : 'unknown';
}

/** What a block says it prints: the `// → ` comments, in order. */
export function expectedOutput(code: string): string[] {
  return code
    .split('\n')
    .filter((l) => l.includes('// → '))
    .map((l) => l.slice(l.indexOf('// → ') + 5).trim());
}

// A `// → value` comment states what its line prints. It must sit on a one-line console.log (or, in a browser
// block, on the line that sets the page's text), or it would be silently unchecked.
const ANNOTATED = /^\s*(console\.log\(.*\)|document\.body\.textContent = .*);\s*\/\/ → /;

const squash = (s: string) => s.replace(/\s+/g, '');
const all = docPages().flatMap((p) => codeBlocks(p, readFileSync(join(root, p), 'utf8')));
const named = (b: Block) => `${b.page}:${b.line}`;
const fileFor = (b: Block, ext: string) => `${b.page.replace(/[/.]/g, '_')}_${b.line}.${ext}`;
const ofKind = (...k: Kind[]) => all.filter((b) => k.includes(kindOf(b)));

describe('the block extractor', () => {
  it('reads language, meta and title, honours fence length, and knows how to run each kind', () => {
    const md = [
      '```ts',
      'a();',
      '```',
      '````sh',
      '```',
      '````',
      '```ts no-run',
      'b();',
      '```',
      '```js [app.cjs]',
      'c();',
      '```',
      '~~~ts browser',
      'd();',
      '~~~',
    ].join('\n');
    const blocks = codeBlocks('x.md', md);
    expect(blocks.map((b) => [b.line, b.lang, b.meta, b.title, b.code])).toEqual([
      [1, 'ts', '', undefined, 'a();'],
      [4, 'sh', '', undefined, '```'],
      [7, 'ts', 'no-run', undefined, 'b();'],
      [10, 'js', '[app.cjs]', 'app.cjs', 'c();'],
      [13, 'ts', 'browser', undefined, 'd();'],
    ]);
    expect(blocks.map(kindOf)).toEqual(['ts', 'shown', 'no-run', 'cjs', 'browser']);
    expect(kindOf({ lang: 'js', meta: '', title: undefined })).toBe('unknown'); // ESM or CJS? say which
    expect(kindOf({ lang: 'tsx', meta: '', title: undefined })).toBe('unknown');
  });
  it('finds enough blocks in the pages to matter, including pages in new folders', () => {
    expect(ofKind('ts').length).toBeGreaterThanOrEqual(20);
    expect(docPages()).toEqual(
      expect.arrayContaining(['index.md', 'contributing.md', 'guide/chain-rule.md']),
    );
  });
});

describe('no block goes unrun by accident', () => {
  it('every block is in a language with a runner, or one that is only shown', () => {
    const unknown = ofKind('unknown').map((b) => `${named(b)} (\`\`\`${b.lang} ${b.meta})`);
    expect(unknown, 'give js blocks a [name.mjs] or [name.cjs] title; other languages need a runner').toEqual(
      [],
    );
  });
  it(`only the listed exceptions are no-run (${Object.keys(NO_RUN_ALLOWED).length})`, () => {
    const noRun = ofKind('no-run');
    expect(noRun.length).toBeLessThanOrEqual(Object.keys(NO_RUN_ALLOWED).length);
    for (const b of noRun) expect(NO_RUN_ALLOWED[b.page], `${named(b)} is no-run`).toBeDefined();
  });
  it('every // → comment is on a line whose output is checked', () => {
    for (const b of ofKind('ts', 'browser', 'esm', 'cjs'))
      for (const l of b.code.split('\n').filter((l) => l.includes('// → ')))
        expect(l, `${named(b)}: a // → comment must follow a one-line console.log(...)`).toMatch(ANNOTATED);
  });
});

/** A block that annotates any line annotates all of its output, in order (whitespace is not compared). */
function expectPrinted(b: Block, printed: string[]): void {
  const expected = expectedOutput(b.code);
  if (expected.length > 0) expect(printed.map(squash), named(b)).toEqual(expected.map(squash));
}

describe('every ts block runs', () => {
  it.each(ofKind('ts').map((b) => [named(b), b] as const))('%s', async (_name, b) => {
    // Each block is a module of its own; `export {}` keeps top-level names from clashing.
    expectPrinted(b, await runInProcess(blockFile(fileFor(b, 'ts'), `${b.code}\nexport {};\n`)));
  });
});

describe('every ESM and CommonJS block runs as a Node script against the built packages', () => {
  it('there is at least one of each, so both builds are exercised', () => {
    expect(ofKind('esm').length).toBeGreaterThan(0);
    expect(ofKind('cjs').length).toBeGreaterThan(0);
  });
  it.each(ofKind('esm', 'cjs').map((b) => [named(b), b] as const))('%s', async (_name, b) => {
    const printed = await runNode(blockFile(fileFor(b, kindOf(b) === 'esm' ? 'mjs' : 'cjs'), b.code));
    expect(expectedOutput(b.code).length, `${named(b)} must state what it prints`).toBeGreaterThan(0);
    expectPrinted(b, printed);
  });
});

describe('every browser block type-checks with the DOM types, and runs in Chromium', () => {
  const browser = ofKind('browser');
  it('the ts and browser blocks type-check', () => {
    const files = [...ofKind('ts'), ...browser].map((b) =>
      blockFile(fileFor(b, 'ts'), `${b.code}\nexport {};\n`),
    );
    expect(typecheck(files)).toEqual([]);
  }, 120_000);
  it.skipIf(!existsSync(CHROMIUM)).each(browser.map((b) => [named(b), b] as const))(
    '%s in Chromium',
    async (_name, b) => {
      const { body, errors } = await runInChromium(b.code);
      expect(errors).toEqual([]);
      const expected = expectedOutput(b.code);
      expect(expected.length, `${named(b)} must state what the page shows`).toBeGreaterThan(0);
      expect(squash(body)).toBe(squash(expected.join('')));
    },
    120_000,
  );
});

describe('links into the API reference', () => {
  it('every guide and how-to page links into the API reference', () => {
    // Whether each link resolves, anchor included, is checked on the built site (scripts/check-links.ts).
    for (const p of docPages().filter((p) => /^(guide|how-to)\//.test(p)))
      expect(readFileSync(join(root, p), 'utf8'), p).toMatch(/\]\(\/api\/[^)]*\)/);
  });
});

describe('includes', () => {
  const includes = docPages().flatMap((p) => includesOf(p, readFileSync(join(root, p), 'utf8')));
  it('reads every form of <<< that VitePress accepts', () => {
    const md = [
      '<<< @/examples/a.ts',
      '<<<@/examples/b.ts{2-3}',
      '<<< ../examples/c.ts#setup{1,4 ts:line-numbers} [the setup]',
      '  <<< ./d.ts [title]',
      '```md',
      '<<< @/examples/not-an-include.ts',
      '```',
    ].join('\n');
    expect(includesOf('guide/x.md', md).map((i) => [i.file, i.region])).toEqual([
      ['examples/a.ts', undefined],
      ['examples/b.ts', undefined],
      ['examples/c.ts', 'setup'],
      ['guide/d.ts', undefined],
    ]);
  });
  it('every <<< include exists, with its #region', () => {
    expect(includes.length).toBeGreaterThan(5);
    for (const inc of includes) {
      const where = `${inc.page}:${inc.line} → ${inc.file}`;
      expect(existsSync(join(root, inc.file)), where).toBe(true);
      if (inc.region)
        expect(readFileSync(join(root, inc.file), 'utf8'), where).toMatch(`#region ${inc.region}`);
    }
  });
  it('every example file is shown on some page', () => {
    const shown = new Set(includes.map((i) => i.file));
    for (const f of readdirSync(join(root, 'examples'))) expect(shown.has(`examples/${f}`), f).toBe(true);
  });
});
