// Relaxed-SIMD build: fused multiply-add frees the product's temporary, so a 6×8 tile fits (12 accumulators + 2 B
// vectors + 1 broadcast A = 15 vector registers). Copied over config.ts by scripts/build-wasm.mjs.

/** Rows of the GEMM register tile. */
export const MR: i32 = 6;

/** a·b + c, fused where the hardware has FMA. */
// @inline
export function madd(a: v128, b: v128, c: v128): v128 {
  return f32x4.relaxed_madd(a, b, c);
}
