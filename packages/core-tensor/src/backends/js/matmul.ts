import type { TensorInfo } from '../../backend';
import type { TypedArray } from '../../dtype';
import { allocArray } from '../../dtype';
import type { Shape } from '../../shape';
import { sizeOf } from '../../shape';
import type { JsData } from './data';
import { vals, wrap } from './data';

/*
 * How this kernel is laid out, and why (numbers from bench/, 2-core x64, Node 20):
 *
 * - Both operands are first packed into float64 "panels": A into strips of 4 rows, B into strips of 4 columns,
 *   each stored k-major, so the inner loop reads both with unit stride whatever the transpose flags were. All
 *   four layouts (nn, tn, nt, tt) therefore run the same code at the same speed, and the float64 accumulation
 *   leaves float32 results with essentially only the final rounding.
 * - The inner loop computes a 4×4 tile of C in 16 local variables (registers): per k it loads 4 + 4 values and
 *   does 16 multiply-adds. A plain i-k-j loop does 2 loads and a store per multiply-add and runs at naive-loop
 *   speed in V8; the register tile is what makes this 4–6× faster than the textbook loop (bench/README.md).
 * - The k loop is cut into KC-long blocks and the columns into NC-wide blocks, so one 4×KC strip of A (8 KiB) stays
 *   in L1 while a KC×NC block of B (256 KiB) stays in L2. It measured no gain at the benchmarked sizes, where the
 *   panels fit in cache anyway; it is there for large K and N.
 * - Tiny products (under SMALL multiply-adds) skip packing: its fixed cost dominates there.
 */
const KC = 256;
const NC = 128;
const SMALL = 4096;

/**
 * Packs a [rows, cols] matrix, read at `src[offset + r·rowStride + c·colStride]`, into 4-row panels:
 * element (r, c) goes to `dst[(r>>2)·4·cols + c·4 + (r&3)]`. Rows past `rows` (up to a multiple of 4) stay 0.
 */
function packPanels(
  src: TypedArray,
  offset: number,
  rows: number,
  cols: number,
  rowStride: number,
  colStride: number,
  dst: Float64Array,
): void {
  dst.fill(0);
  for (let r = 0; r < rows; r++) {
    const base = (r >> 2) * 4 * cols + (r & 3);
    const from = offset + r * rowStride;
    for (let c = 0; c < cols; c++) dst[base + c * 4] = src[from + c * colStride]!;
  }
}

/**
 * C (Mp×Np, row stride Np, zero-initialized) = Ap · Bp for panels packed by `packPanels`: Ap from A [M,K] and Bp
 * from Bᵀ [N,K]. Mp and Np are M and N rounded up to multiples of 4.
 */
function panelGemm(
  Ap: Float64Array,
  Bp: Float64Array,
  C: Float64Array,
  Mp: number,
  K: number,
  Np: number,
): void {
  for (let jc = 0; jc < Np; jc += NC) {
    const jcEnd = Math.min(Np, jc + NC);
    for (let pc = 0; pc < K; pc += KC) {
      const pcEnd = Math.min(K, pc + KC);
      for (let ib = 0; ib < Mp; ib += 4) {
        for (let jb = jc; jb < jcEnd; jb += 4) {
          // The tile starts from C's partial sums, so k is summed in order 0…K−1 across blocks.
          const p0 = ib * Np + jb;
          const p1 = p0 + Np;
          const p2 = p1 + Np;
          const p3 = p2 + Np;
          // prettier-ignore
          let c00 = C[p0]!, c01 = C[p0 + 1]!, c02 = C[p0 + 2]!, c03 = C[p0 + 3]!,
              c10 = C[p1]!, c11 = C[p1 + 1]!, c12 = C[p1 + 2]!, c13 = C[p1 + 3]!,
              c20 = C[p2]!, c21 = C[p2 + 1]!, c22 = C[p2 + 2]!, c23 = C[p2 + 3]!,
              c30 = C[p3]!, c31 = C[p3 + 1]!, c32 = C[p3 + 2]!, c33 = C[p3 + 3]!;
          // prettier-ignore
          for (let k = pc, pa = ib * K + pc * 4, pb = jb * K + pc * 4; k < pcEnd; k++, pa += 4, pb += 4) {
            const a0 = Ap[pa]!, a1 = Ap[pa + 1]!, a2 = Ap[pa + 2]!, a3 = Ap[pa + 3]!;
            const b0 = Bp[pb]!, b1 = Bp[pb + 1]!, b2 = Bp[pb + 2]!, b3 = Bp[pb + 3]!;
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
          }
          // prettier-ignore
          {
            C[p0] = c00; C[p0 + 1] = c01; C[p0 + 2] = c02; C[p0 + 3] = c03;
            C[p1] = c10; C[p1 + 1] = c11; C[p1 + 2] = c12; C[p1 + 3] = c13;
            C[p2] = c20; C[p2 + 1] = c21; C[p2 + 2] = c22; C[p2 + 3] = c23;
            C[p3] = c30; C[p3 + 1] = c31; C[p3 + 2] = c32; C[p3 + 3] = c33;
          }
        }
      }
    }
  }
}

/**
 * C = op(A)·op(B) for every batch (batch dims of a and b broadcast to `outShape`'s leading dims). Accumulates in
 * float64 and stores in a's dtype.
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
  // Strides of op(A)[i, k] and op(B)ᵀ[j, k] in the stored operands.
  const [aRow, aCol] = transposeA ? [1, M] : [K, 1];
  const [bRow, bCol] = transposeB ? [K, 1] : [1, N];
  const aBatch = batchOffsets(a.shape.slice(0, -2), batchShape, M * K);
  const bBatch = batchOffsets(b.shape.slice(0, -2), batchShape, K * N);

  if (M * N * K < SMALL) {
    for (let t = 0; t < batch; t++) {
      const ao = aBatch[t]!;
      const bo = bBatch[t]!;
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += av[ao + i * aRow + k * aCol]! * bv[bo + j * bRow + k * bCol]!;
          out[(t * M + i) * N + j] = s;
        }
      }
    }
    return wrap(out, a.dtype);
  }

  const Mp = Math.ceil(M / 4) * 4;
  const Np = Math.ceil(N / 4) * 4;
  const Ap = new Float64Array(Mp * K);
  const Bp = new Float64Array(Np * K);
  const C = new Float64Array(Mp * Np);
  let lastA = -1;
  let lastB = -1;
  for (let t = 0; t < batch; t++) {
    // Broadcast batches reuse the packed operand instead of repacking it.
    if (aBatch[t] !== lastA) packPanels(av, (lastA = aBatch[t]!), M, K, aRow, aCol, Ap);
    if (bBatch[t] !== lastB) packPanels(bv, (lastB = bBatch[t]!), N, K, bRow, bCol, Bp);
    C.fill(0);
    panelGemm(Ap, Bp, C, Mp, K, Np);
    for (let i = 0; i < M; i++) {
      const from = i * Np;
      const to = (t * M + i) * N;
      for (let j = 0; j < N; j++) out[to + j] = C[from + j]!;
    }
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
