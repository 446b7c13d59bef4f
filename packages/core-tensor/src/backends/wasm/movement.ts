/**
 * Data movement done where the data lives. Delegating these to the js backend cost two copies and a JS-heap
 * allocation per call (js builds its result in a new typed array, which is then copied into wasm memory); here
 * each contiguous run is moved once with `copyWithin` (a memmove inside the wasm memory), for every dtype.
 */
import type { TensorInfo } from '../../backend';
import { bytesPerElement } from '../../dtype';
import type { Shape } from '../../shape';
import { sizeOf, stridesOf } from '../../shape';
import type { WasmContext, WasmData } from './context';

const data = (x: TensorInfo): WasmData => x.data as WasmData;

/** Rows of x along `axis` at `indices` (int32, range-checked by the op). */
export function gatherRows(ctx: WasmContext, x: TensorInfo, indices: TensorInfo, axis: number): WasmData {
  const b = bytesPerElement(x.dtype);
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1)) * b;
  const n = x.shape[axis]!;
  const count = sizeOf(indices.shape);
  const out = ctx.alloc(x.dtype, outer * count * (inner / b));
  // Views only after alloc: growing the memory detaches earlier ones.
  const mem = new Uint8Array(ctx.k.memory.buffer);
  const idx = new Int32Array(ctx.k.memory.buffer, data(indices).ptr, count);
  const src = data(x).ptr;
  let to = out.ptr;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const from = src + (o * n + idx[j]!) * inner;
      mem.copyWithin(to, from, from + inner);
      to += inner;
    }
  }
  return out;
}

/** A slice with unit steps: the output is a set of equal contiguous runs of x, copied one by one. */
export function sliceUnitSteps(
  ctx: WasmContext,
  x: TensorInfo,
  begin: readonly number[],
  size: readonly number[],
): WasmData {
  const b = bytesPerElement(x.dtype);
  const total = sizeOf(size);
  const out = ctx.alloc(x.dtype, total);
  if (total === 0) return out;
  const rank = x.shape.length;
  if (rank === 0) {
    new Uint8Array(ctx.k.memory.buffer).copyWithin(out.ptr, data(x).ptr, data(x).ptr + b);
    return out;
  }
  // The innermost dims the slice takes whole, plus the first partial one, form one contiguous run.
  let d = rank - 1;
  let run = size[d] ?? 1;
  while (d > 0 && size[d] === x.shape[d]) {
    d--;
    run *= size[d]!;
  }
  const strides = stridesOf(x.shape);
  const mem = new Uint8Array(ctx.k.memory.buffer);
  const src = data(x).ptr;
  const runBytes = run * b;
  const outerDims = size.slice(0, d);
  const counter = new Array<number>(d).fill(0);
  let base = 0;
  for (let i = 0; i < rank; i++) base += (begin[i] ?? 0) * strides[i]!;
  let to = out.ptr;
  for (let r = 0, runs = sizeOf(outerDims); r < runs; r++) {
    let off = base;
    for (let i = 0; i < d; i++) off += counter[i]! * strides[i]!;
    const from = src + off * b;
    mem.copyWithin(to, from, from + runBytes);
    to += runBytes;
    for (let i = d - 1; i >= 0; i--) {
      if (++counter[i]! < outerDims[i]!) break;
      counter[i] = 0;
    }
  }
  return out;
}

/** Concatenation along `axis`: per outer index, one run from each operand in turn. */
export function concatRuns(ctx: WasmContext, xs: readonly TensorInfo[], axis: number): WasmData {
  const first = xs[0]!;
  const b = bytesPerElement(first.dtype);
  const outShape: Shape = first.shape.map((s, i) =>
    i === axis ? xs.reduce((n, x) => n + x.shape[axis]!, 0) : s,
  );
  const out = ctx.alloc(first.dtype, sizeOf(outShape));
  const mem = new Uint8Array(ctx.k.memory.buffer);
  const outer = sizeOf(first.shape.slice(0, axis));
  const inner = sizeOf(first.shape.slice(axis + 1)) * b;
  let to = out.ptr;
  for (let o = 0; o < outer; o++) {
    for (const x of xs) {
      const row = x.shape[axis]! * inner;
      const from = data(x).ptr + o * row;
      mem.copyWithin(to, from, from + row);
      to += row;
    }
  }
  return out;
}
