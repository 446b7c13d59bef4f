// Fuzzing the safetensors reader with mutations of real files: the weights and optimizer blobs of saved models.
// Every mutated file must either decode into a self-consistent result or throw a SafetensorsError; never
// another kind of error, a hang, an allocation beyond the file's size, or a touched prototype.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SafetensorsError,
  decodeSafetensors,
  loadWeights,
  safetensorsArray,
  safetensorsElementBytes,
  saveModel,
} from '../../src/index';
import type { SafetensorsDType, SafetensorsFile } from '../../src/index';
import { Outcomes, classify, expectPrototypesUntouched, prototypeSnapshot } from './fuzz-helpers';
import { cnn, labels, mlp, uniform } from './helpers';

const RUNS = 400;
let files: { name: string; bytes: Uint8Array }[] = [];
let protoBefore: string;
const outcomes = new Outcomes();

beforeAll(async () => {
  protoBefore = prototypeSnapshot();
  const a = mlp();
  await a.fit(uniform([16, 4], 1), labels(16, 3, 2), { epochs: 1, batchSize: 8, verbose: 0 });
  const b = cnn();
  await b.fit(uniform([4, 6, 6, 2], 3), labels(4, 3, 4), { epochs: 1, batchSize: 4, verbose: 0 });
  const sa = await saveModel(a, { kind: 'memory' });
  const sb = await saveModel(b, { kind: 'memory' });
  files = [
    { name: 'mlp weights', bytes: sa.weights },
    { name: 'mlp optimizer (Adam)', bytes: sa.optimizer! },
    { name: 'cnn weights', bytes: sb.weights },
  ];
});

afterAll(() => {
  expectPrototypesUntouched(protoBefore);
  const summary = [...outcomes.counts].map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`safetensors fuzz: ${outcomes.total} files decoded (${summary})`);
});

/**
 * An independent check of a decoded file against the bytes it came from: every tensor is exactly the size its
 * dtype and shape say, lies inside the data section, and together they cover it with no gap or overlap.
 */
function expectConsistent(file: SafetensorsFile, bytes: Uint8Array, headerNames: string[]): void {
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const dataStart = bytes.byteOffset + 8 + headerLength;
  const dataLength = bytes.byteLength - 8 - headerLength;
  expect([...file.tensors.keys()].sort()).toEqual(headerNames.filter((n) => n !== '__metadata__').sort());
  const ranges: [number, number][] = [];
  for (const t of file.tensors.values()) {
    const n = t.shape.reduce((p, d) => p * d, 1);
    expect(t.data.byteLength).toBe(n * safetensorsElementBytes(t.dtype));
    expect(t.data.buffer).toBe(bytes.buffer);
    ranges.push([t.data.byteOffset - dataStart, t.data.byteOffset - dataStart + t.data.byteLength]);
    expect(safetensorsArray(t).length).toBe(n);
  }
  ranges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let cursor = 0;
  for (const [b, e] of ranges) {
    expect(b).toBe(cursor);
    cursor = e;
  }
  expect(cursor).toBe(dataLength);
}

/** Decodes, checks whatever comes back, and returns the outcome ('ok' or the SafetensorsError reason). */
async function decodeChecked(bytes: Uint8Array): Promise<string> {
  let file: SafetensorsFile | undefined;
  const r = await classify(() => {
    file = decodeSafetensors(bytes);
  }, [SafetensorsError]);
  if (file) expectConsistent(file, bytes, Object.keys(headerOf(bytes)));
  outcomes.add(r);
  return r;
}

function headerOf(bytes: Uint8Array): Record<string, unknown> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8 + 0, 8 + n))) as Record<string, unknown>;
}

/** A file with `header` (JSON text, unpadded) and the data section of `original`. */
function withHeaderText(original: Uint8Array, text: string): Uint8Array {
  const n = Number(new DataView(original.buffer, original.byteOffset).getBigUint64(0, true));
  const data = original.subarray(8 + n);
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const fileIndex = (): fc.Arbitrary<number> => fc.nat({ max: 2 });

describe('the safetensors reader on mutated real files', () => {
  it('rejects a truncation at every offset of every file with a typed error', async () => {
    for (const { bytes } of files)
      for (let cut = 0; cut < bytes.length; cut++) {
        const r = await decodeChecked(bytes.slice(0, cut));
        expect(r).not.toBe('ok');
        expect(['too-short', 'truncated', 'out-of-range', 'hole']).toContain(r);
      }
  });

  it(`flipped bytes anywhere give a typed error or a consistent file (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fileIndex(),
        fc.array(
          fc.tuple(fc.double({ min: 0, max: 1, maxExcluded: true }), fc.integer({ min: 1, max: 255 })),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        async (f, flips) => {
          const bytes = files[f]!.bytes.slice();
          for (const [at, mask] of flips) bytes[Math.floor(at * bytes.length)]! ^= mask;
          await decodeChecked(bytes);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`flips confined to the header and its length prefix give a typed error or a consistent file (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fileIndex(),
        fc.array(
          fc.tuple(fc.double({ min: 0, max: 1, maxExcluded: true }), fc.integer({ min: 1, max: 255 })),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        async (f, flips) => {
          const bytes = files[f]!.bytes.slice();
          const headerEnd = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
          for (const [at, mask] of flips) bytes[Math.floor(at * headerEnd)]! ^= mask;
          await decodeChecked(bytes);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('rejects any header length beyond the file or the sane bound, up to 2^64 - 1, without allocating', async () => {
    const lengths = fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.constantFrom(2n ** 32n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, 100_000_001n, 10n ** 12n),
    );
    await fc.assert(
      fc.asyncProperty(fileIndex(), lengths, async (f, n) => {
        const bytes = files[f]!.bytes.slice();
        const real = new DataView(bytes.buffer).getBigUint64(0, true);
        fc.pre(n !== real);
        new DataView(bytes.buffer).setBigUint64(0, n, true);
        const before = process.memoryUsage().arrayBuffers;
        const r = await decodeChecked(bytes);
        expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
        if (n > BigInt(bytes.length - 8)) expect(['header-too-large', 'truncated']).toContain(r);
        else expect(r).not.toBe('ok');
      }),
      { numRuns: RUNS },
    );
  });

  it('fails a header claiming 1e12 elements before allocating, in the reader and in loadWeights', async () => {
    for (const [dtype, shape] of [
      ['F32', [1e6, 1e6]],
      ['F64', [1e12]],
      ['U8', [1e4, 1e4, 1e4]],
    ] as [SafetensorsDType, number[]][]) {
      const bytes = withHeaderText(
        files[0]!.bytes,
        JSON.stringify({
          'dense/kernel': { dtype, shape, data_offsets: [0, 1e12 * safetensorsElementBytes(dtype)] },
        }),
      );
      const before = process.memoryUsage().arrayBuffers;
      expect(await decodeChecked(bytes)).toBe('out-of-range');
      const model = mlp();
      model.build([null, 4]);
      const weightsBefore = model.getWeights().map((w) => [...w.dataSync()]);
      await expect(loadWeights(model, bytes)).rejects.toThrow(SafetensorsError);
      // Nothing of a failed load reaches the model.
      expect(model.getWeights().map((w) => [...w.dataSync()])).toEqual(weightsBefore);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
    }
  });

  const offsetValues = fc.oneof(
    fc.integer({ min: -(2 ** 31), max: -1 }),
    fc.nat({ max: 4096 }),
    fc.constantFrom(-0, 2 ** 53, 2 ** 53 + 2, 1e12, 1e300, 0.5, Infinity),
    fc.constantFrom('0', null, true, [], {}),
  );

  /** One structural mutation of a parsed header: offsets, shapes, dtypes, removed, duplicated or hostile keys. */
  const headerMutation = fc.oneof(
    fc.record({
      kind: fc.constant('offsets' as const),
      which: fc.nat(),
      begin: offsetValues,
      end: offsetValues,
    }),
    fc.record({ kind: fc.constant('overlap' as const), which: fc.nat(), other: fc.nat() }),
    fc.record({
      kind: fc.constant('shift' as const),
      which: fc.nat(),
      by: fc.integer({ min: -64, max: 64 }),
    }),
    fc.record({
      kind: fc.constant('shape' as const),
      which: fc.nat(),
      shape: fc.oneof(
        fc.array(fc.oneof(fc.nat({ max: 10 }), fc.integer({ min: -3, max: -1 }), fc.constant(1e6)), {
          maxLength: 7,
        }),
        fc.constantFrom([1e6, 1e6], [2 ** 31, 2 ** 31], [0.5], ['2'], null, 3),
      ),
    }),
    fc.record({
      kind: fc.constant('dtype' as const),
      which: fc.nat(),
      dtype: fc.oneof(
        fc.constantFrom(
          'F64',
          'F32',
          'F16',
          'BF16',
          'I64',
          'I32',
          'U8',
          'BOOL',
          'f32',
          'Q4',
          '',
          'constructor',
        ),
        fc.string({ maxLength: 6 }),
      ),
    }),
    fc.record({ kind: fc.constant('drop' as const), which: fc.nat() }),
    fc.record({
      kind: fc.constant('hostile-key' as const),
      where: fc.constantFrom('top', 'entry', 'metadata'),
      key: fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        'toString',
        'hasOwnProperty',
        '__defineGetter__',
      ),
      value: fc.constantFrom(
        '{"polluted":1}',
        '{"dtype":"F32","shape":[0],"data_offsets":[0,0]}',
        '"x"',
        '[]',
        '1',
      ),
    }),
  );

  it(`structural header mutations (offsets negative, huge, overlapping; shapes; dtypes; hostile keys) give a typed error or a consistent file (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fileIndex(),
        fc.array(headerMutation, { minLength: 1, maxLength: 3 }),
        async (f, muts) => {
          const original = files[f]!.bytes;
          const header = headerOf(original);
          const names = Object.keys(header).filter((k) => k !== '__metadata__');
          // A dropped entry leaves the list, so later mutations pick among those still there.
          const pick = (i: number): Record<string, unknown> =>
            names.length === 0
              ? { data_offsets: [0, 0] }
              : (header[names[i % names.length]!] as Record<string, unknown>);
          const inserts: { where: string; text: string }[] = [];
          for (const m of muts) {
            switch (m.kind) {
              case 'offsets':
                pick(m.which).data_offsets = [m.begin, m.end];
                break;
              case 'overlap':
                pick(m.which).data_offsets = [...(pick(m.other).data_offsets as number[])];
                break;
              case 'shift': {
                const o = pick(m.which).data_offsets as number[];
                pick(m.which).data_offsets = [o[0]! + m.by, o[1]! + m.by];
                break;
              }
              case 'shape':
                pick(m.which).shape = m.shape;
                break;
              case 'dtype':
                pick(m.which).dtype = m.dtype;
                break;
              case 'drop':
                if (names.length > 0) delete header[names.splice(m.which % names.length, 1)[0]!];
                break;
              case 'hostile-key':
                inserts.push({ where: m.where, text: `${JSON.stringify(m.key)}:${m.value},` });
            }
          }
          // Hostile keys go in as text: an object literal cannot hold an own "__proto__" key to stringify.
          let text = JSON.stringify(header);
          for (const { where, text: t } of inserts) {
            if (where === 'top') text = `{${t}${text.slice(1)}`;
            else if (where === 'metadata') text = text.replace('"__metadata__":{', `"__metadata__":{${t}`);
            else text = text.replace('"dtype"', `${t}"dtype"`);
          }
          const r = await decodeChecked(withHeaderText(original, text));
          if (inserts.some((i) => i.text.startsWith('"__proto__"')) && text.includes('"__proto__"'))
            expect(r).not.toBe('ok');
          expectPrototypesUntouched(protoBefore);
        },
      ),
      { numRuns: RUNS },
    );
    // The mutations reached both outcomes: some files stayed valid, most were rejected for many reasons.
    expect(outcomes.get('ok')).toBeGreaterThan(0);
    for (const reason of [
      'overlap',
      'hole',
      'out-of-range',
      'invalid-offsets',
      'forbidden-key',
      'unknown-dtype',
    ])
      expect(outcomes.get(reason), reason).toBeGreaterThan(0);
  });
});
