import type { ReduceOp, TensorInfo } from '../../backend';
import type { DType } from '../../dtype';
import { allocArray } from '../../dtype';
import { sizeOf, stridesOf } from '../../shape';
import type { JsData } from './data';
import { vals, wrap } from './data';

/**
 * Reduces the sorted `axes` of x. Walks x in row-major order and maps each element to its output slot through
 * "output strides" that are 0 on reduced axes, so any combination of axes is one pass.
 * Sums accumulate in float64 (JS numbers) whatever the storage dtype.
 */
export function reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): JsData {
  const shape = x.shape;
  const rank = shape.length;
  const reduced = new Set(axes);
  const outShape = shape.filter((_, i) => !reduced.has(i));
  const outSize = sizeOf(outShape);
  const src = vals(x);

  if (op === 'argmax' || op === 'argmin') return argReduce(op, x, axes[0]!);

  const acc = new Float64Array(outSize);
  const init = op === 'sum' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
  acc.fill(init);
  const outStridesFull = stridesOf(outShape);
  const ostr = new Array<number>(rank).fill(0);
  let k = 0;
  for (let i = 0; i < rank; i++) if (!reduced.has(i)) ostr[i] = outStridesFull[k++]!;

  const idx = new Array<number>(rank).fill(0);
  let o = 0;
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    switch (op) {
      case 'sum':
        acc[o] = acc[o]! + v;
        break;
      case 'prod':
        acc[o] = acc[o]! * v;
        break;
      // NaN wins, as in NumPy: comparisons with NaN are false, so a NaN element is taken explicitly, and once the
      // accumulator is NaN no later element compares greater, so it sticks.
      case 'max':
        if (v > acc[o]! || Number.isNaN(v)) acc[o] = v;
        break;
      case 'min':
        if (v < acc[o]! || Number.isNaN(v)) acc[o] = v;
        break;
    }
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      o += ostr[d]!;
      if (idx[d]! < shape[d]!) break;
      o -= ostr[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  const dtype: DType = x.dtype === 'bool' ? 'int32' : x.dtype;
  const out = allocArray(dtype, outSize);
  out.set(acc);
  return wrap(out, dtype);
}

/** Index of the first maximum (minimum) along one axis; NaN counts as the extreme, as in NumPy. */
function argReduce(op: 'argmax' | 'argmin', x: TensorInfo, axis: number): JsData {
  const shape = x.shape;
  const src = vals(x);
  const n = shape[axis]!;
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const out = new Int32Array(outer * inner);
  const better = op === 'argmax' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let best = src[base]!;
      let bi = 0;
      if (!Number.isNaN(best)) {
        for (let i = 1; i < n; i++) {
          const v = src[base + i * inner]!;
          if (Number.isNaN(v)) {
            bi = i;
            break;
          }
          if (better(v, best)) {
            best = v;
            bi = i;
          }
        }
      }
      out[o * inner + j] = bi;
    }
  }
  return wrap(out, 'int32');
}
