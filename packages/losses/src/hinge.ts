/**
 * Margin losses for classifiers that output scores. Their gradient is exactly zero once a sample is classified
 * with margin (y·f ≥ 1): correct, confident samples stop contributing, unlike cross-entropy, which keeps pushing.
 * At the kink itself we take the subgradient 0 (relu's), so "margin met" means "no gradient" exactly.
 */
import type { Tensor, TensorLike } from '@backprop/core-tensor';
import {
  add,
  cast,
  equal,
  logicalOr,
  max,
  mean,
  min,
  mul,
  relu,
  square,
  sub,
  sum,
  where,
} from '@backprop/core-tensor';
import { reduceLoss } from './reduction';
import type { LossOptions } from './types';
import { alignTargets } from './validate';

/**
 * Keras' convert_binary_labels_to_hinge: labels that are all 0 or 1 become −1/1; any other labels (already ±1,
 * or real-valued) are used as they are. Done with ops, not by reading the labels, so it never waits on a backend.
 */
function hingeLabels(t: Tensor): Tensor {
  if (t.size === 0) return t;
  const binary = equal(min(cast(logicalOr(equal(t, 0), equal(t, 1)), 'int32')), 1);
  return where(binary, sub(mul(t, 2), 1), t);
}

/**
 * mean(max(1 − y·ŷ, 0)) over the last axis, labels −1/1 (0/1 are converted). Gradient −y/D while the margin
 * y·ŷ < 1, zero once it is met.
 * @example hinge([[1, 0]], tensor([[0.5, -2]])) // (0.5 + 0) / 2 = 0.25
 */
export function hinge(yTrue: TensorLike, yPred: Tensor, options: LossOptions = {}): Tensor {
  const [t, p] = alignTargets('hinge', yTrue, yPred);
  return reduceLoss('hinge', mean(relu(sub(1, mul(hingeLabels(t), p))), -1), options);
}

/**
 * mean(max(1 − y·ŷ, 0)²) over the last axis, labels −1/1 (0/1 are converted). Its gradient −2y·(1 − y·ŷ)/D
 * shrinks smoothly to zero at the margin instead of jumping there.
 */
export function squaredHinge(yTrue: TensorLike, yPred: Tensor, options: LossOptions = {}): Tensor {
  const [t, p] = alignTargets('squaredHinge', yTrue, yPred);
  return reduceLoss('squaredHinge', mean(square(relu(sub(1, mul(hingeLabels(t), p)))), -1), options);
}

/**
 * max(maxₖ≠y ŷₖ − ŷ_y + 1, 0) per sample, for one-hot labels (Crammer–Singer multi-class hinge): the true class's
 * score must beat the best other class by a margin of 1; then the gradient is zero.
 */
export function categoricalHinge(yTrue: TensorLike, yPred: Tensor, options: LossOptions = {}): Tensor {
  const [t, p] = alignTargets('categoricalHinge', yTrue, yPred);
  const positive = sum(mul(t, p), -1);
  const negative = max(mul(sub(1, t), p), -1);
  return reduceLoss('categoricalHinge', relu(add(sub(negative, positive), 1)), options);
}
