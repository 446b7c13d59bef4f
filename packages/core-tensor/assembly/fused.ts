// Fused kernels: each computes in one pass what a chain of composed ops would, with the same float32 operations in
// the same order (so a fused result equals the composed one on this backend, bit for bit where noted).
import { hiHalf, softmaxShift, vexp, vlog, vsigmoid, vtanh } from './math';

// @inline
function actV(act: i32, x: v128): v128 {
  switch (act) {
    case 1:
      return f32x4.max(x, f32x4.splat(0));
    case 2:
      return vsigmoid(x);
    case 3:
      return vtanh(x);
    default:
      return x;
  }
}

/**
 * The epilogue of a Dense layer, in place on C [rows×cols]: C ← act(C + bias), bias a row of `cols` floats or 0
 * for none. act: 0 linear, 1 relu (max(x, 0), as `relu` composes it), 2 sigmoid, 3 tanh (the unary kernels).
 * Run right after the GEMM wrote C, while C is still in cache.
 */
export function biasAct(c: usize, bias: usize, rows: i32, cols: i32, act: i32): void {
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const row = c + ((<usize>(r * cols)) << 2);
    let j = 0;
    for (; j < c4; j += 4) {
      const o = (<usize>j) << 2;
      let v = v128.load(row + o);
      if (bias != 0) v = f32x4.add(v, v128.load(bias + o));
      v128.store(row + o, actV(act, v));
    }
    for (; j < cols; j++) {
      const o = (<usize>j) << 2;
      let v = f32x4.splat(load<f32>(row + o));
      if (bias != 0) v = f32x4.add(v, f32x4.splat(load<f32>(bias + o)));
      store<f32>(row + o, f32x4.extract_lane(actV(act, v), 0));
    }
  }
}

/** log Σ exp(x − m) over one row, in float32 as the composed log-softmax computes it. */
function logSumShifted(row: usize, len: i32, m: f32): f32 {
  const l4 = len & ~3;
  const mv = f32x4.splat(m);
  let s0 = f64x2.splat(0),
    s1 = f64x2.splat(0);
  let j = 0;
  for (; j < l4; j += 4) {
    const e = vexp(f32x4.sub(v128.load(row + ((<usize>j) << 2)), mv));
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(hiHalf(e)));
  }
  const s = f64x2.add(s0, s1);
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; j < len; j++) {
    t += <f64>f32x4.extract_lane(vexp(f32x4.sub(v128.load32_splat(row + ((<usize>j) << 2)), mv)), 0);
  }
  return f32x4.extract_lane(vlog(f32x4.splat(<f32>t)), 0);
}

/**
 * Softmax cross-entropy from logits with dense (one-hot or soft) labels, row-wise over [rows, len]:
 * loss[r] = −Σ_j t[r,j]·((x[r,j] − m) − log Σ exp(x[r] − m)). The products are summed in float64 in the order the
 * sum kernel uses, so the result equals −sum(labels · logSoftmax(logits), −1) on this backend.
 */
export function softmaxXent(x: usize, t: usize, out: usize, rows: i32, len: i32): void {
  const l4 = len & ~3;
  for (let r = 0; r < rows; r++) {
    const off = (<usize>(r * len)) << 2;
    const row = x + off;
    const lab = t + off;
    const m = softmaxShift(row, len);
    const ls = logSumShifted(row, len, m);
    const mv = f32x4.splat(m);
    const lv = f32x4.splat(ls);
    let s0 = f64x2.splat(0),
      s1 = f64x2.splat(0);
    let j = 0;
    for (; j < l4; j += 4) {
      const o = (<usize>j) << 2;
      const lp = f32x4.sub(f32x4.sub(v128.load(row + o), mv), lv);
      const p = f32x4.mul(v128.load(lab + o), lp);
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(p));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(hiHalf(p)));
    }
    const s = f64x2.add(s0, s1);
    let acc = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    for (; j < len; j++) {
      const o = (<usize>j) << 2;
      acc += <f64>(load<f32>(lab + o) * (load<f32>(row + o) - m - ls));
    }
    store<f32>(out + ((<usize>r) << 2), -(<f32>acc));
  }
}

/**
 * Softmax cross-entropy from logits with int32 class labels (already range-checked), row-wise over [rows, len]:
 * loss[r] = −((x[r, label[r]] − m) − log Σ exp(x[r] − m)): no one-hot matrix, one read of the label's logit.
 */
export function sparseSoftmaxXent(x: usize, labels: usize, out: usize, rows: i32, len: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = x + ((<usize>(r * len)) << 2);
    const m = softmaxShift(row, len);
    const ls = logSumShifted(row, len, m);
    const l = load<i32>(labels + ((<usize>r) << 2));
    store<f32>(out + ((<usize>r) << 2), -(load<f32>(row + ((<usize>l) << 2)) - m - ls));
  }
}

/**
 * SGD step over n floats (Keras 3's formulas, the optimizer's composed ops in the same order):
 * v == 0: w' = w − g·lr; else v' = v·μ − g·lr and w' = w + v' (or, nesterov, w + (v'·μ − g·lr)).
 */
export function sgdUpdate(
  w: usize,
  g: usize,
  v: usize,
  outW: usize,
  outV: usize,
  n: i32,
  lr: f32,
  mu: f32,
  nesterov: i32,
): void {
  const n4 = n & ~3;
  const lv = f32x4.splat(lr);
  const mv = f32x4.splat(mu);
  let i = 0;
  if (v == 0) {
    for (; i < n4; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(outW + o, f32x4.sub(v128.load(w + o), f32x4.mul(v128.load(g + o), lv)));
    }
    for (; i < n; i++) {
      const o = (<usize>i) << 2;
      store<f32>(outW + o, load<f32>(w + o) - load<f32>(g + o) * lr);
    }
    return;
  }
  for (; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    const step = f32x4.mul(v128.load(g + o), lv);
    const nv = f32x4.sub(f32x4.mul(v128.load(v + o), mv), step);
    v128.store(outV + o, nv);
    const d = nesterov != 0 ? f32x4.sub(f32x4.mul(nv, mv), step) : nv;
    v128.store(outW + o, f32x4.add(v128.load(w + o), d));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const step = load<f32>(g + o) * lr;
    const nv = load<f32>(v + o) * mu - step;
    store<f32>(outV + o, nv);
    store<f32>(outW + o, load<f32>(w + o) + (nesterov != 0 ? nv * mu - step : nv));
  }
}

/**
 * Adam step over n floats (Keras 3's formulas, the optimizer's composed ops in the same order):
 * m' = m + (g − m)·(1 − β₁), v' = v + (g² − v)·(1 − β₂), w' = w − (m'·α) / (√v' + ε).
 */
export function adamUpdate(
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  outW: usize,
  outM: usize,
  outV: usize,
  n: i32,
  alpha: f32,
  omb1: f32,
  omb2: f32,
  eps: f32,
): void {
  const n4 = n & ~3;
  const av = f32x4.splat(alpha);
  const b1 = f32x4.splat(omb1);
  const b2 = f32x4.splat(omb2);
  const ev = f32x4.splat(eps);
  let i = 0;
  for (; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    const gv = v128.load(g + o);
    const mo = v128.load(m + o);
    const vo = v128.load(v + o);
    const nm = f32x4.add(mo, f32x4.mul(f32x4.sub(gv, mo), b1));
    const nv = f32x4.add(vo, f32x4.mul(f32x4.sub(f32x4.mul(gv, gv), vo), b2));
    v128.store(outM + o, nm);
    v128.store(outV + o, nv);
    const step = f32x4.div(f32x4.mul(nm, av), f32x4.add(f32x4.sqrt(nv), ev));
    v128.store(outW + o, f32x4.sub(v128.load(w + o), step));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const gs = load<f32>(g + o);
    const mo = load<f32>(m + o);
    const vo = load<f32>(v + o);
    const nm = mo + (gs - mo) * omb1;
    const nv = vo + (gs * gs - vo) * omb2;
    store<f32>(outM + o, nm);
    store<f32>(outV + o, nv);
    store<f32>(outW + o, load<f32>(w + o) - (nm * alpha) / (sqrt<f32>(nv) + eps));
  }
}
