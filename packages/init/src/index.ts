/**
 * @backprop/init: seeded weight initializers with Keras names, defaults and formulas.
 *
 * Every initializer is an object with `call(shape, dtype)`; layers call it in `build()`. The variance-scaling
 * family (Glorot/Xavier, He/Kaiming, LeCun) picks the spread of the first weights from the layer's fan-in and
 * fan-out so that signals and gradients keep their scale through depth.
 */
export type { Initializer } from './initializer';
export type { Fans } from './fans';
export { computeFans } from './fans';
export type { ConstantOptions } from './constant';
export { Constant, Ones, Zeros, constant, ones, zeros } from './constant';
export type { RandomNormalOptions, RandomUniformOptions } from './random';
export {
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  randomNormal,
  randomUniform,
  truncatedNormal,
} from './random';
export type { FanMode, ScalingDistribution, SeedOptions, VarianceScalingOptions } from './variance-scaling';
export {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  TRUNCATED_NORMAL_STDDEV,
  VarianceScaling,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  varianceScaling,
} from './variance-scaling';
export type { OrthogonalOptions } from './orthogonal';
export { Orthogonal, orthogonal } from './orthogonal';
export type { IdentityOptions } from './identity';
export { Identity, identity } from './identity';
export type { InitializerConfig, InitializerFactory } from './registry';
export { getInitializer, registerInitializer, serializeInitializer } from './registry';
