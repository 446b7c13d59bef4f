// WebAssembly SIMD kernels of the wasm backend (AssemblyScript). Every pointer is a byte offset into this module's
// memory, every count and stride is in elements. Memory is managed by the JS side through `alloc`/`free` (TLSF).
// A line `// @inline` before a function becomes AssemblyScript's `@inline` decorator at build time
// (scripts/build-wasm.mjs): written as a comment so these files stay plain TypeScript syntax for Prettier.
import { MR, madd } from './config';
import { hiHalf, softmaxShift, vexp, vlog, vsigmoid, vtanh } from './math';

export * from './fused';
export * from './select';
export * from './pool';
export * from './im2col';

// ---------------------------------------------------------------------------------------------------------------
// memory

/** Allocates `bytes` (16-byte aligned); the backend frees it with `free` when the tensor's storage is released. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes < 16 ? 16 : bytes);
}

/** Gives a block from `alloc` back. */
export function free(ptr: usize): void {
  heap.free(ptr);
}

/** Rows of the register tile this build uses (5 plain, 6 relaxed). */
export function tileRows(): i32 {
  return MR;
}

// ---------------------------------------------------------------------------------------------------------------
// GEMM: C[m×n] = op(A)[m×k] · op(B)[k×n] (GotoBLAS loop order). op(A)(i, p) lives at a + 4·(i·rsa + p·csa), op(B)(p, j)
// at b + 4·(p·rsb + j·csb): the four layouts differ only in strides, and packing turns each into the same panels.
// Ap: MR-row panels, k-major (MR floats per k). Bp: 8-column panels, k-major (8 floats per k).

const KC: i32 = 256;
const MC: i32 = MR * 24;
const NC: i32 = 512;
const NR: i32 = 8;

let tile: usize = 0;

/** Stores the transpose of the 4×4 block whose rows are r0…r3 as four vectors `step` bytes apart from d. */
// @inline
function storeTransposed4(r0: v128, r1: v128, r2: v128, r3: v128, d: usize, step: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f64>(t0, t1, 0, 2));
  v128.store(d + step, v128.shuffle<f64>(t0, t1, 1, 3));
  v128.store(d + 2 * step, v128.shuffle<f64>(t2, t3, 0, 2));
  v128.store(d + 3 * step, v128.shuffle<f64>(t2, t3, 1, 3));
}

function packA(mc: i32, kc: i32, a: usize, rsa: i32, csa: i32, ap: usize): void {
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    const dst = ap + ((<usize>(i * kc)) << 2);
    if (rows == MR && csa == 1) {
      // A row-major (nn, nt): 4×4 blocks of rows 0–3 transposed with shuffles; rows 4 (and 5) stored lane by lane.
      const rs = (<usize>rsa) << 2;
      const s0 = a + ((<usize>(i * rsa)) << 2);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const src = s0 + ((<usize>p) << 2);
        const r0 = v128.load(src);
        const r1 = v128.load(src + rs);
        const r2 = v128.load(src + 2 * rs);
        const r3 = v128.load(src + 3 * rs);
        const d = dst + ((<usize>(p * MR)) << 2);
        const step: usize = (<usize>MR) << 2;
        storeTransposed4(r0, r1, r2, r3, d, step);
        const r4 = v128.load(src + 4 * rs);
        if (MR == 6) {
          const r5 = v128.load(src + 5 * rs);
          const u0 = v128.shuffle<f32>(r4, r5, 0, 4, 1, 5);
          const u1 = v128.shuffle<f32>(r4, r5, 2, 6, 3, 7);
          v128.store64_lane(d, u0, 0, 16);
          v128.store64_lane(d + step, u0, 1, 16);
          v128.store64_lane(d + 2 * step, u1, 0, 16);
          v128.store64_lane(d + 3 * step, u1, 1, 16);
        } else {
          v128.store32_lane(d, r4, 0, 16);
          v128.store32_lane(d + step, r4, 1, 16);
          v128.store32_lane(d + 2 * step, r4, 2, 16);
          v128.store32_lane(d + 3 * step, r4, 3, 16);
        }
      }
      for (; p < kc; p++) {
        const d = dst + ((<usize>(p * MR)) << 2);
        for (let r = 0; r < MR; r++)
          store<f32>(d + ((<usize>r) << 2), load<f32>(s0 + ((<usize>(r * rsa + p)) << 2)));
      }
    } else if (rows == MR && rsa == 1) {
      for (let p = 0; p < kc; p++) {
        const src = a + ((<usize>(i + p * csa)) << 2);
        const d = dst + ((<usize>(p * MR)) << 2);
        v128.store(d, v128.load(src));
        if (MR > 4) store<f32>(d, load<f32>(src, 16), 16);
        if (MR > 5) store<f32>(d, load<f32>(src, 20), 20);
      }
    } else if (rsa == 1) {
      // The last, partial tile of A stored transposed (a conv filter gradient's M = 9 rows is 6 + 3): each k's
      // rows are contiguous; zero the panel's k row, then copy them.
      for (let p = 0; p < kc; p++) {
        const src = a + ((<usize>(i + p * csa)) << 2);
        const d = dst + ((<usize>(p * MR)) << 2);
        v128.store(d, f32x4.splat(0));
        if (MR == 6) v128.store64_lane(d, f32x4.splat(0), 0, 16);
        else store<f32>(d, 0, 16);
        for (let r = 0; r < rows; r++) store<f32>(d + ((<usize>r) << 2), load<f32>(src + ((<usize>r) << 2)));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = dst + ((<usize>(p * MR)) << 2);
        for (let r = 0; r < MR; r++) {
          const v: f32 = r < rows ? load<f32>(a + ((<usize>((i + r) * rsa + p * csa)) << 2)) : 0;
          store<f32>(d + ((<usize>r) << 2), v);
        }
      }
    }
  }
}

function packB(kc: i32, nc: i32, b: usize, rsb: i32, csb: i32, bp: usize): void {
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    const dst = bp + ((<usize>(j * kc)) << 2);
    if (cols == NR && csb == 1) {
      for (let p = 0; p < kc; p++) {
        const src = b + ((<usize>(p * rsb + j)) << 2);
        const d = dst + ((<usize>p) << 5);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
    } else if (cols == NR && rsb == 1) {
      // B stored transposed: each column is contiguous along k. Transpose 4×4 blocks with shuffles.
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        for (let h = 0; h < 2; h++) {
          const s0 = b + ((<usize>((j + h * 4) * csb + p)) << 2);
          const cs = (<usize>csb) << 2;
          const r0 = v128.load(s0);
          const r1 = v128.load(s0 + cs);
          const r2 = v128.load(s0 + 2 * cs);
          const r3 = v128.load(s0 + 3 * cs);
          // rX holds column j+h*4+X for k = p..p+3; per k we want the 4 columns (a k row of the panel is 32 bytes).
          storeTransposed4(r0, r1, r2, r3, dst + ((<usize>p) << 5) + ((<usize>h) << 4), 32);
        }
      }
      for (; p < kc; p++) {
        const d = dst + ((<usize>p) << 5);
        for (let c = 0; c < NR; c++)
          store<f32>(d + ((<usize>c) << 2), load<f32>(b + ((<usize>((j + c) * csb + p)) << 2)));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = dst + ((<usize>p) << 5);
        for (let c = 0; c < NR; c++) {
          const v: f32 = c < cols ? load<f32>(b + ((<usize>(p * rsb + (j + c) * csb)) << 2)) : 0;
          store<f32>(d + ((<usize>c) << 2), v);
        }
      }
    }
  }
}

// @inline
function storeRow(p: usize, lo: v128, hi: v128, acc: bool): void {
  if (acc) {
    v128.store(p, f32x4.add(v128.load(p), lo));
    v128.store(p, f32x4.add(v128.load(p, 16), hi), 16);
  } else {
    v128.store(p, lo);
    v128.store(p, hi, 16);
  }
}

/** The register-blocked microkernel: an MR×8 tile of C from kc steps of packed A and B. */
function micro(kc: i32, a: usize, b: usize, c: usize, ldc: i32, acc: bool, mr: i32, nr: i32): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0),
    c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0),
    c51 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(a, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(a, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(a, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    if (MR > 4) {
      av = v128.load32_splat(a, 16);
      c40 = madd(av, b0, c40);
      c41 = madd(av, b1, c41);
    }
    if (MR > 5) {
      av = v128.load32_splat(a, 20);
      c50 = madd(av, b0, c50);
      c51 = madd(av, b1, c51);
    }
    a += <usize>(MR << 2);
    b += 32;
  }
  if (mr == MR && nr == NR) {
    const ld = (<usize>ldc) << 2;
    storeRow(c, c00, c01, acc);
    storeRow(c + ld, c10, c11, acc);
    storeRow(c + 2 * ld, c20, c21, acc);
    storeRow(c + 3 * ld, c30, c31, acc);
    if (MR > 4) storeRow(c + 4 * ld, c40, c41, acc);
    if (MR > 5) storeRow(c + 5 * ld, c50, c51, acc);
    return;
  }
  // Edge tile: spill to a scratch tile, then copy the valid mr×nr corner.
  storeRow(tile, c00, c01, false);
  storeRow(tile + 32, c10, c11, false);
  storeRow(tile + 64, c20, c21, false);
  storeRow(tile + 96, c30, c31, false);
  if (MR > 4) storeRow(tile + 128, c40, c41, false);
  if (MR > 5) storeRow(tile + 160, c50, c51, false);
  for (let r = 0; r < mr; r++) {
    const row = c + ((<usize>(r * ldc)) << 2);
    for (let j = 0; j < nr; j++) {
      const q = row + ((<usize>j) << 2);
      const v = load<f32>(tile + ((<usize>(r * NR + j)) << 2));
      store<f32>(q, acc ? load<f32>(q) + v : v);
    }
  }
}

/** Bytes of the packing buffers one GEMM caller needs (see gemmWith). */
export function gemmWorkBytes(): usize {
  return ((<usize>(MC * KC)) << 2) + ((<usize>(KC * (NC + NR))) << 2) + ((<usize>(6 * NR)) << 2);
}

let ownWork: usize = 0;

/** C (row-major, row stride ldc) = op(A)·op(B), overwritten; packs into this instance's own buffers. */
export function gemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  rsa: i32,
  csa: i32,
  b: usize,
  rsb: i32,
  csb: i32,
  c: usize,
  ldc: i32,
): void {
  if (ownWork == 0) ownWork = heap.alloc(gemmWorkBytes());
  gemmWith(ownWork, m, n, k, a, rsa, csa, b, rsb, csb, c, ldc);
}

/**
 * gemm packing into `work` (gemmWorkBytes() bytes): worker threads sharing this memory each get their own work
 * area from the main thread and never allocate.
 */
export function gemmWith(
  work: usize,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  rsa: i32,
  csa: i32,
  b: usize,
  rsb: i32,
  csb: i32,
  c: usize,
  ldc: i32,
): void {
  const packedA = work;
  const packedB = packedA + ((<usize>(MC * KC)) << 2);
  tile = packedB + ((<usize>(KC * (NC + NR))) << 2);
  if (k == 0) {
    for (let i = 0; i < m; i++) memory.fill(c + ((<usize>(i * ldc)) << 2), 0, (<usize>n) << 2);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(kc, nc, b + ((<usize>(pc * rsb + jc * csb)) << 2), rsb, csb, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(mc, kc, a + ((<usize>(ic * rsa + pc * csa)) << 2), rsa, csa, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = packedB + ((<usize>(jr * kc)) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            micro(
              kc,
              packedA + ((<usize>(ir * kc)) << 2),
              bp,
              c + ((<usize>((ic + ir) * ldc + jc + jr)) << 2),
              ldc,
              pc > 0,
              mr,
              nr,
            );
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// elementwise. The last partial vector goes through a 16-byte scratch so every op has only a vector form.

let scratch: usize = 0;

function scratchPtr(): usize {
  if (scratch == 0) scratch = heap.alloc(64);
  return scratch;
}

// @inline
function binOp(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case 0:
      return f32x4.add(x, y);
    case 1:
      return f32x4.sub(x, y);
    case 2:
      return f32x4.mul(x, y);
    case 3:
      return f32x4.div(x, y);
    case 4:
      return f32x4.max(x, y);
    default:
      return f32x4.min(x, y);
  }
}

/**
 * out[i] = a[i·sa] op b[i·sb] for i < n, with sa, sb ∈ {0, 1} (0 broadcasts one element).
 * op: 0 add, 1 sub, 2 mul, 3 div, 4 maximum, 5 minimum.
 */
export function binary(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  if (sa == 1 && sb == 1) {
    switch (op) {
      case 0:
        for (; i < n4; i += 4) {
          const o = (<usize>i) << 2;
          v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
        }
        break;
      case 1:
        for (; i < n4; i += 4) {
          const o = (<usize>i) << 2;
          v128.store(out + o, f32x4.sub(v128.load(a + o), v128.load(b + o)));
        }
        break;
      case 2:
        for (; i < n4; i += 4) {
          const o = (<usize>i) << 2;
          v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
        }
        break;
      case 3:
        for (; i < n4; i += 4) {
          const o = (<usize>i) << 2;
          v128.store(out + o, f32x4.div(v128.load(a + o), v128.load(b + o)));
        }
        break;
      case 4:
        for (; i < n4; i += 4) {
          const o = (<usize>i) << 2;
          v128.store(out + o, f32x4.max(v128.load(a + o), v128.load(b + o)));
        }
        break;
      default:
        for (; i < n4; i += 4) {
          const o = (<usize>i) << 2;
          v128.store(out + o, f32x4.min(v128.load(a + o), v128.load(b + o)));
        }
        break;
    }
  } else if (sa == 0 && sb == 1) {
    const x = v128.load32_splat(a);
    for (; i < n4; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(out + o, binOp(op, x, v128.load(b + o)));
    }
  } else if (sa == 1 && sb == 0) {
    const y = v128.load32_splat(b);
    for (; i < n4; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(out + o, binOp(op, v128.load(a + o), y));
    }
  } else {
    const r = binOp(op, v128.load32_splat(a), v128.load32_splat(b));
    for (; i < n4; i += 4) v128.store(out + ((<usize>i) << 2), r);
  }
  if (i < n) {
    const s = scratchPtr();
    const rest = n - i;
    for (let t = 0; t < 4; t++) {
      const j = t < rest ? i + t : i;
      store<f32>(s + ((<usize>t) << 2), load<f32>(a + ((<usize>(j * sa)) << 2)));
      store<f32>(s + 16 + ((<usize>t) << 2), load<f32>(b + ((<usize>(j * sb)) << 2)));
    }
    v128.store(s, binOp(op, v128.load(s), v128.load(s, 16)), 32);
    memory.copy(out + ((<usize>i) << 2), s + 32, (<usize>rest) << 2);
  }
}

/**
 * `rows` calls of binary, row r reading a + 4·r·rowA and b + 4·r·rowB and writing out + 4·r·n: the two innermost
 * dims of a broadcast in one call (a conv bias add is 43 264 rows of 8), not one call from JS per row.
 */
export function binaryRows(
  op: i32,
  a: usize,
  rowA: i32,
  sa: i32,
  b: usize,
  rowB: i32,
  sb: i32,
  out: usize,
  rows: i32,
  n: i32,
): void {
  const stepA = (<usize>rowA) << 2;
  const stepB = (<usize>rowB) << 2;
  const stepO = (<usize>n) << 2;
  if (sa == 1 && sb == 1 && rowB == 0 && (n & 3) == 0) {
    // Every row against the same row of b (a bias): whole vectors, no call or tail per row.
    for (let r = 0; r < rows; r++) {
      for (let j: usize = 0; j < stepO; j += 16)
        v128.store(out + j, binOp(op, v128.load(a + j), v128.load(b + j)));
      a += stepA;
      out += stepO;
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    binary(op, a, sa, b, sb, out, n);
    a += stepA;
    b += stepB;
    out += stepO;
  }
}

// @inline
function unOp(op: i32, x: v128): v128 {
  switch (op) {
    case 0:
      return f32x4.neg(x);
    case 1:
      return f32x4.abs(x);
    case 2:
      return f32x4.sqrt(x);
    case 3:
      return f32x4.div(f32x4.splat(1.0), f32x4.sqrt(x));
    case 4:
      return f32x4.div(f32x4.splat(1.0), x);
    case 5:
      return f32x4.mul(x, x);
    case 6:
      return vexp(x);
    case 7:
      return vlog(x);
    case 8:
      return vtanh(x);
    case 9:
      return vsigmoid(x);
    case 10:
      return f32x4.floor(x);
    case 11:
      return f32x4.ceil(x);
    default:
      return f32x4.max(x, f32x4.splat(0));
  }
}

/**
 * out[i] = f(x[i]). op: 0 neg, 1 abs, 2 sqrt, 3 rsqrt, 4 reciprocal, 5 square, 6 exp, 7 log, 8 tanh, 9 sigmoid,
 * 10 floor, 11 ceil, 12 relu.
 */
export function unary(op: i32, x: usize, out: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  switch (op) {
    case 6:
      for (; i < n4; i += 4) {
        const o = (<usize>i) << 2;
        v128.store(out + o, vexp(v128.load(x + o)));
      }
      break;
    case 7:
      for (; i < n4; i += 4) {
        const o = (<usize>i) << 2;
        v128.store(out + o, vlog(v128.load(x + o)));
      }
      break;
    case 8:
      for (; i < n4; i += 4) {
        const o = (<usize>i) << 2;
        v128.store(out + o, vtanh(v128.load(x + o)));
      }
      break;
    case 9:
      for (; i < n4; i += 4) {
        const o = (<usize>i) << 2;
        v128.store(out + o, vsigmoid(v128.load(x + o)));
      }
      break;
    default:
      for (; i < n4; i += 4) {
        const o = (<usize>i) << 2;
        v128.store(out + o, unOp(op, v128.load(x + o)));
      }
      break;
  }
  if (i < n) {
    const s = scratchPtr();
    const rest = n - i;
    v128.store(s, f32x4.splat(0));
    memory.copy(s, x + ((<usize>i) << 2), (<usize>rest) << 2);
    v128.store(s, unOp(op, v128.load(s)), 16);
    memory.copy(out + ((<usize>i) << 2), s + 16, (<usize>rest) << 2);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// reductions. Sums accumulate in float64 (like the js reference) so long sums do not drift.

/** out[r] = Σ_j x[r·len + j] (op 0) or max (op 1) or min (op 2), for r < rows; len ≥ 1. */
export function reduceRows(op: i32, x: usize, out: usize, rows: i32, len: i32): void {
  const l4 = len & ~3;
  for (let r = 0; r < rows; r++) {
    const row = x + ((<usize>(r * len)) << 2);
    let j = 0;
    if (op == 0) {
      let s0 = f64x2.splat(0),
        s1 = f64x2.splat(0);
      for (; j < l4; j += 4) {
        const v = v128.load(row + ((<usize>j) << 2));
        s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
        s1 = f64x2.add(s1, f64x2.promote_low_f32x4(hiHalf(v)));
      }
      const s = f64x2.add(s0, s1);
      let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
      for (; j < len; j++) t += <f64>load<f32>(row + ((<usize>j) << 2));
      store<f32>(out + ((<usize>r) << 2), <f32>t);
    } else {
      let m = v128.load32_splat(row);
      for (; j < l4; j += 4) {
        const v = v128.load(row + ((<usize>j) << 2));
        m = op == 1 ? f32x4.max(m, v) : f32x4.min(m, v);
      }
      for (; j < len; j++) {
        const v = v128.load32_splat(row + ((<usize>j) << 2));
        m = op == 1 ? f32x4.max(m, v) : f32x4.min(m, v);
      }
      m = op == 1 ? f32x4.max(m, hiHalf(m)) : f32x4.min(m, hiHalf(m));
      const a = f32x4.extract_lane(m, 0);
      const b = f32x4.extract_lane(m, 1);
      store<f32>(out + ((<usize>r) << 2), op == 1 ? max<f32>(a, b) : min<f32>(a, b));
    }
  }
}

/** Four float32 lanes from two float64x2 sums (lo's two, then hi's two). */
// @inline
function demotePair(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** out[j] = Σ_r x[r·inner + j] (op 0), max (1) or min (2) over r < red, for j < inner; red ≥ 1. */
export function reduceCols(op: i32, x: usize, out: usize, red: i32, inner: i32): void {
  const i4 = inner & ~3;
  if (op == 0 && (inner & 3) == 0 && inner <= 16) {
    // Up to 16 columns (a conv bias gradient sums [N·H·W, C] down to C): the float64 sums stay in registers
    // instead of a memory row loaded and stored per input row. Same order of additions as below.
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    let s4 = f64x2.splat(0);
    let s5 = f64x2.splat(0);
    let s6 = f64x2.splat(0);
    let s7 = f64x2.splat(0);
    let row = x;
    const step = (<usize>inner) << 2;
    for (let r = 0; r < red; r++) {
      const v0 = v128.load(row);
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v0));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(hiHalf(v0)));
      if (inner > 4) {
        const v1 = v128.load(row, 16);
        s2 = f64x2.add(s2, f64x2.promote_low_f32x4(v1));
        s3 = f64x2.add(s3, f64x2.promote_low_f32x4(hiHalf(v1)));
      }
      if (inner > 8) {
        const v2 = v128.load(row, 32);
        s4 = f64x2.add(s4, f64x2.promote_low_f32x4(v2));
        s5 = f64x2.add(s5, f64x2.promote_low_f32x4(hiHalf(v2)));
      }
      if (inner > 12) {
        const v3 = v128.load(row, 48);
        s6 = f64x2.add(s6, f64x2.promote_low_f32x4(v3));
        s7 = f64x2.add(s7, f64x2.promote_low_f32x4(hiHalf(v3)));
      }
      row += step;
    }
    v128.store(out, demotePair(s0, s1));
    if (inner > 4) v128.store(out, demotePair(s2, s3), 16);
    if (inner > 8) v128.store(out, demotePair(s4, s5), 32);
    if (inner > 12) v128.store(out, demotePair(s6, s7), 48);
    return;
  }
  if (op == 0) {
    const acc = heap.alloc((<usize>(inner + 4)) << 3);
    memory.fill(acc, 0, (<usize>(inner + 4)) << 3);
    for (let r = 0; r < red; r++) {
      const row = x + ((<usize>(r * inner)) << 2);
      let j = 0;
      for (; j < i4; j += 4) {
        const v = v128.load(row + ((<usize>j) << 2));
        const q = acc + ((<usize>j) << 3);
        v128.store(q, f64x2.add(v128.load(q), f64x2.promote_low_f32x4(v)));
        v128.store(q, f64x2.add(v128.load(q, 16), f64x2.promote_low_f32x4(hiHalf(v))), 16);
      }
      for (; j < inner; j++) {
        const q = acc + ((<usize>j) << 3);
        store<f64>(q, load<f64>(q) + <f64>load<f32>(row + ((<usize>j) << 2)));
      }
    }
    for (let j = 0; j < inner; j++)
      store<f32>(out + ((<usize>j) << 2), <f32>load<f64>(acc + ((<usize>j) << 3)));
    heap.free(acc);
    return;
  }
  memory.copy(out, x, (<usize>inner) << 2);
  for (let r = 1; r < red; r++) {
    const row = x + ((<usize>(r * inner)) << 2);
    let j = 0;
    for (; j < i4; j += 4) {
      const o = (<usize>j) << 2;
      const v = v128.load(row + o);
      const m = v128.load(out + o);
      v128.store(out + o, op == 1 ? f32x4.max(m, v) : f32x4.min(m, v));
    }
    for (; j < inner; j++) {
      const o = (<usize>j) << 2;
      const v = load<f32>(row + o);
      const m = load<f32>(out + o);
      store<f32>(out + o, op == 1 ? max<f32>(m, v) : min<f32>(m, v));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// fused softmax / log-softmax along the last axis: the composed ops' formulas, one pass per step over each row.

/** out[j] = exp(x[j] − shift) for one row; returns Σ out (float64). */
function expShifted(row: usize, dst: usize, len: i32, shift: f32): f64 {
  const l4 = len & ~3;
  const sv = f32x4.splat(shift);
  let s0 = f64x2.splat(0),
    s1 = f64x2.splat(0);
  let j = 0;
  for (; j < l4; j += 4) {
    const o = (<usize>j) << 2;
    const e = vexp(f32x4.sub(v128.load(row + o), sv));
    v128.store(dst + o, e);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(hiHalf(e)));
  }
  const s = f64x2.add(s0, s1);
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; j < len; j++) {
    const o = (<usize>j) << 2;
    const e = f32x4.extract_lane(vexp(f32x4.sub(v128.load32_splat(row + o), sv)), 0);
    store<f32>(dst + o, e);
    t += <f64>e;
  }
  return t;
}

/**
 * Row-wise over [rows, len] (len ≥ 1). log == 0: softmax, exp(x − max) / Σ. log == 1: log-softmax,
 * (x − m) − log Σ exp(x − m) with m = max, or 0 where the max is not finite.
 */
export function softmaxRows(x: usize, out: usize, rows: i32, len: i32, log: i32): void {
  const l4 = len & ~3;
  for (let r = 0; r < rows; r++) {
    const off = (<usize>(r * len)) << 2;
    const row = x + off;
    const dst = out + off;
    const m = softmaxShift(row, len);
    const sum = <f32>expShifted(row, dst, len, m);
    if (log == 0) {
      const sv = f32x4.splat(sum);
      let j = 0;
      for (; j < l4; j += 4) {
        const o = (<usize>j) << 2;
        v128.store(dst + o, f32x4.div(v128.load(dst + o), sv));
      }
      for (; j < len; j++) {
        const o = (<usize>j) << 2;
        store<f32>(dst + o, load<f32>(dst + o) / sum);
      }
    } else {
      // log in float32 through the same kernel as unary log, as the composed path does.
      const ls = f32x4.extract_lane(vlog(f32x4.splat(sum)), 0);
      const mv = f32x4.splat(m);
      const lv = f32x4.splat(ls);
      let j = 0;
      for (; j < l4; j += 4) {
        const o = (<usize>j) << 2;
        v128.store(dst + o, f32x4.sub(f32x4.sub(v128.load(row + o), mv), lv));
      }
      for (; j < len; j++) {
        const o = (<usize>j) << 2;
        store<f32>(dst + o, load<f32>(row + o) - m - ls);
      }
    }
  }
}
