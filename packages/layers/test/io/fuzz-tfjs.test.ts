// Fuzzing the TensorFlow.js importer with mutations of a real TF.js export (test/io/fixtures/tfjs-cnn: a
// Sequential CNN saved by TF.js): every mutation loads a model or throws a ModelFormatError, nothing else.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFormatError, loadTfjsModel } from '../../src/index';
import { Outcomes, classify, expectPrototypesUntouched, prototypeSnapshot } from './fuzz-helpers';

const RUNS = 300;
const FIXTURE = join(import.meta.dirname, 'fixtures', 'tfjs-cnn');
let jsonText: string;
let shard: Uint8Array;
let protoBefore: string;
const outcomes = new Outcomes();

beforeAll(async () => {
  protoBefore = prototypeSnapshot();
  jsonText = await readFile(join(FIXTURE, 'model.json'), 'utf8');
  shard = new Uint8Array(await readFile(join(FIXTURE, 'group1-shard1of1.bin')));
});
afterAll(() => {
  expectPrototypesUntouched(protoBefore);
  console.log(
    `tfjs fuzz: ${outcomes.total} loads (${[...outcomes.counts].map(([k, v]) => `${k} ${v}`).join(', ')})`,
  );
});

async function load(modelJson: unknown, shards: Uint8Array[]): Promise<string> {
  const r = await classify(() => loadTfjsModel({ modelJson, shards }), [ModelFormatError]);
  outcomes.add(r);
  expectPrototypesUntouched(protoBefore);
  return r;
}

function paths(x: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(x)) x.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (typeof x === 'object' && x !== null)
    for (const [k, v] of Object.entries(x)) out.push(...paths(v, [...at, k]));
  return out;
}

const hostile = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    -1,
    1.5,
    1e12,
    '',
    '__proto__',
    'constructor',
    'toString',
    [],
    {},
    [1e6, 1e6],
    [-3],
    [2.5],
    'channels_first',
    'float16',
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

describe('the TF.js importer on a mutated real export', () => {
  it('rejects the shard truncated at every offset', async () => {
    const json = JSON.parse(jsonText) as unknown;
    for (let cut = 0; cut < shard.length; cut++)
      expect(await load(json, [shard.subarray(0, cut)])).toMatch(/^ModelFormatError/);
  });

  it(`structural edits of model.json (any value replaced, shapes negative, fractional or huge, hostile class names) give a ModelFormatError or a model (${RUNS} runs)`, async () => {
    const all = paths(JSON.parse(jsonText)).filter((p) => p.length > 0);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: all.length - 1 }), hostile), { minLength: 1, maxLength: 3 }),
        async (edits) => {
          const t = JSON.parse(jsonText) as Record<string | number, unknown>;
          for (const [i, v] of edits) {
            const path = all[i]!;
            let node = t;
            try {
              for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
              node[path[path.length - 1]!] = structuredClone(v);
            } catch {
              // An earlier edit removed this path's parent.
            }
          }
          await load(t, [shard]);
        },
      ),
      { numRuns: RUNS },
    );
    expect(outcomes.get('ok')).toBeGreaterThan(0);
  });

  it(`flipped bytes in model.json give a ModelFormatError or a model (${RUNS} runs)`, async () => {
    const bytes = new TextEncoder().encode(jsonText);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        async (flips) => {
          const b = bytes.slice();
          for (const [at, mask] of flips) b[at]! ^= mask;
          let json: unknown;
          try {
            json = JSON.parse(new TextDecoder().decode(b));
          } catch {
            return; // Not JSON: the path loader rejects it before the importer sees it (tested in tfjs-import).
          }
          await load(json, [shard]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
