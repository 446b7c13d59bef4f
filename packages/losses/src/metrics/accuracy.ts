/**
 * Accuracy metrics. The functions return one value per sample (1 = right, 0 = wrong, or a fraction for
 * multi-output samples); the classes average them over an epoch.
 */
import type { Tensor, TensorLike } from '@backprop/core-tensor';
import {
  ArgumentError,
  ShapeError,
  argmax,
  cast,
  equal,
  greater,
  less,
  mean,
  mul,
  oneHot,
  squeeze,
  sum,
  tensor,
} from '@backprop/core-tensor';
import { alignTargets, checkPrediction, fmt } from '../validate';
import type { MetricConfig } from './metric';
import { MeanMetricWrapper } from './metric';

/** Fraction of elements where yPred equals yTrue exactly, per sample (for predictions that are labels already). */
export function accuracy(yTrue: TensorLike, yPred: Tensor): Tensor {
  const [t, p] = alignTargets('accuracy', yTrue, yPred);
  return mean(cast(equal(t, p), p.dtype), -1);
}

/** Fraction of outputs where (yPred > threshold) equals the 0/1 label, per sample. */
export function binaryAccuracy(yTrue: TensorLike, yPred: Tensor, threshold = 0.5): Tensor {
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
    throw new ArgumentError(`binaryAccuracy: threshold must be a number, got ${String(threshold)}`);
  }
  const [t, p] = alignTargets('binaryAccuracy', yTrue, yPred);
  return mean(cast(equal(t, cast(greater(p, threshold), p.dtype)), p.dtype), -1);
}

/** 1 where the arg-max of yPred is the arg-max of the one-hot yTrue, per sample. */
export function categoricalAccuracy(yTrue: TensorLike, yPred: Tensor): Tensor {
  const [t, p] = alignTargets('categoricalAccuracy', yTrue, yPred);
  return cast(equal(argmax(t, -1), argmax(p, -1)), p.dtype);
}

/** 1 where the arg-max of yPred equals the integer label, per sample (labels `[N]` or `[N, 1]`). */
export function sparseCategoricalAccuracy(yTrue: TensorLike, yPred: Tensor): Tensor {
  const name = 'sparseCategoricalAccuracy';
  const p = checkPrediction(name, yPred);
  let t = tensor(yTrue);
  if (t.rank === p.rank && t.shape[t.rank - 1] === 1) t = squeeze(t, -1);
  const expected = p.shape.slice(0, -1);
  if (t.rank !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(
      `${name}: yTrue has shape ${fmt(tensor(yTrue).shape)} but yPred ${fmt(p.shape)} needs labels of shape ` +
        `${fmt(expected)}`,
    );
  }
  // Compared as floats so a non-integer label (1.5) never counts as class 1.
  return cast(equal(cast(argmax(p, -1), p.dtype), cast(t, p.dtype)), p.dtype);
}

/**
 * 1 where the true class (arg-max of the one-hot yTrue) is among the k highest scores, per sample. Ties count in
 * the target's favour, as TF's in_top_k: it is a hit when fewer than k classes score strictly higher.
 */
export function topKCategoricalAccuracy(yTrue: TensorLike, yPred: Tensor, k = 5): Tensor {
  const name = 'topKCategoricalAccuracy';
  if (!Number.isInteger(k) || k < 1) throw new ArgumentError(`${name}: k must be an integer ≥ 1, got ${k}`);
  const [t, p] = alignTargets(name, yTrue, yPred);
  const classes = p.shape[p.rank - 1]!;
  const target = cast(oneHot(argmax(t, -1), classes), p.dtype);
  const targetScore = sum(mul(target, p), -1, true);
  const higher = sum(cast(greater(p, targetScore), 'int32'), -1);
  return cast(less(higher, k), p.dtype);
}

/** {@link accuracy} averaged over an epoch: exact equality of predictions and labels. */
export class Accuracy extends MeanMetricWrapper {
  override readonly className = 'Accuracy';
  constructor(config: MetricConfig = {}) {
    super(accuracy, { name: 'accuracy', ...config });
  }
}

/** Options of {@link BinaryAccuracy}. */
export interface BinaryAccuracyConfig extends MetricConfig {
  /** Predictions above it count as 1 (default 0.5; use 0 for logits). */
  threshold?: number;
}

/** {@link binaryAccuracy} averaged over an epoch. */
export class BinaryAccuracy extends MeanMetricWrapper {
  override readonly className = 'BinaryAccuracy';
  constructor(config: BinaryAccuracyConfig = {}) {
    const threshold = config.threshold ?? 0.5;
    super((t, p) => binaryAccuracy(t, p, threshold), { name: 'binary_accuracy', ...config }, { threshold });
  }
}

/** {@link categoricalAccuracy} averaged over an epoch. */
export class CategoricalAccuracy extends MeanMetricWrapper {
  override readonly className = 'CategoricalAccuracy';
  constructor(config: MetricConfig = {}) {
    super(categoricalAccuracy, { name: 'categorical_accuracy', ...config });
  }
}

/** {@link sparseCategoricalAccuracy} averaged over an epoch. */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  override readonly className = 'SparseCategoricalAccuracy';
  constructor(config: MetricConfig = {}) {
    super(sparseCategoricalAccuracy, { name: 'sparse_categorical_accuracy', ...config });
  }
}

/** Options of {@link TopKCategoricalAccuracy}. */
export interface TopKCategoricalAccuracyConfig extends MetricConfig {
  /** How many of the highest scores may contain the true class (default 5). */
  k?: number;
}

/** {@link topKCategoricalAccuracy} averaged over an epoch. */
export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  override readonly className = 'TopKCategoricalAccuracy';
  constructor(config: TopKCategoricalAccuracyConfig = {}) {
    const k = config.k ?? 5;
    if (!Number.isInteger(k) || k < 1) {
      throw new ArgumentError(`TopKCategoricalAccuracy: k must be an integer ≥ 1, got ${k}`);
    }
    super(
      (t, p) => topKCategoricalAccuracy(t, p, k),
      { name: 'top_k_categorical_accuracy', ...config },
      { k },
    );
  }
}
