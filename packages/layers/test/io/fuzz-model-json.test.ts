// Fuzzing the model reader (model.json plus its blobs) with mutations of a real saved model directory:
// truncations, flipped bytes, structural JSON mutations, hostile keys and huge sizes. A load either succeeds with
// exactly the saved weights or throws ModelFormatError / SafetensorsError; nothing else, and no prototype changes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelArtifacts, ModelJson, Sequential } from '../../src/index';
import { ModelFormatError, SafetensorsError, loadModel, saveModel } from '../../src/index';
import { Outcomes, classify, expectPrototypesUntouched, prototypeSnapshot } from './fuzz-helpers';
import { bits, labels, mlp, uniform } from './helpers';

const RUNS = 300;
const TYPED = [ModelFormatError, SafetensorsError] as const;
let dir: string;
let jsonText: string;
let saved: ModelArtifacts;
let savedBits: Buffer[];
let protoBefore: string;
const outcomes = new Outcomes();

beforeAll(async () => {
  protoBefore = prototypeSnapshot();
  dir = await mkdtemp(join(tmpdir(), 'backprop-fuzz-json-'));
  const model = mlp();
  await model.fit(uniform([16, 4], 1), labels(16, 3, 2), { epochs: 1, batchSize: 8, verbose: 0 });
  saved = await saveModel(model, dir);
  savedBits = model.getWeights().map(bits);
  jsonText = await readFile(join(dir, 'model.json'), 'utf8');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  expectPrototypesUntouched(protoBefore);
  const summary = [...outcomes.counts].map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`model.json fuzz: ${outcomes.total} loads (${summary})`);
});

/** A model that loaded must hold exactly the saved weights: a mutation may change the file, never silently the data. */
function expectSavedWeights(model: Sequential): void {
  expect(model.getWeights().map(bits)).toEqual(savedBits);
}

async function loadChecked(load: () => Promise<Sequential>): Promise<string> {
  let model: Sequential | undefined;
  const r = await classify(async () => {
    model = await load();
  }, TYPED);
  if (model) expectSavedWeights(model);
  outcomes.add(r);
  expectPrototypesUntouched(protoBefore);
  return r;
}

async function loadText(text: string): Promise<string> {
  await writeFile(join(dir, 'model.json'), text);
  return loadChecked(() => loadModel(dir));
}

/** Every path to a value in a JSON tree, objects and arrays alike. */
function paths(x: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(x)) x.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (typeof x === 'object' && x !== null)
    for (const [k, v] of Object.entries(x)) out.push(...paths(v, [...at, k]));
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === DELETE) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = structuredClone(value); // fast-check shares constants between runs: never edit them
}

const DELETE = Symbol('delete');

/** Values that break assumptions: huge and negative sizes, wrong types, hostile names. */
const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(
    DELETE,
    null,
    -1,
    0,
    1.5,
    1e12,
    2 ** 53,
    -(2 ** 31),
    '',
    '__proto__',
    'constructor',
    'toString',
    [],
    {},
    [1e6, 1e6],
    [null, 1e12],
    { className: 'constructor', config: {} },
    { className: 'Dense', config: { units: 1e12 } },
    { className: 'Dense', config: { units: -1 } },
    'NaN',
    true,
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

describe('the model reader on a mutated real model directory', () => {
  it('rejects model.json truncated at 600 offsets spread over the whole file', async () => {
    let rejected = 0;
    let tried = 0;
    // Every offset would take seconds of file I/O; a fixed stride still cuts every kind of token somewhere.
    const stride = Math.ceil(jsonText.length / 600);
    for (let cut = 0; cut < jsonText.length; cut += stride) {
      tried++;
      const r = await loadText(jsonText.slice(0, cut));
      // A JSON text cut anywhere is invalid, except where only trailing whitespace was cut.
      if (jsonText.slice(0, cut).trimEnd() !== jsonText.trimEnd()) expect(r).toMatch(/^ModelFormatError/);
      if (r !== 'ok') rejected++;
    }
    expect(rejected).toBeGreaterThanOrEqual(tried - 1);
  });

  it(`flipped bytes in model.json give a typed error or exactly the saved weights (${RUNS} runs)`, async () => {
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
          await writeFile(join(dir, 'model.json'), b);
          await loadChecked(() => loadModel(dir));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`structural mutations of model.json (any value replaced or deleted) give a typed error or the saved weights (${RUNS} runs)`, async () => {
    const tree = JSON.parse(jsonText) as unknown;
    const all = paths(tree).filter((p) => p.length > 0);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: all.length - 1 }), hostileValue), { minLength: 1, maxLength: 3 }),
        async (edits) => {
          const t = JSON.parse(jsonText) as unknown;
          for (const [i, v] of edits) {
            try {
              setAt(t, all[i]!, v);
            } catch {
              // An earlier edit removed this path's parent; the edit is simply skipped.
            }
          }
          await loadText(JSON.stringify(t));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a "__proto__" key anywhere in model.json is rejected; "constructor" keys never reach a prototype', async () => {
    const tree = JSON.parse(jsonText) as unknown;
    // Every object in the file, found by the position of its opening brace in the text.
    const braces = [...jsonText.matchAll(/\{/g)].map((m) => m.index);
    expect(braces.length).toBeGreaterThan(5);
    for (const at of braces) {
      for (const [key, value] of [
        ['__proto__', '{"polluted": 1, "className": "Dense"}'],
        ['constructor', '{"prototype": {"polluted": 1}}'],
        ['prototype', '{"polluted": 1}'],
      ] as const) {
        const text = `${jsonText.slice(0, at + 1)}"${key}": ${value},${jsonText.slice(at + 1)}`;
        const r = await loadText(text);
        if (key === '__proto__') expect(r).toMatch(/^ModelFormatError/);
      }
    }
    expect(paths(tree).length).toBeGreaterThan(20);
  });

  it(`in-memory artifacts with mutated, hostile modelJson objects give a typed error or the saved weights (${RUNS} runs)`, async () => {
    // A modelJson object a program parsed itself: JSON.parse gives "__proto__" as an own key, unchecked by us.
    const all = paths(saved.modelJson).filter((p) => p.length > 0);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: all.length - 1 }), hostileValue), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (edits, protoKey) => {
          const t = JSON.parse(
            protoKey ? jsonText.replace('{', '{"__proto__": {"polluted": 1},') : jsonText,
          ) as ModelJson;
          for (const [i, v] of edits) {
            try {
              setAt(t, all[i]!, v);
            } catch {
              // The parent is gone.
            }
          }
          await loadChecked(() =>
            loadModel({ modelJson: t, weights: saved.weights, optimizer: saved.optimizer }),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a model.json whose architecture and weight list both claim a 1e9-element kernel fails before allocating it', async () => {
    // Consistent with itself, so only the size of the weights file can tell: without the check, building would
    // run the initializer over 4 GB before anything else is compared.
    const t = JSON.parse(jsonText) as ModelJson;
    t.buildInputShape = [null, 10_000];
    const dense = t.modelConfig.config.layers[0]!.config;
    dense.units = 100_000;
    delete dense.inputShape;
    t.weights[0]!.shape = [10_000, 100_000];
    t.weights[1]!.shape = [100_000];
    const before = process.memoryUsage();
    const r = await loadChecked(() => loadModel({ modelJson: t, weights: saved.weights }));
    expect(r).toBe('ModelFormatError');
    await expect(loadModel({ modelJson: t, weights: saved.weights })).rejects.toThrow(
      /weights model\.json lists .* differ from the saved ones/,
    );
    const after = process.memoryUsage();
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(1 << 20);
    expect(after.rss - before.rss).toBeLessThan(256 << 20);
  });

  it('a blob changed after saving, or swapped with a consistent checksum, is never loaded silently', async () => {
    const refs = saved.modelJson.files!;
    const weightsPath = join(dir, refs.weights.path);
    const original = new Uint8Array(await readFile(weightsPath));
    await writeFile(join(dir, 'model.json'), jsonText);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: original.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, mask) => {
          const b = original.slice();
          b[at]! ^= mask;
          await writeFile(weightsPath, b);
          // The checksum in model.json catches every change, even one in the tensor data.
          expect(await loadChecked(() => loadModel(dir))).toMatch(/^ModelFormatError/);
        },
      ),
      { numRuns: 100 },
    );
    await writeFile(weightsPath, original);
    expect(await loadChecked(() => loadModel(dir))).toBe('ok');
  });
});
