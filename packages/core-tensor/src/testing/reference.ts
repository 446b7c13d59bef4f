/**
 * Independent float64 references for the op tests: plain index arithmetic written without the library's
 * helpers (no broadcastShapes, no stridesOf, no forEachBroadcast), so a bug there cannot hide in both sides.
 */

export type Dims = readonly number[];

export function numel(shape: Dims): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Multi-index of flat position `i` in a row-major array of `shape`. */
export function unravel(i: number, shape: Dims): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    idx[d] = i % n;
    i = Math.floor(i / n);
  }
  return idx;
}

/** Flat position of a multi-index. */
export function ravel(idx: readonly number[], shape: Dims): number {
  let p = 0;
  for (let d = 0; d < shape.length; d++) p = p * shape[d]! + idx[d]!;
  return p;
}

/** The NumPy result shape, or undefined when the shapes do not broadcast. */
export function refBroadcastShape(...shapes: Dims[]): number[] | undefined {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let j = 0; j < rank; j++) {
    const dims = shapes.map((s) => s[s.length - rank + j] ?? 1);
    const big = dims.filter((d) => d !== 1);
    if (big.some((d) => d !== big[0])) return undefined;
    out.push(big[0] ?? 1);
  }
  return out;
}

/** The element of `values` (of `shape`) that output multi-index `outIdx` reads under broadcasting. */
export function broadcastRead(values: ArrayLike<number>, shape: Dims, outIdx: readonly number[]): number {
  const lead = outIdx.length - shape.length;
  const idx = shape.map((d, k) => (d === 1 ? 0 : outIdx[lead + k]!));
  return values[ravel(idx, shape)]!;
}

/** f applied elementwise to broadcast operands. */
export function refElementwise(
  operands: readonly { values: ArrayLike<number>; shape: Dims }[],
  f: (...args: number[]) => number,
): { values: number[]; shape: number[] } {
  const shape = refBroadcastShape(...operands.map((o) => o.shape));
  if (!shape) throw new Error('reference: shapes do not broadcast');
  const values: number[] = [];
  for (let i = 0; i < numel(shape); i++) {
    const idx = unravel(i, shape);
    values.push(f(...operands.map((o) => broadcastRead(o.values, o.shape, idx))));
  }
  return { values, shape };
}

/**
 * Reduces `axes` of x with `fold` (over the elements of each output cell, in row-major order) and returns the
 * output in row-major order with the reduced axes dropped.
 */
export function refReduce(
  values: ArrayLike<number>,
  shape: Dims,
  axes: readonly number[],
  fold: (cell: number[]) => number,
): { values: number[]; shape: number[] } {
  const outShape = shape.filter((_, i) => !axes.includes(i));
  const cells: number[][] = Array.from({ length: numel(outShape) }, () => []);
  for (let i = 0; i < numel(shape); i++) {
    const idx = unravel(i, shape);
    const o = ravel(
      idx.filter((_, d) => !axes.includes(d)),
      outShape,
    );
    cells[o]!.push(values[i]!);
  }
  return { values: cells.map(fold), shape: outShape };
}

export function refTranspose(values: ArrayLike<number>, shape: Dims, perm: readonly number[]): number[] {
  const outShape = perm.map((p) => shape[p]!);
  const out: number[] = [];
  for (let i = 0; i < numel(outShape); i++) {
    const o = unravel(i, outShape);
    const src = new Array<number>(shape.length);
    perm.forEach((p, k) => (src[p] = o[k]!));
    out.push(values[ravel(src, shape)]!);
  }
  return out;
}

/** C[M,N] = A[M,K]·B[K,N] by the textbook triple loop (row-major, no transposes). */
export function refMatmul(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  M: number,
  K: number,
  N: number,
): number[] {
  const c = new Array<number>(M * N).fill(0);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[i * K + k]! * b[k * N + j]!;
      c[i * N + j] = s;
    }
  return c;
}

/** The indices `x[begin:end:step]` visits on an axis of length n, by CPython's PySlice_AdjustIndices. */
export function pySliceIndices(n: number, begin: number | null, end: number | null, step: number): number[] {
  const adjust = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    if (v < 0) {
      v += n;
      if (v < 0) v = step < 0 ? -1 : 0;
    } else if (v >= n) v = step < 0 ? n - 1 : n;
    return v;
  };
  const start = adjust(begin, step < 0 ? n - 1 : 0);
  const stop = adjust(end, step < 0 ? -1 : n);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

/** erf by composite Simpson on 2/√π·e^(−t²): slow, obviously correct, unrelated to the backend's series. */
export function erfRef(x: number): number {
  if (Number.isNaN(x)) return NaN;
  // erfc(6) ≈ 2e-17 is below half an ulp of 1, so erf is ±1 in float64 from there on.
  if (Math.abs(x) >= 6) return Math.sign(x);
  const n = 20000;
  const b = Math.abs(x);
  const h = b / n;
  let s = 1 + Math.exp(-b * b);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return Math.sign(x) * ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
}
