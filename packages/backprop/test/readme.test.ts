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
