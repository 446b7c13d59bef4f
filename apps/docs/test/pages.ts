// What the docs tests read from the Markdown pages: the pages themselves, their fenced code blocks, their
// `<<<` includes and the plots they show. Kept apart from the tests so that each piece can be tested on its own.
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/docs: VitePress' source root, which `@` stands for in an include. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Generated (api/), tooling (.vitepress, .vitest) and dependencies are not pages the authors write.
const notPages = new Set(['api', 'node_modules', 'public', 'examples', 'scripts', 'test']);

/** Every Markdown page of the site, at any depth, as paths relative to `dir`. */
export function docPages(dir = root): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => {
      if (e.isDirectory()) return e.name.startsWith('.') || notPages.has(e.name) ? [] : walk(join(d, e.name));
      return e.name.endsWith('.md') ? [join(d, e.name)] : [];
    });
  return walk(dir)
    .map((p) => relative(dir, p))
    .sort();
}

export interface Block {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word (`ts`, `sh`, …), '' for none. */
  lang: string;
  /** The rest of the info string (`no-run`, `browser`, `[app.mjs]`, `{1,3}`, …). */
  meta: string;
  /** The code group title, `[app.cjs]` → `app.cjs`. */
  title: string | undefined;
  code: string;
}

/**
 * The fenced code blocks of a page, in CommonMark's terms: a fence of three or more backticks or tildes, indented
 * at most three spaces, closed by a fence of the same character at least as long with nothing after it.
 */
export function codeBlocks(page: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`{[]*)(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j]!); j++) body.push(lines[j]!);
    const meta = open[3]!.trim();
    blocks.push({
      page,
      line: i + 1,
      lang: open[2]!.toLowerCase(),
      meta,
      title: /\[([^\]]+)\]/.exec(meta)?.[1],
      code: body.join('\n'),
    });
    i = j;
  }
  return blocks;
}

/** The lines of a page outside its fenced code blocks, with their 1-based numbers. */
function proseLines(text: string): { line: number; text: string }[] {
  const inside = new Set<number>();
  for (const b of codeBlocks('', text))
    for (let l = b.line; l <= b.line + b.code.split('\n').length; l++) inside.add(l);
  return text
    .split('\n')
    .map((t, i) => ({ line: i + 1, text: t }))
    .filter((l) => !inside.has(l.line));
}

// VitePress 1.6's own grammar for what follows `<<<` (src/node/markdown/plugins/snippet.ts): a path, an optional
// `#region`, optional `{lines lang attrs}` and an optional `[title]`.
const rawPath =
  /^(.+?(?:(?:\.([a-z0-9]+))?))(?:(#[\w-]+))?(?: ?(?:{(\d+(?:[,-]\d+)*)? ?(\S+)? ?(\S+)?}))? ?(?:\[(.+)\])?$/;

export interface Include {
  page: string;
  line: number;
  /** The included file, relative to the docs root. */
  file: string;
  /** The `#region` name, if the include names one. */
  region: string | undefined;
}

/**
 * The `<<<` includes of a page, parsed as VitePress parses them: `@` is the docs root, any other path is relative
 * to the page; `<<< @/f.ts`, `<<<@/f.ts`, `<<< ./f.ts#region{2-3 ts:line-numbers} [title]` are all includes.
 */
export function includesOf(page: string, text: string): Include[] {
  return proseLines(text).flatMap(({ line, text: l }) => {
    const m = /^ {0,3}<<<(.*)$/.exec(l);
    if (!m) return [];
    const raw = m[1]!.trim();
    const parts = rawPath.exec(raw.replace(/^@/, root));
    if (!parts) return [];
    const file = relative(root, resolve(join(root, dirname(page)), parts[1]!));
    return [{ page, line, file, region: parts[3]?.slice(1) }];
  });
}

/** The `/plots/*.svg` files a page shows (Markdown images or raw HTML). */
export function plotsOf(text: string): string[] {
  return [...text.matchAll(/\/plots\/([\w.-]+\.svg)/g)].map((m) => m[1]!);
}
