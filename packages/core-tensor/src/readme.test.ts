import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as lib from './index';
import { Tensor, setBackend, setObserver } from './index';

/**
 * Runs every ```ts block of README.md. Import lines are replaced by the library namespace; a statement ending in
 * `// => <JSON>` must evaluate to that value (tensors through arraySync()), one ending in
 * `// throws <Name>: <message>` must throw exactly that. Blocks are plain JavaScript apart from their imports.
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

function check(actual: unknown, expected: string, line: string): void {
  const value = actual instanceof Tensor ? actual.arraySync() : actual;
  expect(value, line).toEqual(JSON.parse(expected));
}

function checkThrows(fn: () => unknown, name: string, message: string, line: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, line).toBeInstanceOf(Error);
  expect((caught as Error).name, line).toBe(name);
  expect((caught as Error).message, line).toBe(message);
}

/**
 * Rewrites one block into the body of a function taking (lib, check, checkThrows). Prettier may spread a checked
 * statement over several lines, so lines are buffered until one ends a statement (`;`, `{` or `}`); the check
 * comment on that last line then applies to the whole buffered statement.
 */
function compile(block: string): string {
  const src = block.replace(/^import[\s\S]*?from '@backprop\/core-tensor';\n/gm, '');
  const out: string[] = ['const {', Object.keys(lib).join(', '), '} = lib;'];
  let buffer: string[] = [];
  for (const line of src.split('\n')) {
    const value = /^(.*);\s*\/\/ => (.*)$/.exec(line);
    const thrown = /^(.*);\s*\/\/ throws (\w+): (.*)$/.exec(line);
    if (value || thrown) {
      const stmt = [...buffer, (value ?? thrown)![1]].join('\n');
      const where = JSON.stringify(stmt.trim());
      out.push(
        value
          ? `check((${stmt}), ${JSON.stringify(value[2])}, ${where});`
          : `checkThrows(() => (${stmt}), ${JSON.stringify(thrown![2])}, ${JSON.stringify(thrown![3])}, ${where});`,
      );
      buffer = [];
      continue;
    }
    buffer.push(line);
    const code = line.replace(/\/\/.*$/, '').trim();
    if (code === '' || /[;{}]$/.test(code)) {
      out.push(...buffer);
      buffer = [];
    }
  }
  out.push(...buffer);
  return out.join('\n');
}

describe('README examples', () => {
  it('has examples to run', () => {
    expect(blocks.length).toBeGreaterThan(10);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))('block %i', (i, block) => {
    try {
      // A vm.Script (not eval) so a failing example's stack trace names its README block.
      const wrapped = `(function (lib, check, checkThrows) {\n${compile(block)}\n})`;
      const run = new Script(wrapped, { filename: `README.md block ${i}` }).runInThisContext() as (
        l: typeof lib,
        c: typeof check,
        t: typeof checkThrows,
      ) => void;
      run(lib, check, checkThrows);
    } finally {
      setObserver(undefined);
      setBackend('js');
    }
  });
});
