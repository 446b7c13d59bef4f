// Plain SIMD128 build: the microkernel is 5 rows × 8 columns (10 accumulators + 2 B vectors + 1 broadcast A = 13
// vector registers; V8 keeps about 15 live, a 6×8 tile without FMA spills). The relaxed build replaces this file
// with config.relaxed.ts (see scripts/build-wasm.mjs).

/** Rows of the GEMM register tile. */
export const MR: i32 = 5;

/** a·b + c. */
// @inline
export function madd(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(f32x4.mul(a, b), c);
}
