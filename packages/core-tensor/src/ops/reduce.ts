import type { ReduceOp } from '../backend';
import { getBackend } from '../backend';
import { op } from '../dispatch';
import { ArgumentError, DTypeError } from '../errors';
import { isFloatDType } from '../dtype';
import { normalizeAxes, normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import type { TensorLike } from './create';
import { abs, add, cast, div, exp, isFinite, log, pow, sqrt, square, sub, where } from './elementwise';
import { reshape } from './movement';
import { full } from './create';
import { makeTensor, toTensor } from './util';

/** One axis or a list of axes; negative values count from the end. */
export type Axis = number | readonly number[];

function keptShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims
    ? shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : shape.filter((_, i) => !axes.includes(i));
}

function reduceOp(name: ReduceOp, x: TensorLike, axis: Axis | undefined, keepDims: boolean): Tensor {
  const t = toTensor(x);
  return op(name, [t], { axis, keepDims }, () => {
    const axes = normalizeAxes(name, axis, t.rank);
    if ((name === 'max' || name === 'min') && t.size === 0 && axes.some((a) => t.shape[a] === 0)) {
      throw new ArgumentError(
        `${name}: cannot reduce over a size-0 axis (shape [${t.shape.join(',')}]): no identity`,
      );
    }
    const out = makeTensor(getBackend().reduce(name, t.info(), axes), keptShape(t.shape, axes, false));
    return keepDims ? reshape(out, keptShape(t.shape, axes, true)) : out;
  });
}

/** Sum over `axis` (all axes when omitted). bool and int32 sum to int32. */
export const sum = (x: TensorLike, axis?: Axis, keepDims = false): Tensor =>
  reduceOp('sum', x, axis, keepDims);
/** Product over `axis`. */
export const prod = (x: TensorLike, axis?: Axis, keepDims = false): Tensor =>
  reduceOp('prod', x, axis, keepDims);
/** Maximum over `axis`; NaN wins. */
export const max = (x: TensorLike, axis?: Axis, keepDims = false): Tensor =>
  reduceOp('max', x, axis, keepDims);
/** Minimum over `axis`; NaN wins. */
export const min = (x: TensorLike, axis?: Axis, keepDims = false): Tensor =>
  reduceOp('min', x, axis, keepDims);

/** Arithmetic mean over `axis` (float result). */
export function mean(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  const t = toTensor(x);
  return op('mean', [t], { axis, keepDims }, () => {
    const axes = normalizeAxes('mean', axis, t.rank);
    const count = axes.reduce((n, a) => n * t.shape[a]!, 1);
    const f = t.dtype === 'float64' ? t : cast(t, 'float32');
    return div(sum(f, axes, keepDims), count);
  });
}

function argOp(name: 'argmax' | 'argmin', x: TensorLike, axis?: number): Tensor {
  const t = toTensor(x);
  return op(name, [t], { axis }, () => {
    if (t.dtype === 'bool') throw new DTypeError(`${name}: x must be numeric, got bool`);
    // Without an axis, NumPy's convention: the index into the flattened tensor.
    const src = axis === undefined ? reshape(t, [-1]) : t;
    const ax = normalizeAxis(name, axis ?? 0, src.rank);
    if (src.shape[ax] === 0)
      throw new ArgumentError(`${name}: axis ${ax} has size 0 (shape [${t.shape.join(',')}])`);
    return makeTensor(
      getBackend().reduce(name, src.info(), [ax]),
      keptShape(src.shape, [ax], false),
      'int32',
    );
  });
}

/** Index of the first maximum along `axis` (of the flattened tensor when omitted), int32. */
export const argmax = (x: TensorLike, axis?: number): Tensor => argOp('argmax', x, axis);
/** Index of the first minimum along `axis` (of the flattened tensor when omitted), int32. */
export const argmin = (x: TensorLike, axis?: number): Tensor => argOp('argmin', x, axis);

/** Population variance (divides by N, like NumPy's default and Keras). */
export function variance(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  const t = toTensor(x);
  return op('variance', [t], { axis, keepDims }, () => {
    normalizeAxes('variance', axis, t.rank);
    const m = mean(t, axis, true);
    return mean(square(sub(t, m)), axis, keepDims);
  });
}

/** Population standard deviation. */
export function std(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  const t = toTensor(x);
  return op('std', [t], { axis, keepDims }, () => {
    normalizeAxes('std', axis, t.rank);
    return sqrt(variance(t, axis, keepDims));
  });
}

/**
 * log Σ exp(x), stable for huge logits: subtracts the maximum first (an infinite maximum is replaced by 0 so
 * ±Inf inputs give ±Inf, not NaN).
 */
export function logSumExp(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  const t = toTensor(x);
  return op('logSumExp', [t], { axis, keepDims }, () => {
    const axes = normalizeAxes('logSumExp', axis, t.rank);
    if (axes.some((a) => t.shape[a] === 0)) {
      // An empty sum is 0 and log 0 = −Inf (SciPy and PyTorch agree); max below would have no identity.
      return full(keptShape(t.shape, axes, keepDims), -Infinity, isFloatDType(t.dtype) ? t.dtype : 'float32');
    }
    const m = max(t, axis, true);
    const safe = where(isFinite(m), m, 0);
    const lse = add(log(sum(exp(sub(t, safe)), axis, true)), safe);
    return keepDims ? lse : reshape(lse, keptShape(t.shape, axes, false));
  });
}

/** The order of `norm`: 'euclidean' / 'fro' / 2, 1, Infinity, or any p ≥ 1. */
export type NormOrd = number | 'euclidean' | 'fro';

/**
 * Vector p-norm over `axis` (all axes when omitted): ord 2 / 'euclidean' / 'fro' is √Σx², 1 is Σ|x|,
 * Infinity is max|x|, any other p ≥ 1 is (Σ|x|ᵖ)^(1/p).
 */
export function norm(x: TensorLike, ord: NormOrd = 'euclidean', axis?: Axis, keepDims = false): Tensor {
  const t = toTensor(x);
  return op('norm', [t], { ord, axis, keepDims }, () => {
    const euclidean = ord === 'euclidean' || ord === 'fro' || ord === 2;
    if (!euclidean && (typeof ord !== 'number' || !(ord >= 1))) {
      throw new ArgumentError(
        `norm: ord must be 'euclidean', 'fro', Infinity or a number ≥ 1, got ${String(ord)}`,
      );
    }
    const axes = normalizeAxes('norm', axis, t.rank);
    if (euclidean) return sqrt(sum(square(t), axis, keepDims));
    if (ord === 1) return sum(abs(t), axis, keepDims);
    if (ord === Infinity) {
      // The norm of an empty vector is 0 for every p; max alone would have no identity there.
      if (axes.some((a) => t.shape[a] === 0)) {
        return full(keptShape(t.shape, axes, keepDims), 0, isFloatDType(t.dtype) ? t.dtype : 'int32');
      }
      return max(abs(t), axis, keepDims);
    }
    return pow(sum(pow(abs(t), ord), axis, keepDims), 1 / ord);
  });
}
