import type { TensorInfo } from '../../backend';
import type { TypedArray } from '../../dtype';
import { allocArray } from '../../dtype';
import type { Shape } from '../../shape';
import { sizeOf } from '../../shape';
import type { JsData } from './data';
import { vals, wrap } from './data';

// Block sizes chosen so a KB×NB panel of B (64×256 float64 = 128 KiB) stays in L2 while rows of A stream past.
const KB = 64;
const NB = 256;

/** Copies one [rows, cols] matrix (optionally transposed from [cols, rows]) into a row-major float64 buffer. */
function packMatrix(
  src: TypedArray,
  offset: number,
  rows: number,
  cols: number,
  transposed: boolean,
  dst: Float64Array,
): void {
  if (!transposed) {
    for (let i = 0; i < rows * cols; i++) dst[i] = src[offset + i]!;
    return;
  }
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) dst[r * cols + c] = src[offset + c * rows + r]!;
}

/**
 * C = op(A)·op(B) for every batch. Both operands are packed to row-major float64 first, so all four layouts run
 * the same blocked i-k-j loop (the inner loop is a unit-stride axpy over a row of B).
 */
export function matmul(
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  outShape: Shape,
): JsData {
  const rank = outShape.length;
  const M = outShape[rank - 2]!;
  const N = outShape[rank - 1]!;
  const K = transposeA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
  const batchShape = outShape.slice(0, -2);
  const batch = sizeOf(batchShape);
  const av = vals(a);
  const bv = vals(b);
  const out = allocArray(a.dtype, batch * M * N);
  const A = new Float64Array(M * K);
  const B = new Float64Array(K * N);
  const C = new Float64Array(M * N);
  const aBatch = batchOffsets(a.shape.slice(0, -2), batchShape, M * K);
  const bBatch = batchOffsets(b.shape.slice(0, -2), batchShape, K * N);
  let lastA = -1;
  let lastB = -1;
  for (let t = 0; t < batch; t++) {
    // Broadcast batches reuse the packed operand instead of repacking it.
    if (aBatch[t] !== lastA) packMatrix(av, (lastA = aBatch[t]!), M, K, transposeA, A);
    if (bBatch[t] !== lastB) packMatrix(bv, (lastB = bBatch[t]!), K, N, transposeB, B);
    C.fill(0);
    for (let k0 = 0; k0 < K; k0 += KB) {
      const k1 = Math.min(K, k0 + KB);
      for (let j0 = 0; j0 < N; j0 += NB) {
        const j1 = Math.min(N, j0 + NB);
        for (let i = 0; i < M; i++) {
          const ci = i * N;
          const ai = i * K;
          for (let k = k0; k < k1; k++) {
            const aik = A[ai + k]!;
            const bk = k * N;
            for (let j = j0; j < j1; j++) C[ci + j] = C[ci + j]! + aik * B[bk + j]!;
          }
        }
      }
    }
    out.set(C, t * M * N);
  }
  return wrap(out, a.dtype);
}

/** Element offset of each output batch's matrix inside an operand whose batch dims broadcast to `batchShape`. */
function batchOffsets(shape: Shape, batchShape: Shape, matSize: number): number[] {
  const total = sizeOf(batchShape);
  const offs = new Array<number>(total);
  const rank = batchShape.length;
  const idx = new Array<number>(rank).fill(0);
  for (let t = 0; t < total; t++) {
    let off = 0;
    let stride = matSize;
    for (let d = rank - 1, s = shape.length - 1; d >= 0; d--, s--) {
      if (s < 0) break;
      const dim = shape[s]!;
      if (dim !== 1) off += idx[d]! * stride;
      stride *= dim;
    }
    offs[t] = off;
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < batchShape[d]!) break;
      idx[d] = 0;
    }
  }
  return offs;
}
