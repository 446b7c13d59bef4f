import type { BinaryOp, CompareOp, UnaryOp } from '../backend';
import { getBackend } from '../backend';
import type { DType } from '../dtype';
import { assertDType, isFloatDType, promoteTypes } from '../dtype';
import { op } from '../dispatch';
import { DTypeError } from '../errors';
import { broadcastShapes } from '../shape';
import type { Tensor } from '../tensor';
import type { TensorLike } from './create';
import { makeTensor, toTensor } from './util';

const FLOAT_ONLY = new Set<UnaryOp>([
  'exp',
  'expm1',
  'log',
  'log1p',
  'sqrt',
  'rsqrt',
  'reciprocal',
  'sin',
  'cos',
  'tanh',
  'sigmoid',
  'softplus',
  'erf',
]);

function unaryOp(name: UnaryOp, x: TensorLike): Tensor {
  const t = toTensor(x);
  return op(name, [t], {}, () => {
    // Integer inputs to transcendental functions compute in float32, as NumPy/TF promote them.
    let input = t;
    if (FLOAT_ONLY.has(name) && !isFloatDType(t.dtype)) input = cast(t, 'float32');
    else if (t.dtype === 'bool' && name !== 'logicalNot' && name !== 'isNaN' && name !== 'isFinite')
      input = cast(t, 'int32');
    return makeTensor(getBackend().unary(name, input.info()), t.shape);
  });
}

/** −x */
export const neg = (x: TensorLike): Tensor => unaryOp('neg', x);
/** |x| */
export const abs = (x: TensorLike): Tensor => unaryOp('abs', x);
/** −1, 0 or 1 (NaN stays NaN). */
export const sign = (x: TensorLike): Tensor => unaryOp('sign', x);
/** eˣ */
export const exp = (x: TensorLike): Tensor => unaryOp('exp', x);
/** eˣ − 1, accurate for small x. */
export const expm1 = (x: TensorLike): Tensor => unaryOp('expm1', x);
/** Natural logarithm; log(0) = −Inf, log(x<0) = NaN. */
export const log = (x: TensorLike): Tensor => unaryOp('log', x);
/** log(1 + x), accurate for small x. */
export const log1p = (x: TensorLike): Tensor => unaryOp('log1p', x);
/** √x */
export const sqrt = (x: TensorLike): Tensor => unaryOp('sqrt', x);
/** 1/√x */
export const rsqrt = (x: TensorLike): Tensor => unaryOp('rsqrt', x);
/** 1/x */
export const reciprocal = (x: TensorLike): Tensor => unaryOp('reciprocal', x);
/** x² */
export const square = (x: TensorLike): Tensor => unaryOp('square', x);
/** sin x (radians). */
export const sin = (x: TensorLike): Tensor => unaryOp('sin', x);
/** cos x (radians). */
export const cos = (x: TensorLike): Tensor => unaryOp('cos', x);
/** Hyperbolic tangent, saturating at ±1. */
export const tanh = (x: TensorLike): Tensor => unaryOp('tanh', x);
/** σ(x) = 1/(1+e⁻ˣ), computed without overflow for any x. */
export const sigmoid = (x: TensorLike): Tensor => unaryOp('sigmoid', x);
/** log(1+eˣ), computed without overflow for any x. */
export const softplus = (x: TensorLike): Tensor => unaryOp('softplus', x);
/** The Gauss error function. */
export const erf = (x: TensorLike): Tensor => unaryOp('erf', x);
/** Largest integer ≤ x. */
export const floor = (x: TensorLike): Tensor => unaryOp('floor', x);
/** Smallest integer ≥ x. */
export const ceil = (x: TensorLike): Tensor => unaryOp('ceil', x);
/** Rounds half to even, as NumPy does. */
export const round = (x: TensorLike): Tensor => unaryOp('round', x);
/** Bool tensor: true where x is NaN. */
export const isNaN = (x: TensorLike): Tensor => unaryOp('isNaN', x);
/** Bool tensor: true where x is neither NaN nor ±Inf. */
export const isFinite = (x: TensorLike): Tensor => unaryOp('isFinite', x);
/** Bool tensor: true where x is false (0). */
export const logicalNot = (x: TensorLike): Tensor => unaryOp('logicalNot', x);

/** Converts two operands to tensors; a plain number adopts the other operand's dtype. */
export function operands(a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (typeof a === 'number' && typeof b !== 'number') {
    const y = toTensor(b);
    return [toTensor(a, y.dtype), y];
  }
  const x = toTensor(a);
  return [x, toTensor(b, x.dtype)];
}

function binaryOp(name: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b);
  return op(name, [x, y], {}, () => {
    const shape = broadcastShapes(name, x.shape, y.shape);
    let dtype = promoteTypes(x.dtype, y.dtype);
    if (dtype === 'bool') dtype = 'int32';
    // True division of integers gives floats, as in NumPy and PyTorch.
    if ((name === 'div' || name === 'atan2') && !isFloatDType(dtype)) dtype = 'float32';
    const xa = x.dtype === dtype ? x : cast(x, dtype);
    const ya = y.dtype === dtype ? y : cast(y, dtype);
    return makeTensor(getBackend().binary(name, xa.info(), ya.info(), shape, dtype), shape, dtype);
  });
}

/** a + b with broadcasting. */
export const add = (a: TensorLike, b: TensorLike): Tensor => binaryOp('add', a, b);
/** a − b with broadcasting. */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binaryOp('sub', a, b);
/** a · b elementwise with broadcasting. */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binaryOp('mul', a, b);
/** a / b with broadcasting; integer operands give a float32 result. */
export const div = (a: TensorLike, b: TensorLike): Tensor => binaryOp('div', a, b);
/** aᵇ with broadcasting; int32 operands give int32 (a fractional result truncates toward zero). */
export const pow = (a: TensorLike, b: TensorLike): Tensor => binaryOp('pow', a, b);
/** Elementwise maximum; NaN propagates. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binaryOp('maximum', a, b);
/** Elementwise minimum; NaN propagates. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binaryOp('minimum', a, b);
/** Remainder with the sign of the divisor (Python's %). */
export const mod = (a: TensorLike, b: TensorLike): Tensor => binaryOp('mod', a, b);
/** atan2(a, b): the angle of the point (b, a). */
export const atan2 = (a: TensorLike, b: TensorLike): Tensor => binaryOp('atan2', a, b);

function compareOp(name: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b);
  return op(name, [x, y], {}, () => {
    const shape = broadcastShapes(name, x.shape, y.shape);
    if (name === 'logicalAnd' || name === 'logicalOr') {
      for (const [t, n] of [
        [x, 'a'],
        [y, 'b'],
      ] as const) {
        if (t.dtype !== 'bool') throw new DTypeError(`${name}: ${n} must be bool, got ${t.dtype}`);
      }
    }
    const dtype = promoteTypes(x.dtype, y.dtype);
    const xa = x.dtype === dtype ? x : cast(x, dtype);
    const ya = y.dtype === dtype ? y : cast(y, dtype);
    return makeTensor(getBackend().compare(name, xa.info(), ya.info(), shape), shape, 'bool');
  });
}

/** Bool tensor: a = b, with broadcasting (comparisons with NaN are false). */
export const equal = (a: TensorLike, b: TensorLike): Tensor => compareOp('equal', a, b);
/** Bool tensor: a ≠ b (true where either is NaN), with broadcasting. */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => compareOp('notEqual', a, b);
/** Bool tensor: a < b, with broadcasting (comparisons with NaN are false). */
export const less = (a: TensorLike, b: TensorLike): Tensor => compareOp('less', a, b);
/** Bool tensor: a ≤ b, with broadcasting (comparisons with NaN are false). */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => compareOp('lessEqual', a, b);
/** Bool tensor: a > b, with broadcasting (comparisons with NaN are false). */
export const greater = (a: TensorLike, b: TensorLike): Tensor => compareOp('greater', a, b);
/** Bool tensor: a ≥ b, with broadcasting (comparisons with NaN are false). */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => compareOp('greaterEqual', a, b);
/** Bool a AND b. */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => compareOp('logicalAnd', a, b);
/** Bool a OR b. */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => compareOp('logicalOr', a, b);

/** Picks `a` where `cond` is true and `b` elsewhere; all three broadcast together. */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = toTensor(cond);
  const [x, y] = operands(a, b);
  return op('where', [c, x, y], {}, () => {
    if (c.dtype !== 'bool')
      throw new DTypeError(`where: cond must be bool, got ${c.dtype} (compare first, e.g. x.greater(0))`);
    const shape = broadcastShapes('where', c.shape, x.shape, y.shape);
    const dtype = promoteTypes(x.dtype, y.dtype);
    const xa = x.dtype === dtype ? x : cast(x, dtype);
    const ya = y.dtype === dtype ? y : cast(y, dtype);
    return makeTensor(getBackend().where(c.info(), xa.info(), ya.info(), shape), shape, dtype);
  });
}

/**
 * Converts to `dtype`. float → int32 rounds toward zero, saturates at the int32 range and maps NaN to 0;
 * anything → bool is `x ≠ 0` (NaN is true); bool → number is 0/1.
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  const t = toTensor(x);
  assertDType('cast', dtype);
  return op('cast', [t], { dtype }, () => {
    if (t.dtype === dtype) return t;
    return makeTensor(getBackend().cast(t.info(), dtype), t.shape, dtype);
  });
}
