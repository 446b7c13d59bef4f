import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../backend';
import type { DType, TypedArray } from '../../dtype';
import { sizeOf } from '../../shape';
import { createJsBackend } from '../js/index';
import { createWasmBackend } from './index';

// The js backend's movement kernels are the reference: the wasm ones must give the same elements, bit for bit,
// in every dtype (they only move bytes).
const wasm = createWasmBackend({ threads: 1 });
const js = createJsBackend();
const DTYPES: DType[] = ['float32', 'float64', 'int32', 'bool'];

function values(dtype: DType, n: number, seed: number): TypedArray {
  const f = (i: number): number => Math.sin(seed * 7.31 + i * 1.7) * 1000;
  if (dtype === 'float32') return Float32Array.from({ length: n }, (_, i) => f(i));
  if (dtype === 'float64') return Float64Array.from({ length: n }, (_, i) => f(i));
  if (dtype === 'int32') return Int32Array.from({ length: n }, (_, i) => Math.round(f(i)));
  return Uint8Array.from({ length: n }, (_, i) => (f(i) > 0 ? 1 : 0));
}

const onBoth = (v: TypedArray, shape: number[], dtype: DType): [TensorInfo, TensorInfo] => [
  { data: wasm.fromArray(v, dtype), shape, dtype },
  { data: js.fromArray(v, dtype), shape, dtype },
];

const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 });

describe('wasm movement kernels equal the js ones', () => {
  it('slice with unit steps, any begin and size, every dtype', () => {
    fc.assert(
      fc.property(shapeArb, fc.constantFrom(...DTYPES), fc.nat(), (shape, dtype, seed) => {
        const begin = shape.map((d, i) => (d === 0 ? 0 : (seed >> i) % d));
        const size = shape.map((d, i) => (d === 0 ? 0 : 1 + ((seed >> (i + 3)) % (d - begin[i]!))));
        const [w, j] = onBoth(values(dtype, sizeOf(shape), seed), shape, dtype);
        const steps = shape.map(() => 1);
        const got = wasm.readSync(wasm.slice(w, begin, size, steps));
        const want = js.readSync(js.slice(j, begin, size, steps));
        expect(Array.from(got)).toEqual(Array.from(want));
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('gather along any axis with repeated indices, every dtype', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...DTYPES),
        fc.nat(),
        (shape, dtype, seed) => {
          const axis = seed % shape.length;
          const idx = Int32Array.from({ length: 1 + (seed % 6) }, (_, i) => (seed + i * 5) % shape[axis]!);
          const [w, j] = onBoth(values(dtype, sizeOf(shape), seed), shape, dtype);
          const [wi, ji] = onBoth(idx, [idx.length], 'int32');
          const got = wasm.readSync(wasm.gather(w, wi, axis));
          const want = js.readSync(js.gather(j, ji, axis));
          expect(Array.from(got)).toEqual(Array.from(want));
        },
      ),
      { numRuns: 200, seed: 12 },
    );
  });

  it('concat of 1–3 operands along any axis, every dtype', () => {
    fc.assert(
      fc.property(
        shapeArb.filter((s) => s.length > 0),
        fc.constantFrom(...DTYPES),
        fc.nat(),
        (shape, dtype, seed) => {
          const axis = seed % shape.length;
          const parts = Array.from({ length: 1 + (seed % 3) }, (_, p) => {
            const s = shape.map((d, i) => (i === axis ? (seed + p) % 3 : d));
            return { s, v: values(dtype, sizeOf(s), seed + p) };
          });
          const ws = parts.map((p) => onBoth(p.v, p.s, dtype));
          const got = wasm.readSync(
            wasm.concat(
              ws.map((x) => x[0]),
              axis,
            ),
          );
          const want = js.readSync(
            js.concat(
              ws.map((x) => x[1]),
              axis,
            ),
          );
          expect(Array.from(got)).toEqual(Array.from(want));
        },
      ),
      { numRuns: 200, seed: 13 },
    );
  });
});
