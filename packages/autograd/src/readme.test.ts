/**
 * Runs every TypeScript block of README.md, doctest style, so the documentation cannot drift from the code.
 * A block that starts with an import begins a new program; any other block continues the previous one (the
 * step-by-step walkthrough is one program told in several blocks). Each `console.log(expr); // → expected` line
 * is checked: expr (a string as is, anything else as JSON) must equal the text after the arrow, ignoring spaces.
 * Any other console.log output of a program must equal the non-TypeScript block (```dot, ```text) that follows it.
 */
import * as core from '@backprop/core-tensor';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as autograd from './index';

const MODULES: Record<string, unknown> = { '@backprop/core-tensor': core, '@backprop/autograd': autograd };
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const ARROW = '// → ';

interface Program {
  code: string;
  line: number;
  title: string;
  /** The output block shown after the program, if any. */
  output?: string;
}

function programs(): Program[] {
  const out: Program[] = [];
  let title = '';
  let lang: string | undefined;
  let code: string[] = [];
  let start = 0;
  README.split('\n').forEach((text, i) => {
    if (lang === undefined && text.startsWith('#')) title = text.replace(/^#+\s*/, '');
    if (lang === undefined && /^```(ts|dot|text)$/.test(text)) {
      lang = text.slice(3);
      code = [];
      start = i + 2;
    } else if (lang !== undefined && text === '```') {
      const src = code.join('\n');
      const last = out[out.length - 1];
      if (lang !== 'ts') {
        if (last) last.output = src;
      } else if (/^\s*import /.test(src) || !last) out.push({ code: src, line: start, title });
      else last.code += `\n${src}`;
      lang = undefined;
    } else if (lang !== undefined) code.push(text);
  });
  return out;
}

/** Turns a README program into the body of a function: imports become lookups, checked logs become checks. */
function compile(p: Program): string {
  let src = p.code
    .replace(/^import type [\s\S]*?;$/gm, '')
    .replace(/^import \* as (\w+) from '([^']+)';$/gm, "const $1 = __modules['$2'];")
    .replace(/^import \{([\s\S]*?)\} from '([^']+)';$/gm, "const {$1} = __modules['$2'];");
  let n = 0;
  src = src.replace(/console\.log\(([\s\S]*?)\);[ \t]*\/\/ → (.*)$/gm, (_, expr: string, want: string) => {
    n++;
    return `__check(() => (${expr}), ${JSON.stringify(want)});`;
  });
  src = src.replace(/console\.log\(/g, '__print(');
  expect(n, `README line ${p.line}: every // → comment must follow a console.log(…);`).toBe(
    p.code.split(ARROW).length - 1,
  );
  return ts.transpileModule(src, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
}

const show = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));
const squash = (s: string): string => s.replace(/\s+/g, '');

describe('README.md', () => {
  const all = programs();

  it('has runnable examples with checked output', () => {
    expect(all.length).toBeGreaterThanOrEqual(8);
    expect(README.split(ARROW).length - 1).toBeGreaterThanOrEqual(40);
  });

  it.each(all.map((p) => [`${p.title} (line ${p.line})`, p] as const))('%s', (_, p) => {
    const results: { got: string; want: string }[] = [];
    const printed: string[] = [];
    const check = (f: () => unknown, want: string): void => {
      results.push({ got: show(f()), want });
    };
    const print = (v: unknown): void => {
      printed.push(show(v));
    };
    const body = compile(p);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the README's own code is the point
    const run = new Function('__modules', '__check', '__print', body) as (
      m: typeof MODULES,
      c: typeof check,
      p: typeof print,
    ) => void;
    run(MODULES, check, print);
    expect(results.length).toBe(p.code.split(ARROW).length - 1);
    for (const { got, want } of results) expect(squash(got), `printed ${got}`).toBe(squash(want));
    expect(printed.join('\n')).toBe(p.output ?? '');
  });
});
