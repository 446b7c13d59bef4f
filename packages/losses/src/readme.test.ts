import * as autograd from '@backprop/autograd';
import * as core from '@backprop/core-tensor';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as losses from './index';

// Runs every ```ts block of the README. Blocks are plain JavaScript apart from their imports, which are replaced
// by the modules themselves; each `console.log(x); // → v` line must print v (numbers to 4 significant digits).
const MODULES: Record<string, Record<string, unknown>> = {
  '@backprop/losses': losses,
  '@backprop/core-tensor': core,
  '@backprop/autograd': autograd,
};

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

function run(code: string): unknown[] {
  const bindings: Record<string, unknown> = {};
  const body = code.replace(/^import \{([^}]*)\} from '([^']+)';$/gm, (_, names: string, from: string) => {
    const mod = MODULES[from];
    if (!mod) throw new Error(`README imports from unknown module ${from}`);
    for (const name of names.split(',').map((n) => n.trim())) {
      if (!(name in mod)) throw new Error(`README imports ${name}, which ${from} does not export`);
      bindings[name] = mod[name];
    }
    return '';
  });
  const printed: unknown[] = [];
  const fakeConsole = { log: (value: unknown) => printed.push(value) };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- executing the documentation is the point
  const fn = new Function('console', ...Object.keys(bindings), body) as (...args: unknown[]) => void;
  fn(fakeConsole, ...Object.values(bindings));
  return printed;
}

function matches(actual: unknown, expected: string): boolean {
  if (typeof actual === 'number') return close(actual, Number(expected));
  if (Array.isArray(actual)) {
    const want = JSON.parse(expected) as number[];
    return actual.length === want.length && actual.every((a, i) => close(a as number, want[i]!));
  }
  return String(actual) === expected;
}

function close(a: number, e: number): boolean {
  return Number.isFinite(e) && Math.abs(a - e) <= 5e-4 * Math.abs(e) + 1e-12;
}

describe('README snippets', () => {
  it('has snippets to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))('snippet %i prints what its comments say', (_, code) => {
    const expected = [...code.matchAll(/console\.log\(.*\); \/\/ → (.*)$/gm)].map((m) => m[1]!);
    const printed = run(code);
    expect(printed.length).toBe(expected.length);
    printed.forEach((value, i) => {
      expect(
        matches(value, expected[i]!),
        `output ${i + 1}: printed ${String(value)}, README says ${expected[i]}`,
      ).toBe(true);
    });
  });
});
