import type { BackendData, TensorInfo } from '../../backend';
import type { DType, TypedArray } from '../../dtype';
import { allocArray } from '../../dtype';
import type { Shape } from '../../shape';
import { sizeOf } from '../../shape';

/** The js backend keeps each tensor's elements in one typed array. */
export class JsData implements BackendData {
  /** Takes ownership of `values`. */
  constructor(
    readonly values: TypedArray,
    readonly dtype: DType,
  ) {}
  /** Number of elements. */
  get size(): number {
    return this.values.length;
  }
}

/** The typed array behind a js-backend operand. */
export function vals(x: TensorInfo): TypedArray {
  return (x.data as JsData).values;
}

/** A zeroed typed array for a tensor of `shape`. */
export function alloc(dtype: DType, shape: Shape): TypedArray {
  return allocArray(dtype, sizeOf(shape));
}

/** Wraps a typed array as js-backend data (no copy). */
export function wrap(values: TypedArray, dtype: DType): JsData {
  return new JsData(values, dtype);
}

/** Strides of `shape` seen from `outShape` after right-aligned broadcasting: broadcast dims get stride 0. */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    strides[rank - shape.length + i] = d === 1 ? 0 : s;
    s *= d;
  }
  return strides;
}

/**
 * Visits every element of `outShape` in row-major order, calling `fn(outIndex, offsetA, offsetB, offsetC)` with
 * the matching offsets into up to three broadcast operands. The innermost dimension runs as a tight loop.
 */
export function forEachBroadcast(
  outShape: Shape,
  strides: readonly (readonly number[])[],
  fn: (i: number, a: number, b: number, c: number) => void,
): void {
  const rank = outShape.length;
  const size = sizeOf(outShape);
  if (size === 0) return;
  const sa = strides[0] ?? [];
  const sb = strides[1] ?? sa;
  const sc = strides[2] ?? sa;
  if (rank === 0) {
    fn(0, 0, 0, 0);
    return;
  }
  const inner = outShape[rank - 1]!;
  const ia = sa[rank - 1]!;
  const ib = sb[rank - 1]!;
  const ic = sc[rank - 1]!;
  const idx = new Array<number>(rank).fill(0);
  let oa = 0;
  let ob = 0;
  let oc = 0;
  let p = 0;
  const outer = size / inner;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) fn(p++, oa + j * ia, ob + j * ib, oc + j * ic);
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]!++;
      oa += sa[d]!;
      ob += sb[d]!;
      oc += sc[d]!;
      if (idx[d]! < outShape[d]!) break;
      oa -= sa[d]! * outShape[d]!;
      ob -= sb[d]! * outShape[d]!;
      oc -= sc[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}
