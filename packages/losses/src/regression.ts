/**
 * Regression losses: each compares yPred with yTrue element by element and averages over the last axis, giving
 * one loss per sample (Keras semantics), which `reduceLoss` then weights and reduces.
 */
import type { Tensor, TensorLike } from '@backprop/core-tensor';
import { abs, add, lessEqual, mean, mul, softplus, square, sub, where } from '@backprop/core-tensor';
import { reduceLoss } from './reduction';
import type { LossOptions } from './types';
import { alignTargets, checkRange } from './validate';

/** Aligns the inputs, applies `elementwise(yTrue, yPred)`, averages over the last axis and reduces. */
function lastAxisMean(
  loss: string,
  yTrue: TensorLike,
  yPred: Tensor,
  options: LossOptions,
  elementwise: (t: Tensor, p: Tensor) => Tensor,
): Tensor {
  const [t, p] = alignTargets(loss, yTrue, yPred);
  return reduceLoss(loss, mean(elementwise(t, p), -1), options);
}

/**
 * mean((yPred − yTrue)²) over the last axis. Gradient 2(ŷ − y)/D: proportional to the error, so it fades as
 * predictions approach the target — and vanishes on a saturated sigmoid, where cross-entropy does not.
 * @example meanSquaredError([[0, 1]], tensor([[0.5, 0.5]])) // 0.25
 */
export function meanSquaredError(yTrue: TensorLike, yPred: Tensor, options: LossOptions = {}): Tensor {
  return lastAxisMean('meanSquaredError', yTrue, yPred, options, (t, p) => square(sub(p, t)));
}

/**
 * mean(|yPred − yTrue|) over the last axis. Gradient sign(ŷ − y)/D: constant size however large the error, so
 * outliers pull no harder than other samples (robust), but it does not shrink near the optimum either.
 */
export function meanAbsoluteError(yTrue: TensorLike, yPred: Tensor, options: LossOptions = {}): Tensor {
  return lastAxisMean('meanAbsoluteError', yTrue, yPred, options, (t, p) => abs(sub(p, t)));
}

/** Options of {@link huber}. */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1, Keras' default). */
  delta?: number;
}

/**
 * Huber loss, mean over the last axis of ½e² where |e| ≤ δ and δ(|e| − ½δ) elsewhere (e = yPred − yTrue).
 * Its gradient is e near the target (like MSE) and ±δ beyond δ (like MAE, so outliers cannot dominate).
 */
export function huber(yTrue: TensorLike, yPred: Tensor, options: HuberOptions = {}): Tensor {
  const delta = checkRange('huber', 'delta', options.delta ?? 1, Number.MIN_VALUE, Infinity);
  return lastAxisMean('huber', yTrue, yPred, options, (t, p) => {
    const e = sub(p, t);
    const absE = abs(e);
    // Both branches are finite for any finite e, so `where` cannot route a 0·Inf = NaN into the gradient.
    return where(lessEqual(absE, delta), mul(square(e), 0.5), sub(mul(absE, delta), 0.5 * delta * delta));
  });
}

/**
 * mean(log(cosh(yPred − yTrue))) over the last axis; ≈ e²/2 for small errors and |e| − log 2 for large ones,
 * with gradient tanh(e). Computed as e + softplus(−2e) − log 2 because cosh overflows for |e| > 710 (89 in
 * float32) while softplus does not.
 */
export function logCosh(yTrue: TensorLike, yPred: Tensor, options: LossOptions = {}): Tensor {
  return lastAxisMean('logCosh', yTrue, yPred, options, (t, p) => {
    const e = sub(p, t);
    return sub(add(e, softplus(mul(e, -2))), Math.LN2);
  });
}
