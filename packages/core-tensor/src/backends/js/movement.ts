import type { TensorInfo } from '../../backend';
import type { Shape } from '../../shape';
import { sizeOf, stridesOf } from '../../shape';
import type { JsData } from './data';
import { alloc, broadcastStrides, forEachBroadcast, vals, wrap } from './data';

/** Gathers `x` into a new row-major array whose element i reads x at the offset computed from `srcStrides`. */
function strided(x: TensorInfo, outShape: Shape, srcStrides: readonly number[], base = 0): JsData {
  const src = vals(x);
  const out = alloc(x.dtype, outShape);
  forEachBroadcast(outShape, [srcStrides], (i, a) => {
    out[i] = src[base + a]!;
  });
  return wrap(out, x.dtype);
}

/** Permuted copy: a strided read of x. */
export function transpose(x: TensorInfo, perm: readonly number[]): JsData {
  const s = stridesOf(x.shape);
  return strided(
    x,
    perm.map((p) => x.shape[p]!),
    perm.map((p) => s[p]!),
  );
}

/** Materialized broadcast: a strided read with stride 0 on repeated dims. */
export function broadcastTo(x: TensorInfo, shape: Shape): JsData {
  return strided(x, shape, broadcastStrides(x.shape, shape));
}

/** Strided slice (negative steps read backwards). */
export function slice(
  x: TensorInfo,
  begin: readonly number[],
  size: readonly number[],
  step: readonly number[],
): JsData {
  const s = stridesOf(x.shape);
  let base = 0;
  for (let i = 0; i < begin.length; i++) base += begin[i]! * s[i]!;
  return strided(
    x,
    size,
    s.map((st, i) => st * step[i]!),
    sizeOf(size) === 0 ? 0 : base,
  );
}

/** Constant padding. */
export function pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): JsData {
  const outShape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const out = alloc(x.dtype, outShape);
  out.fill(value);
  const src = vals(x);
  const os = stridesOf(outShape);
  let base = 0;
  for (let i = 0; i < os.length; i++) base += paddings[i]![0] * os[i]!;
  // Walk the input; write each element to its place inside the padded output.
  forEachBroadcast(x.shape, [stridesOf(x.shape), os], (_i, a, o) => {
    out[base + o] = src[a]!;
  });
  return wrap(out, x.dtype);
}

/** Concatenation: one contiguous block copy per operand per outer index. */
export function concat(xs: readonly TensorInfo[], axis: number): JsData {
  const first = xs[0]!;
  const outShape = [...first.shape];
  outShape[axis] = xs.reduce((n, x) => n + x.shape[axis]!, 0);
  const out = alloc(first.dtype, outShape);
  const outer = sizeOf(first.shape.slice(0, axis));
  const inner = sizeOf(first.shape.slice(axis + 1));
  const rowOut = outShape[axis] * inner;
  let offset = 0;
  for (const x of xs) {
    const src = vals(x);
    const row = x.shape[axis]! * inner;
    for (let o = 0; o < outer; o++) out.set(src.subarray(o * row, (o + 1) * row), o * rowOut + offset);
    offset += row;
  }
  return wrap(out, first.dtype);
}

/** Rows of x along `axis` at `indices` (range-checked by the op). */
export function gather(x: TensorInfo, indices: TensorInfo, axis: number): JsData {
  const src = vals(x);
  const idx = vals(indices);
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const n = x.shape[axis]!;
  const out = alloc(x.dtype, [outer, idx.length, inner]);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < idx.length; k++) {
      const from = (o * n + idx[k]!) * inner;
      out.set(src.subarray(from, from + inner), (o * idx.length + k) * inner);
    }
  }
  return wrap(out, x.dtype);
}

/** Zeros with the rows of `updates` added at `indices` along `axis` (repeats accumulate). */
export function scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, shape: Shape): JsData {
  const up = vals(updates);
  const idx = vals(indices);
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const n = shape[axis]!;
  const out = alloc(updates.dtype, shape);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < idx.length; k++) {
      const to = (o * n + idx[k]!) * inner;
      const from = (o * idx.length + k) * inner;
      for (let j = 0; j < inner; j++) out[to + j] = out[to + j]! + up[from + j]!;
    }
  }
  return wrap(out, updates.dtype);
}
