/**
 * @backprop/optimizers: the update rules that turn gradients into better weights (SGD … AdamW, with Keras 3's
 * formulas and defaults), gradient clipping, and learning-rate schedules.
 */
export type { OptimizerOptions, OptimizerState, UpdateContext, UpdateResult } from './optimizer';
export { Optimizer } from './optimizer';
export type { SGDOptions } from './sgd';
export { SGD } from './sgd';
export type { RMSpropOptions } from './rmsprop';
export { RMSprop } from './rmsprop';
export type { AdamOptions } from './adam';
export { Adam } from './adam';
export type { AdamWOptions } from './adamw';
export { AdamW } from './adamw';
export type { AdagradOptions } from './adagrad';
export { Adagrad } from './adagrad';
export type { AdadeltaOptions } from './adadelta';
export { Adadelta } from './adadelta';
export type { AdamaxOptions } from './adamax';
export { Adamax } from './adamax';
export type { NadamOptions } from './nadam';
export { Nadam } from './nadam';
export { clipByGlobalNorm, clipByNorm, clipByValue, globalNorm } from './clipping';
export type { LearningRateSchedule } from './schedules/schedule';
export type {
  ExponentialDecayOptions,
  InverseTimeDecayOptions,
  PiecewiseConstantOptions,
  PolynomialDecayOptions,
} from './schedules/decay';
export {
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  exponentialDecay,
  inverseTimeDecay,
  piecewiseConstant,
  polynomialDecay,
} from './schedules/decay';
export type { CosineDecayOptions, CosineDecayRestartsOptions } from './schedules/cosine';
export { CosineDecay, CosineDecayRestarts, cosineDecay, cosineDecayRestarts } from './schedules/cosine';
export type { LinearWarmupOptions } from './schedules/warmup';
export { LinearWarmup, linearWarmup } from './schedules/warmup';
export { getSchedule, serializeSchedule } from './schedules/registry';
export type { SerializedObject } from './config';
export type { OptimizerFactory } from './registry';
export { getOptimizer, registerOptimizer, serializeOptimizer } from './registry';
