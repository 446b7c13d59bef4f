/**
 * Cross-entropy losses. Each has two paths: from logits (stable for any finite logit: nothing is exponentiated
 * that could overflow, and the gradient is exactly σ(x) − y or softmax(x) − y) and from probabilities (clipped to
 * [ε, 1 − ε] with ε = 1e-7 as Keras does, so log never sees 0; where the clip is active the gradient is 0).
 */
import type { Tensor, TensorLike } from '@backprop/core-tensor';
import {
  ArgumentError,
  ShapeError,
  add,
  cast,
  clip,
  div,
  exp,
  fused,
  greaterEqual,
  log,
  log1p,
  logSoftmax,
  mean,
  mul,
  neg,
  normalizeAxis,
  oneHot,
  squeeze,
  sub,
  sum,
  tensor,
  transpose,
  where,
} from '@backprop/core-tensor';
import { reduceLoss } from './reduction';
import type { FromLogitsOptions, LossOptions } from './types';
import { alignTargets, checkPrediction, checkRange, fmt } from './validate';

/** Keras' `backend.epsilon()`: how far probabilities are kept from 0 and 1 before taking logs. */
export const EPSILON = 1e-7;

/** Options of {@link binaryCrossentropy}. */
export interface BinaryCrossentropyOptions extends LossOptions, FromLogitsOptions {
  /** Replaces labels y by y(1 − s) + s/2, pulling targets away from 0 and 1 (default 0). */
  labelSmoothing?: number;
}

/**
 * −[y·log p + (1 − y)·log(1 − p)], averaged over the last axis. From logits x it is computed as
 * max(x, 0) − x·y + log1p(exp(−|x|)), finite for any finite x, with gradient σ(x) − y: it stays large while the
 * prediction is confidently wrong, which is why a sigmoid output trains with it and stalls with MSE.
 * @example binaryCrossentropy([[1]], tensor([[0]]), { fromLogits: true }) // log 2 ≈ 0.6931
 */
export function binaryCrossentropy(
  yTrue: TensorLike,
  yPred: Tensor,
  options: BinaryCrossentropyOptions = {},
): Tensor {
  const name = 'binaryCrossentropy';
  const smoothing = checkRange(name, 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1);
  const [t0, x] = alignTargets(name, yTrue, yPred);
  const t = smoothing > 0 ? add(mul(t0, 1 - smoothing), 0.5 * smoothing) : t0;
  let elementwise: Tensor;
  if (options.fromLogits === true) {
    // TF's sigmoid_cross_entropy_with_logits. `where` rather than max/abs: at x = 0 abs' subgradient 0 and max's
    // tie rule would give a gradient of 1 − y instead of the true ½ − y.
    const nonNegative = greaterEqual(x, 0);
    const relu = where(nonNegative, x, 0);
    const negAbs = where(nonNegative, neg(x), x);
    elementwise = add(sub(relu, mul(x, t)), log1p(exp(negAbs)));
  } else {
    const p = clip(x, EPSILON, 1 - EPSILON);
    elementwise = neg(add(mul(t, log(p)), mul(sub(1, t), log(sub(1, p)))));
  }
  return reduceLoss(name, mean(elementwise, -1), options);
}

/** Options of {@link categoricalCrossentropy} and {@link sparseCategoricalCrossentropy}. */
export interface CategoricalOptions extends LossOptions, FromLogitsOptions {
  /** The class axis of yPred (default −1). */
  axis?: number;
}

/** Options of {@link categoricalCrossentropy}. */
export interface CategoricalCrossentropyOptions extends CategoricalOptions {
  /** Replaces one-hot labels y by y(1 − s) + s/C for C classes (default 0). */
  labelSmoothing?: number;
}

/** −Σ y·log p over the class axis, from logits (log-softmax) or from probabilities (normalized, clipped). */
function crossentropy(t: Tensor, x: Tensor, fromLogits: boolean, axis: number): Tensor {
  // Over the last axis from logits: one fused op (one pass per row on backends with the kernel; the same
  // formula composed elsewhere).
  if (fromLogits && axis === x.rank - 1) return fused.softmaxCrossEntropy(t, x);
  // log-softmax is x − logΣexp(x): no exp of a large logit, no log of an underflowed 0.
  const logP = fromLogits ? logSoftmax(x, axis) : log(clip(div(x, sum(x, axis, true)), EPSILON, 1 - EPSILON));
  return neg(sum(mul(t, logP), axis));
}

/**
 * −Σ y·log p over the class axis, for one-hot (or soft) labels. Probabilities are first divided by their sum
 * along the axis (as Keras does), then clipped. From logits the gradient is softmax(x)·Σy − y: each wrong class
 * is pushed down by its own probability, the right one up by 1 − p.
 * @example categoricalCrossentropy([[0, 1]], tensor([[0.5, 0.5]])) // log 2 ≈ 0.6931
 */
export function categoricalCrossentropy(
  yTrue: TensorLike,
  yPred: Tensor,
  options: CategoricalCrossentropyOptions = {},
): Tensor {
  const name = 'categoricalCrossentropy';
  const smoothing = checkRange(name, 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1);
  const [t0, x] = alignTargets(name, yTrue, yPred);
  const axis = normalizeAxis(name, options.axis ?? -1, x.rank);
  const classes = x.shape[axis]!;
  const t = smoothing > 0 ? add(mul(t0, 1 - smoothing), smoothing / classes) : t0;
  return reduceLoss(name, crossentropy(t, x, options.fromLogits === true, axis), options);
}

/**
 * Categorical cross-entropy with integer class labels: yTrue has yPred's shape without the class axis (a trailing
 * axis of size 1 is accepted), each value an integer in [0, classes). Equivalent to one-hot encoding the labels
 * and calling {@link categoricalCrossentropy}, which is what it does after checking them.
 * @example sparseCategoricalCrossentropy([1], tensor([[0.5, 0.5]])) // log 2 ≈ 0.6931
 */
export function sparseCategoricalCrossentropy(
  yTrue: TensorLike,
  yPred: Tensor,
  options: CategoricalOptions = {},
): Tensor {
  const name = 'sparseCategoricalCrossentropy';
  const x = checkPrediction(name, yPred);
  const axis = normalizeAxis(name, options.axis ?? -1, x.rank);
  if (options.fromLogits === true && axis === x.rank - 1) {
    // Class indices straight into the fused op: no one-hot matrix (and no 0·(−Inf) from a −Inf logit).
    const labels = cast(checkSparseLabels(name, yTrue, x, axis), 'int32');
    return reduceLoss(name, fused.sparseSoftmaxCrossEntropy(labels, x), options);
  }
  const oh = sparseToOneHot(name, yTrue, x, axis);
  return reduceLoss(name, crossentropy(oh, x, options.fromLogits === true, axis), options);
}

/** Checks integer labels against yPred (shape, integrality, range) and one-hot encodes them along `axis`. */
export function sparseToOneHot(name: string, yTrue: TensorLike, x: Tensor, axis: number): Tensor {
  const classes = x.shape[axis]!;
  let oh = oneHot(cast(checkSparseLabels(name, yTrue, x, axis), 'int32'), classes);
  if (axis !== x.rank - 1) {
    // oneHot appends the class axis last; move it to where yPred has it.
    const perm = Array.from({ length: x.rank - 1 }, (_, i) => i);
    perm.splice(axis, 0, x.rank - 1);
    oh = transpose(oh, perm);
  }
  return cast(oh, x.dtype);
}

/** The labels of a sparse loss, checked against yPred (shape, integrality, range) and shaped like yPred without `axis`. */
function checkSparseLabels(name: string, yTrue: TensorLike, x: Tensor, axis: number): Tensor {
  const classes = x.shape[axis]!;
  const expected = x.shape.filter((_, i) => i !== axis);
  let labels = tensor(yTrue);
  // Keras accepts labels shaped [N, 1] for predictions [N, C].
  if (labels.rank === x.rank && labels.rank > 0 && labels.shape[labels.rank - 1] === 1) {
    labels = squeeze(labels, -1);
  }
  if (labels.rank !== expected.length || labels.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(
      `${name}: yTrue has shape ${fmt(tensor(yTrue).shape)} but yPred ${fmt(x.shape)} needs class indices of ` +
        `shape ${fmt(expected)} (yPred without its class axis ${axis})`,
    );
  }
  // A label check reads the labels; they are data (never differentiated), usually a few hundred integers.
  const values = labels.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v)) {
      throw new ArgumentError(
        `${name}: label ${v} at position ${i} is not an integer; sparse labels are class indices ` +
          `(use categoricalCrossentropy for one-hot or soft labels)`,
      );
    }
    if (v < 0 || v >= classes) {
      throw new ArgumentError(
        `${name}: label ${v} at position ${i} is out of range [0, ${classes}) for yPred of shape ` +
          `${fmt(x.shape)} (${classes} classes on axis ${axis})`,
      );
    }
  }
  return labels;
}
