import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SafetensorsError } from './errors';
import type { SafetensorsErrorReason } from './errors';
import { MAX_HEADER_BYTES, decodeSafetensors, encodeSafetensors, safetensorsArray } from './safetensors';

/** A file built by hand from the spec, independent of the encoder: header length, JSON, raw bytes. */
function handMade(header: unknown, data: number[] = [], pad = true): Uint8Array {
  let json = JSON.stringify(header);
  if (pad) while ((8 + json.length) % 8 !== 0) json += ' ';
  const text = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setUint32(0, text.length, true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

const f32 = (...xs: number[]): number[] => [...new Uint8Array(new Float32Array(xs).buffer)];

function reasonOf(bytes: Uint8Array): SafetensorsErrorReason | 'ok' {
  try {
    decodeSafetensors(bytes);
    return 'ok';
  } catch (e) {
    if (e instanceof SafetensorsError) return e.reason;
    throw e;
  }
}

describe('encodeSafetensors', () => {
  it('writes the byte layout of the spec: u64 LE header length, space-padded JSON, then raw LE data', () => {
    const bytes = encodeSafetensors({ a: { dtype: 'F32', shape: [2], data: new Float32Array([1, -2]) } });
    const expected = handMade({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, f32(1, -2));
    expect([...bytes]).toEqual([...expected]);
    const n = new DataView(bytes.buffer).getBigUint64(0, true);
    expect(Number(n) % 8).toBe(0);
    expect(bytes[8 + Number(n) - 1]).toBe(0x20);
  });

  it('puts __metadata__ in the header and lays out widest dtypes first so every tensor is aligned', () => {
    const bytes = encodeSafetensors(
      [
        ['flag', { dtype: 'BOOL', shape: [3], data: new Uint8Array([1, 0, 1]) }],
        ['w', { dtype: 'F32', shape: [3], data: new Float32Array([1, 2, 3]) }],
        ['d', { dtype: 'F64', shape: [1], data: new Float64Array([Math.PI]) }],
      ],
      { author: 'test' },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
      string,
      { data_offsets: [number, number] }
    >;
    expect(header.__metadata__).toEqual({ author: 'test' });
    expect(header.d!.data_offsets).toEqual([0, 8]);
    expect(header.w!.data_offsets).toEqual([8, 20]);
    expect(header.flag!.data_offsets).toEqual([20, 23]);
    expect(bytes.length).toBe(8 + n + 23);
  });

  it('round-trips F32, F64, I32, I64, BOOL, scalars and empty tensors without copying aligned data', () => {
    const input = {
      f32: { dtype: 'F32' as const, shape: [2, 2], data: new Float32Array([1.5, -0, NaN, Infinity]) },
      f64: { dtype: 'F64' as const, shape: [], data: new Float64Array([1e-300]) },
      i32: { dtype: 'I32' as const, shape: [3], data: new Int32Array([-2147483648, 0, 2147483647]) },
      i64: { dtype: 'I64' as const, shape: [1], data: new BigInt64Array([-5n]) },
      bool: { dtype: 'BOOL' as const, shape: [2], data: new Uint8Array([0, 1]) },
      empty: { dtype: 'F32' as const, shape: [0, 4], data: new Float32Array(0) },
    };
    const bytes = encodeSafetensors(input, { k: 'v' });
    const file = decodeSafetensors(bytes);
    expect(file.metadata.k).toBe('v');
    expect(Object.getPrototypeOf(file.metadata)).toBeNull();
    for (const [name, t] of Object.entries(input)) {
      const got = file.tensors.get(name)!;
      expect(got.dtype).toBe(t.dtype);
      expect(got.shape).toEqual(t.shape);
      const arr = safetensorsArray(got);
      expect(Object.is(arr.constructor, t.data.constructor)).toBe(true);
      expect([...arr]).toEqual([...t.data]);
      expect(arr.buffer).toBe(bytes.buffer);
    }
  });

  it('copies only when the source bytes are misaligned', () => {
    const bytes = encodeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Float32Array([3, 4]) } });
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const arr = safetensorsArray(decodeSafetensors(shifted).tensors.get('w')!);
    expect([...arr]).toEqual([3, 4]);
    expect(arr.buffer).not.toBe(shifted.buffer);
  });

  it('rejects bad input with typed errors', () => {
    const data = new Float32Array(2);
    const cases: [() => unknown, SafetensorsErrorReason][] = [
      [() => encodeSafetensors({ w: { dtype: 'F32', shape: [3], data } }), 'size-mismatch'],
      [() => encodeSafetensors({ w: { dtype: 'F32', shape: [-2], data } }), 'invalid-shape'],
      [() => encodeSafetensors({ __metadata__: { dtype: 'F32', shape: [2], data } }), 'invalid-name'],
      [() => encodeSafetensors({ w: { dtype: 'Q4' as 'F32', shape: [2], data } }), 'unknown-dtype'],
      [() => encodeSafetensors({}, { a: 1 as unknown as string }), 'invalid-metadata'],
    ];
    for (const [f, reason] of cases) expect(f).toThrow(expect.objectContaining({ reason }));
  });
});

describe('decodeSafetensors rejects malformed files', () => {
  const entry = (dtype: string, shape: unknown, offsets: unknown): Record<string, unknown> => ({
    dtype,
    shape,
    data_offsets: offsets,
  });
  const table: [string, Uint8Array, SafetensorsErrorReason][] = [
    ['fewer than 8 bytes', new Uint8Array(5), 'too-short'],
    ['a header length above 100 MB', lengthOnly(MAX_HEADER_BYTES + 1), 'header-too-large'],
    ['a header length in the high 32 bits', lengthOnly(0, 1), 'header-too-large'],
    ['a header longer than the file', lengthOnly(64), 'truncated'],
    ['invalid UTF-8', withHeaderBytes([0xff, 0xfe, 0x7b, 0x7d]), 'invalid-header'],
    ['invalid JSON', withHeaderBytes([...new TextEncoder().encode('{"a":')]), 'invalid-header'],
    ['a non-object header', handMade([1, 2]), 'header-not-object'],
    ['a null header', handMade(null), 'header-not-object'],
    ['a __proto__ key', handMade(JSON.parse('{"__proto__":{"polluted":1}}')), 'forbidden-key'],
    ['non-string metadata', handMade({ __metadata__: { a: 1 } }), 'invalid-metadata'],
    ['an entry that is not an object', handMade({ a: 3 }), 'invalid-entry'],
    [
      'an entry with extra keys',
      handMade({ a: { ...entry('F32', [1], [0, 4]), x: 1 } }, f32(1)),
      'invalid-entry',
    ],
    ['an unknown dtype', handMade({ a: entry('F8', [1], [0, 1]) }, [0]), 'unknown-dtype'],
    ['a negative dimension', handMade({ a: entry('F32', [-1], [0, 4]) }, f32(1)), 'invalid-shape'],
    ['a fractional dimension', handMade({ a: entry('F32', [1.5], [0, 4]) }, f32(1)), 'invalid-shape'],
    ['an overflowing shape', handMade({ a: entry('U8', [2 ** 30, 2 ** 30], [0, 1]) }, [0]), 'invalid-shape'],
    ['offsets that are not a pair', handMade({ a: entry('F32', [1], [0]) }, f32(1)), 'invalid-offsets'],
    ['end before begin', handMade({ a: entry('F32', [0], [4, 0]) }, f32(1)), 'invalid-offsets'],
    ['shape and size disagreeing', handMade({ a: entry('F32', [2], [0, 4]) }, f32(1)), 'size-mismatch'],
    ['offsets past the end', handMade({ a: entry('F32', [2], [0, 8]) }, f32(1)), 'out-of-range'],
    [
      'overlapping tensors',
      handMade({ a: entry('F32', [2], [0, 8]), b: entry('F32', [1], [4, 8]) }, f32(1, 2)),
      'overlap',
    ],
    ['a hole before a tensor', handMade({ a: entry('F32', [1], [4, 8]) }, f32(1, 2)), 'hole'],
    ['trailing bytes', handMade({ a: entry('F32', [1], [0, 4]) }, f32(1, 2)), 'hole'],
  ];
  it.each(table)('%s', (_, bytes, reason) => {
    expect(reasonOf(bytes)).toBe(reason);
  });

  it('names the tensor and the numbers in the message', () => {
    const bytes = handMade({ kernel: entry('F32', [3], [0, 8]) }, f32(1, 2));
    expect(() => decodeSafetensors(bytes)).toThrow(/"kernel": F32 \[3\] needs 12 bytes .* hold 8/);
  });

  it('accepts tensor names that are Object.prototype members without touching prototypes', () => {
    const bytes = handMade(
      { constructor: entry('F32', [1], [0, 4]), toString: entry('F32', [1], [4, 8]) },
      f32(7, 8),
    );
    const file = decodeSafetensors(bytes);
    expect([...safetensorsArray(file.tensors.get('constructor')!)]).toEqual([7]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws anything but SafetensorsError on truncated or corrupted files (property)', () => {
    const valid = encodeSafetensors({
      a: { dtype: 'F32', shape: [2, 3], data: new Float32Array(6) },
      b: { dtype: 'I32', shape: [2], data: new Int32Array(2) },
    });
    fc.assert(
      fc.property(
        fc.nat({ max: valid.length }),
        fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          maxLength: 4,
        }),
        (cut, edits) => {
          const bytes = valid.slice(0, cut);
          for (const [i, v] of edits) if (i < bytes.length) bytes[i] = v;
          const r = reasonOf(bytes);
          // A truncated file never decodes: the data section no longer matches the offsets.
          if (cut < valid.length) expect(r).not.toBe('ok');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws anything but SafetensorsError on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        reasonOf(bytes);
      }),
      { numRuns: 300 },
    );
  });
});

function lengthOnly(lo: number, hi = 0): Uint8Array {
  const out = new Uint8Array(16);
  new DataView(out.buffer).setUint32(0, lo, true);
  new DataView(out.buffer).setUint32(4, hi, true);
  return out;
}

function withHeaderBytes(header: number[]): Uint8Array {
  const out = new Uint8Array(8 + header.length);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 8);
  return out;
}
