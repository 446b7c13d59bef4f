// Vector math shared by the kernels: Cephes-style float32 exp/log/tanh/sigmoid and lane helpers.

// @inline
export function hiHalf(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 0, 1);
}

/**
 * The row maximum softmax shifts by: max of len ≥ 1 floats, or 0 where that is ±Inf or NaN (as the composed
 * softmax and logSoftmax shift, so softmax = exp(logSoftmax) holds for infinite logits).
 */
export function softmaxShift(row: usize, len: i32): f32 {
  const l4 = len & ~3;
  let m = v128.load32_splat(row);
  let j = 0;
  for (; j < l4; j += 4) m = f32x4.max(m, v128.load(row + ((<usize>j) << 2)));
  for (; j < len; j++) m = f32x4.max(m, v128.load32_splat(row + ((<usize>j) << 2)));
  m = f32x4.max(m, hiHalf(m));
  const s = max<f32>(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1));
  return s - s != 0 ? 0 : s;
}

// Cephes-style single-precision exp and log, vectorized; ≤ 2 ulp over the float32 range.

// @inline
export function vexp(x: v128): v128 {
  const big = f32x4.gt(x, f32x4.splat(88.72283935546875));
  const tiny = f32x4.lt(x, f32x4.splat(-103.97208));
  const nan = f32x4.ne(x, x);
  let v = f32x4.min(f32x4.max(x, f32x4.splat(-103.97208)), f32x4.splat(88.72283935546875));
  const fx = f32x4.nearest(f32x4.mul(v, f32x4.splat(1.44269504088896341)));
  v = f32x4.sub(v, f32x4.mul(fx, f32x4.splat(0.693359375)));
  v = f32x4.sub(v, f32x4.mul(fx, f32x4.splat(-2.1219444e-4)));
  const z = f32x4.mul(v, v);
  let y = f32x4.splat(1.98756915e-4);
  y = f32x4.add(f32x4.mul(y, v), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, v), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, v), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, v), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, v), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), v), f32x4.splat(1.0));
  // y·2^fx in two steps so fx down to −150 (denormal results) does not underflow the exponent field.
  const n = i32x4.trunc_sat_f32x4_s(fx);
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  y = f32x4.mul(f32x4.mul(y, s1), s2);
  y = v128.bitselect(f32x4.splat(Infinity), y, big);
  y = v128.andnot(y, tiny);
  return v128.bitselect(x, y, nan);
}

// @inline
export function vlog(x0: v128): v128 {
  // Denormals: scale by 2^23 so the exponent field is meaningful.
  const den = f32x4.lt(x0, f32x4.splat(1.17549435e-38));
  const x = v128.bitselect(f32x4.mul(x0, f32x4.splat(8388608.0)), x0, den);
  const bits = x;
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(den, i32x4.splat(23)));
  // mantissa in [0.5, 1)
  let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const small = f32x4.lt(m, f32x4.splat(0.707106781186547524));
  let ef = f32x4.convert_i32x4_s(e);
  ef = f32x4.sub(ef, v128.and(small, f32x4.splat(1.0)));
  m = f32x4.sub(f32x4.add(m, v128.and(small, m)), f32x4.splat(1.0));
  const z = f32x4.mul(m, m);
  let y = f32x4.splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.151461031e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.167699874e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, m), z);
  y = f32x4.add(y, f32x4.mul(ef, f32x4.splat(-2.1219444e-4)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  let r = f32x4.add(m, y);
  r = f32x4.add(r, f32x4.mul(ef, f32x4.splat(0.693359375)));
  // Specials: log(0) = −Inf, log(<0) = NaN, log(Inf) = Inf, NaN stays NaN.
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x0, f32x4.splat(0)));
  r = v128.bitselect(f32x4.splat(NaN), r, f32x4.lt(x0, f32x4.splat(0)));
  r = v128.bitselect(x0, r, f32x4.eq(x0, f32x4.splat(Infinity)));
  return v128.bitselect(x0, r, f32x4.ne(x0, x0));
}

// @inline
export function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  // |x| < 0.625: odd polynomial (Cephes tanhf); else 1 − 2/(e^{2|x|} + 1) with x's sign.
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = vexp(f32x4.add(ax, ax));
  let big = f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
  big = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, big, f32x4.lt(ax, f32x4.splat(0.625)));
}

// @inline
export function vsigmoid(x: v128): v128 {
  // e = e^{−|x|} never overflows: σ = 1/(1+e) for x ≥ 0, e/(1+e) otherwise.
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const d = f32x4.add(e, f32x4.splat(1.0));
  const pos = f32x4.div(f32x4.splat(1.0), d);
  const neg = f32x4.div(e, d);
  return v128.bitselect(neg, pos, f32x4.lt(x, f32x4.splat(0)));
}
