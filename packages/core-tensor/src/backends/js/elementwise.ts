import type { BinaryOp, CompareOp, TensorInfo, UnaryOp } from '../../backend';
import type { DType } from '../../dtype';
import { allocArray, storeValues } from '../../dtype';
import type { Shape } from '../../shape';
import { shapesEqual } from '../../shape';
import type { JsData } from './data';
import { alloc, broadcastStrides, forEachBroadcast, vals, wrap } from './data';

// Abramowitz–Stegun 7.1.26 is only 1e-7 accurate; this uses the series / continued fraction split that is
// accurate to ~1e-15 so float64 gradchecks through gelu stay tight.
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
    let sum = x;
    let term = x;
    const x2 = x * x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (ax > 6) return Math.sign(x);
  // Continued fraction for erfc (Lentz), converges fast for |x| ≥ 2.5.
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = ax + an / c;
    if (c === 0) c = 1e-300;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  return Math.sign(x) * (1 - erfc);
}

const UNARY: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0),
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  square: (x) => x * x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  // Split by sign so exp never overflows: σ(x) = 1/(1+e^-x) for x ≥ 0, e^x/(1+e^x) otherwise.
  sigmoid: (x) => {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    const e = Math.exp(x);
    return e / (1 + e);
  },
  // softplus(x) = log(1+e^x) = max(x,0) + log1p(e^-|x|): exact for large |x|.
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  erf,
  floor: Math.floor,
  ceil: Math.ceil,
  // Round half to even, as NumPy and TF do.
  round: (x) => {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  isNaN: (x) => (Number.isNaN(x) ? 1 : 0),
  isFinite: (x) => (Number.isFinite(x) ? 1 : 0),
  logicalNot: (x) => (x === 0 ? 1 : 0),
};

const BOOL_OUT = new Set<UnaryOp>(['isNaN', 'isFinite', 'logicalNot']);

/** Applies one of the UNARY table's functions to every element. */
export function unary(op: UnaryOp, x: TensorInfo): JsData {
  const f = UNARY[op];
  const dtype: DType = BOOL_OUT.has(op) ? 'bool' : x.dtype;
  const src = vals(x);
  const out = allocArray(dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]!);
  return wrap(out, dtype);
}

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  // NaN propagates through maximum/minimum (NumPy semantics); Math.max already does.
  maximum: Math.max,
  minimum: Math.min,
  // Python/NumPy modulo: the result has the sign of the divisor.
  mod: (a, b) => {
    const r = a % b;
    return r !== 0 && r < 0 !== b < 0 ? r + b : r;
  },
  atan2: Math.atan2,
};

const INT_BINARY: Partial<Record<BinaryOp, (a: number, b: number) => number>> = {
  // Integer division floors, like NumPy's // for int32 (TF's floorDiv).
  div: (a, b) => (b === 0 ? 0 : Math.floor(a / b)),
  pow: (a, b) => Math.trunc(Math.pow(a, b)),
};

/**
 * Applies a BINARY function (or its int32 variant) with broadcasting; equal shapes and a scalar right operand take
 * flat loops, everything else the general strided walk.
 */
export function binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, outDType: DType): JsData {
  const f = (outDType === 'int32' ? INT_BINARY[op] : undefined) ?? BINARY[op];
  const av = vals(a);
  const bv = vals(b);
  const out = alloc(outDType, outShape);
  if (shapesEqual(a.shape, outShape) && shapesEqual(b.shape, outShape)) {
    for (let i = 0; i < out.length; i++) out[i] = f(av[i]!, bv[i]!);
  } else if (b.data.size === 1 && shapesEqual(a.shape, outShape)) {
    const s = bv[0]!;
    for (let i = 0; i < out.length; i++) out[i] = f(av[i]!, s);
  } else {
    forEachBroadcast(
      outShape,
      [broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape)],
      (i, ia, ib) => {
        out[i] = f(av[ia]!, bv[ib]!);
      },
    );
  }
  return wrap(out, outDType);
}

const COMPARE: Record<CompareOp, (a: number, b: number) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  less: (a, b) => a < b,
  lessEqual: (a, b) => a <= b,
  greater: (a, b) => a > b,
  greaterEqual: (a, b) => a >= b,
  logicalAnd: (a, b) => a !== 0 && b !== 0,
  logicalOr: (a, b) => a !== 0 || b !== 0,
};

/** A bool predicate of two broadcast operands. */
export function compare(op: CompareOp, a: TensorInfo, b: TensorInfo, outShape: Shape): JsData {
  const f = COMPARE[op];
  const av = vals(a);
  const bv = vals(b);
  const out = alloc('bool', outShape);
  forEachBroadcast(
    outShape,
    [broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape)],
    (i, ia, ib) => {
      out[i] = f(av[ia]!, bv[ib]!) ? 1 : 0;
    },
  );
  return wrap(out, 'bool');
}

/** Elementwise select of three broadcast operands. */
export function where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): JsData {
  const cv = vals(cond);
  const av = vals(a);
  const bv = vals(b);
  const out = alloc(a.dtype, outShape);
  forEachBroadcast(
    outShape,
    [
      broadcastStrides(cond.shape, outShape),
      broadcastStrides(a.shape, outShape),
      broadcastStrides(b.shape, outShape),
    ],
    (i, ic, ia, ib) => {
      out[i] = cv[ic]! !== 0 ? av[ia]! : bv[ib]!;
    },
  );
  return wrap(out, a.dtype);
}

/** float → int32 truncates toward zero, saturates at the int32 range and maps NaN to 0; x → bool is x ≠ 0. */
export function cast(x: TensorInfo, dtype: DType): JsData {
  const src = vals(x);
  const out = allocArray(dtype, src.length);
  storeValues(out, src, dtype);
  return wrap(out, dtype);
}
