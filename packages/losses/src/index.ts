/**
 * @backprop/losses: loss functions and metrics with Keras semantics, written with @backprop/core-tensor ops so
 * @backprop/autograd differentiates them. Every loss is stable at the extremes: logits of any finite size and
 * probabilities of exactly 0 and 1 give finite losses and finite gradients.
 */
export type { FromLogitsOptions, Loss, LossOptions, Reduction } from './types';
export type { HuberOptions } from './regression';
export { huber, logCosh, meanAbsoluteError, meanSquaredError } from './regression';
export type {
  BinaryCrossentropyOptions,
  CategoricalCrossentropyOptions,
  CategoricalOptions,
} from './crossentropy';
export {
  EPSILON,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} from './crossentropy';
export { kullbackLeiblerDivergence, poisson } from './probabilistic';
export { categoricalHinge, hinge, squaredHinge } from './hinge';
export { reduceLoss } from './reduction';
export type {
  BinaryCrossentropyConfig,
  CategoricalCrossentropyConfig,
  HuberConfig,
  LossConfig,
  LossFn,
  SparseCategoricalCrossentropyConfig,
} from './classes';
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalHinge,
  Hinge,
  Huber,
  KLDivergence,
  LogCosh,
  LossFunctionWrapper,
  MeanAbsoluteError,
  MeanSquaredError,
  Poisson,
  SparseCategoricalCrossentropy,
  SquaredHinge,
} from './classes';
export type { LossIdentifier, SerializedLoss } from './registry';
export { LOSS_NAMES, getLoss, serializeLoss } from './registry';
export type { Metric, MetricConfig, MetricFn, MetricState } from './metrics/metric';
export { Mean, MeanMetricWrapper } from './metrics/metric';
export type { BinaryAccuracyConfig, TopKCategoricalAccuracyConfig } from './metrics/accuracy';
export {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  topKCategoricalAccuracy,
} from './metrics/accuracy';
export { MeanAbsoluteErrorMetric, MeanSquaredErrorMetric } from './metrics/regression';
export type { MetricContext, MetricIdentifier, SerializedMetric } from './metrics/registry';
export { METRIC_NAMES, getMetric, serializeMetric } from './metrics/registry';
