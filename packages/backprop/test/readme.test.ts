import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as backprop from '../src/index';

// Runs the root README's "Ten lines" example as written (imports from 'backprop' mapped to this package).
const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Ten lines'));
const code = /```ts\n([\s\S]*?)```/.exec(section)![1]!;

describe('root README', () => {
  it('the ten-line example learns XOR', async () => {
    const body = code
      .replace(/^import \{([^}]*)\} from 'backprop';$/m, 'const {$1} = backprop;')
      .replace('console.log(model.predict(x).toString());', 'return model.predict(x).dataSync();');
    const AsyncFunction = (Object.getPrototypeOf(async () => {}) as { constructor: unknown })
      .constructor as new (...args: string[]) => (b: typeof backprop) => Promise<Float32Array>;
    backprop.setSeed(3);
    const pred = await new AsyncFunction('backprop', body)(backprop);
    expect(Array.from(pred, (p) => Math.round(p))).toEqual([0, 1, 1, 0]);
  }, 60_000);
});

// Runs this package's README example as written, with each `console.log(v)` captured so the commented values
// (`// [2, 4, 6]`, `// > 0.9`) can be checked.
const ownReadme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../README.md'), 'utf8');
const example = /```ts\n([\s\S]*?)```/.exec(ownReadme.slice(ownReadme.indexOf('## Example')))![1]!;

describe('package README', () => {
  it('the example computes a gradient and trains a network on the built-in XOR set', async () => {
    const logs: unknown[] = [];
    const body = example
      .replace(/^import \{([^}]*)\} from 'backprop';$/m, 'const {$1} = backprop;')
      .replace(/console\.log\(/g, 'log(');
    const AsyncFunction = (Object.getPrototypeOf(async () => {}) as { constructor: unknown })
      .constructor as new (
      ...args: string[]
    ) => (b: typeof backprop, log: (v: unknown) => void) => Promise<void>;
    backprop.setSeed(1);
    await new AsyncFunction('backprop', 'log', body)(backprop, (v) => logs.push(v));
    expect(logs[0]).toEqual([2, 4, 6]);
    expect(logs[1] as number).toBeGreaterThan(0.9);
    expect(example).toContain('// [2, 4, 6]');
    expect(example).toContain('// > 0.9');
  }, 60_000);
});
