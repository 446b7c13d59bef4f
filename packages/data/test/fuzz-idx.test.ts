// Fuzzing the IDX reader (and the gzip layer under it) with mutations of real files: the committed digits
// fixtures always, real MNIST where ../shared/data exists. Every mutated file either decodes into values that
// agree with its own header and size, or throws a DataFormatError; never another error, a hang or an allocation
// beyond the file's size.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { IdxArray } from '../src/index';
import { DataFormatError, loadIdx, parseIdx } from '../src/index';
import { SHARED_DATA, hasShared } from './helpers';

const RUNS = 400;
const FIXTURES = join(import.meta.dirname, 'fixtures');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

const files: { name: string; bytes: Uint8Array }[] = [
  'digits-64-images-idx3-ubyte',
  'digits-64-labels-idx1-ubyte',
  'digits-64x5-float32.idx',
  'digits-64-sums-int16.idx',
].map((name) => ({ name, bytes: fixture(name) }));
const gzipped: { name: string; bytes: Uint8Array }[] = [
  { name: 'digits-64-images-idx3-ubyte.gz', bytes: fixture('digits-64-images-idx3-ubyte.gz') },
];
const hasMnist = hasShared('mnist/t10k-labels-idx1-ubyte.gz');
if (hasMnist) {
  for (const name of ['t10k-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz']) {
    const gz = new Uint8Array(readFileSync(`${SHARED_DATA}/mnist/${name}`));
    gzipped.push({ name: `mnist/${name}`, bytes: gz });
    files.push({ name: `mnist/${name.replace('.gz', '')}`, bytes: new Uint8Array(gunzipSync(gz)) });
  }
}

const WIDTH: Record<IdxArray['type'], number> = {
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  float32: 4,
  float64: 8,
};
const outcomes = new Map<string, number>();
const count = (what: string): void => void outcomes.set(what, (outcomes.get(what) ?? 0) + 1);

afterAll(() => {
  console.log(
    `IDX fuzz: ${[...outcomes.values()].reduce((a, b) => a + b, 0)} files parsed ` +
      `(${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}); real MNIST ${hasMnist ? 'included' : 'absent'}`,
  );
});

/** Parses and, when it succeeds, checks the result against the header and size, independently of the reader. */
function parseChecked(bytes: Uint8Array): 'ok' | 'DataFormatError' {
  let r: IdxArray;
  try {
    r = parseIdx(bytes, 'fuzz');
  } catch (e) {
    if (!(e instanceof DataFormatError)) throw e;
    expect(e.message).toMatch(/^fuzz, byte offset \d+: /);
    count('DataFormatError');
    return 'DataFormatError';
  }
  const rank = bytes[3]!;
  const dims = Array.from({ length: rank }, (_, d) =>
    new DataView(bytes.buffer, bytes.byteOffset).getUint32(4 + 4 * d),
  );
  expect(r.shape).toEqual(dims);
  const n = dims.reduce((a, b) => a * b, 1);
  expect(r.values.length).toBe(n);
  expect(4 + 4 * rank + n * WIDTH[r.type]).toBe(bytes.length);
  count('ok');
  return 'ok';
}

async function loadChecked(bytes: Uint8Array): Promise<string> {
  try {
    const r = await loadIdx(bytes);
    expect(r.values.length).toBe(r.shape.reduce((a, b) => a * b, 1));
    count('gzip ok');
    return 'ok';
  } catch (e) {
    if (!(e instanceof DataFormatError)) throw e;
    count('gzip DataFormatError');
    return 'DataFormatError';
  }
}

const at = fc.double({ min: 0, max: 1, maxExcluded: true });
const flips = fc.array(fc.tuple(at, fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 });

describe('the IDX reader on mutated real files', () => {
  it('rejects a truncation at every offset of the small files, and at 600 offsets of the large ones', () => {
    for (const { bytes } of files) {
      const stride = Math.max(1, Math.floor(bytes.length / 600));
      for (let cut = 0; cut < bytes.length; cut += cut < 64 ? 1 : stride)
        expect(parseChecked(bytes.subarray(0, cut))).toBe('DataFormatError');
    }
  });

  it(`flipped bytes in the header give a DataFormatError or values that match the header (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.nat({ max: files.length - 1 }), flips, (f, fl) => {
        const bytes = files[f]!.bytes.slice();
        const head = 4 + 4 * bytes[3]!;
        for (const [x, mask] of fl) bytes[Math.floor(x * head)]! ^= mask;
        parseChecked(bytes);
      }),
      { numRuns: RUNS },
    );
  });

  it(`flipped bytes anywhere give a DataFormatError or a consistent file (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.nat({ max: files.length - 1 }), flips, (f, fl) => {
        const bytes = files[f]!.bytes.slice();
        for (const [x, mask] of fl) bytes[Math.floor(x * bytes.length)]! ^= mask;
        parseChecked(bytes);
      }),
      { numRuns: RUNS },
    );
  });

  it(`any dimensions and rank (up to 255, up to 2^32 - 1 each) fail before allocating (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.nat({ max: files.length - 1 }),
        fc.array(fc.oneof(fc.nat(), fc.constantFrom(0xffffffff, 1e6, 2 ** 31)), { maxLength: 255 }),
        (f, dims) => {
          const original = files[f]!.bytes;
          const oldHead = 4 + 4 * original[3]!;
          const head = 4 + 4 * dims.length;
          const bytes = new Uint8Array(head + original.length - oldHead);
          bytes.set(original.subarray(0, 3));
          bytes[3] = dims.length;
          dims.forEach((d, i) => new DataView(bytes.buffer).setUint32(4 + 4 * i, d));
          bytes.set(original.subarray(oldHead), head);
          const before = process.memoryUsage().arrayBuffers;
          parseChecked(bytes);
          expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(bytes.length + (1 << 20));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a header claiming 1e12 elements fails before allocating, with the numbers in the message', () => {
    const bytes = new Uint8Array(16 + 100);
    new DataView(bytes.buffer).setUint32(0, 0x0d03);
    [1e4, 1e4, 1e4].forEach((d, i) => new DataView(bytes.buffer).setUint32(4 + 4 * i, d));
    const before = process.memoryUsage().arrayBuffers;
    expect(() => parseIdx(bytes, 'huge')).toThrow(DataFormatError);
    expect(() => parseIdx(bytes, 'huge')).toThrow(/10000 × 10000 × 10000 float32 values .*\(truncated\)/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });

  it(`gzip files truncated at 100+ offsets or with flipped bytes give a DataFormatError, never a partial file`, async () => {
    for (const { bytes } of gzipped) {
      // Decompressing the 1.6 MB MNIST images takes tens of ms: fewer cuts there.
      const stride = Math.max(1, Math.floor(bytes.length / (bytes.length > 1e5 ? 12 : 100)));
      // The last 8 bytes (CRC-32 and size) matter as much as the data: cut each of them too.
      for (let cut = 0; cut < bytes.length; cut += cut >= bytes.length - 16 ? 1 : stride)
        expect(await loadChecked(bytes.subarray(0, cut))).toBe('DataFormatError');
    }
    const small = gzipped.filter((g) => g.bytes.length < 1e5);
    const originals = await Promise.all(small.map((g) => loadIdx(g.bytes)));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: small.length - 1 }), flips, async (f, fl) => {
        const bytes = small[f]!.bytes.slice();
        // Past the 10-byte gzip header: there a flip may legally change only the name or time stamp.
        for (const [x, mask] of fl) bytes[10 + Math.floor(x * (bytes.length - 10))]! ^= mask;
        const original = originals[f]!;
        try {
          const r = await loadIdx(bytes);
          // The CRC-32 makes a silent change astronomically unlikely; if it decodes, it must be the same data.
          expect(r.shape).toEqual(original.shape);
          expect(Buffer.from(r.values.buffer, r.values.byteOffset, r.values.byteLength)).toEqual(
            Buffer.from(original.values.buffer, original.values.byteOffset, original.values.byteLength),
          );
          count('gzip ok');
        } catch (e) {
          if (!(e instanceof DataFormatError)) throw e;
          count('gzip DataFormatError');
        }
      }),
      { numRuns: 60 },
    );
  });
});
