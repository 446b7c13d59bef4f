/**
 * Loss objects for `compile({ loss })`: each binds a loss function to its options and a reduction, and can be
 * serialized with `getConfig()` and rebuilt by `getLoss({ className, config })`.
 */
import type { Tensor } from '@backprop/core-tensor';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy';
import type {
  BinaryCrossentropyOptions,
  CategoricalCrossentropyOptions,
  CategoricalOptions,
} from './crossentropy';
import { categoricalHinge, hinge, squaredHinge } from './hinge';
import { kullbackLeiblerDivergence, poisson } from './probabilistic';
import { reduceLoss } from './reduction';
import type { HuberOptions } from './regression';
import { huber, logCosh, meanAbsoluteError, meanSquaredError } from './regression';
import type { Loss, LossOptions, Reduction } from './types';
import { checkReduction } from './validate';

/** Options every loss class takes. */
export interface LossConfig {
  /** How per-sample losses are combined (default `'mean'`). */
  reduction?: Reduction;
  /** Display name (defaults to the Keras name, e.g. `'mean_squared_error'`). */
  name?: string;
}

/** A function from (yTrue, yPred) to per-sample losses (or any shape: the wrapper reduces what it returns). */
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * Turns a function returning per-sample losses into a {@link Loss}: the wrapper applies sample weights and the
 * reduction. `getLoss(fn)` wraps custom functions this way; every built-in loss class is one of these.
 */
export class LossFunctionWrapper implements Loss {
  /** {@inheritDoc Loss.className} */
  readonly className: string = 'LossFunctionWrapper';
  /** {@inheritDoc Loss.name} */
  readonly name: string;
  /** How per-sample losses are combined. */
  readonly reduction: Reduction;
  readonly #fn: LossFn;
  readonly #options: Record<string, unknown>;

  /**
   * @param fn computes per-sample losses
   * @param config name and reduction
   * @param options extra options, stored in `getConfig()` (built-in losses pass their own, e.g. `fromLogits`)
   */
  constructor(fn: LossFn, config: LossConfig = {}, options: Record<string, unknown> = {}) {
    this.#fn = fn;
    this.name = config.name ?? (fn.name || 'loss');
    this.reduction = checkReduction(this.name, config.reduction);
    this.#options = options;
  }

  /** {@inheritDoc Loss.call} */
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    const perSample = this.#fn(yTrue, yPred);
    return reduceLoss(this.name, perSample, { reduction: this.reduction, sampleWeight });
  }

  /** {@inheritDoc Loss.getConfig} */
  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction, ...this.#options };
  }
}

// Built-in losses compute per-sample values with reduction 'none'; the wrapper then weights and reduces once.
const NONE = { reduction: 'none' } as const satisfies LossOptions;

/** {@link meanSquaredError} as a loss object. */
export class MeanSquaredError extends LossFunctionWrapper {
  override readonly className = 'MeanSquaredError';
  constructor(config: LossConfig = {}) {
    super((t, p) => meanSquaredError(t, p, NONE), { name: 'mean_squared_error', ...config });
  }
}

/** {@link meanAbsoluteError} as a loss object. */
export class MeanAbsoluteError extends LossFunctionWrapper {
  override readonly className = 'MeanAbsoluteError';
  constructor(config: LossConfig = {}) {
    super((t, p) => meanAbsoluteError(t, p, NONE), { name: 'mean_absolute_error', ...config });
  }
}

/** Options of {@link Huber}. */
export interface HuberConfig extends LossConfig, Pick<HuberOptions, 'delta'> {}

/** {@link huber} as a loss object (default δ = 1). */
export class Huber extends LossFunctionWrapper {
  override readonly className = 'Huber';
  constructor(config: HuberConfig = {}) {
    const delta = config.delta ?? 1;
    super((t, p) => huber(t, p, { ...NONE, delta }), { name: 'huber_loss', ...config }, { delta });
  }
}

/** {@link logCosh} as a loss object. */
export class LogCosh extends LossFunctionWrapper {
  override readonly className = 'LogCosh';
  constructor(config: LossConfig = {}) {
    super((t, p) => logCosh(t, p, NONE), { name: 'log_cosh', ...config });
  }
}

/** Options of {@link BinaryCrossentropy}. */
export interface BinaryCrossentropyConfig
  extends LossConfig, Pick<BinaryCrossentropyOptions, 'fromLogits' | 'labelSmoothing'> {}

/** {@link binaryCrossentropy} as a loss object. */
export class BinaryCrossentropy extends LossFunctionWrapper {
  override readonly className = 'BinaryCrossentropy';
  constructor(config: BinaryCrossentropyConfig = {}) {
    const options = { fromLogits: config.fromLogits ?? false, labelSmoothing: config.labelSmoothing ?? 0 };
    super(
      (t, p) => binaryCrossentropy(t, p, { ...NONE, ...options }),
      { name: 'binary_crossentropy', ...config },
      options,
    );
  }
}

/** Options of {@link CategoricalCrossentropy}. */
export interface CategoricalCrossentropyConfig
  extends LossConfig, Pick<CategoricalCrossentropyOptions, 'fromLogits' | 'labelSmoothing' | 'axis'> {}

/** {@link categoricalCrossentropy} as a loss object. */
export class CategoricalCrossentropy extends LossFunctionWrapper {
  override readonly className = 'CategoricalCrossentropy';
  constructor(config: CategoricalCrossentropyConfig = {}) {
    const options = {
      fromLogits: config.fromLogits ?? false,
      labelSmoothing: config.labelSmoothing ?? 0,
      axis: config.axis ?? -1,
    };
    super(
      (t, p) => categoricalCrossentropy(t, p, { ...NONE, ...options }),
      { name: 'categorical_crossentropy', ...config },
      options,
    );
  }
}

/** Options of {@link SparseCategoricalCrossentropy}. */
export interface SparseCategoricalCrossentropyConfig
  extends LossConfig, Pick<CategoricalOptions, 'fromLogits' | 'axis'> {}

/** {@link sparseCategoricalCrossentropy} as a loss object. */
export class SparseCategoricalCrossentropy extends LossFunctionWrapper {
  override readonly className = 'SparseCategoricalCrossentropy';
  constructor(config: SparseCategoricalCrossentropyConfig = {}) {
    const options = { fromLogits: config.fromLogits ?? false, axis: config.axis ?? -1 };
    super(
      (t, p) => sparseCategoricalCrossentropy(t, p, { ...NONE, ...options }),
      { name: 'sparse_categorical_crossentropy', ...config },
      options,
    );
  }
}

/** {@link hinge} as a loss object. */
export class Hinge extends LossFunctionWrapper {
  override readonly className = 'Hinge';
  constructor(config: LossConfig = {}) {
    super((t, p) => hinge(t, p, NONE), { name: 'hinge', ...config });
  }
}

/** {@link squaredHinge} as a loss object. */
export class SquaredHinge extends LossFunctionWrapper {
  override readonly className = 'SquaredHinge';
  constructor(config: LossConfig = {}) {
    super((t, p) => squaredHinge(t, p, NONE), { name: 'squared_hinge', ...config });
  }
}

/** {@link categoricalHinge} as a loss object. */
export class CategoricalHinge extends LossFunctionWrapper {
  override readonly className = 'CategoricalHinge';
  constructor(config: LossConfig = {}) {
    super((t, p) => categoricalHinge(t, p, NONE), { name: 'categorical_hinge', ...config });
  }
}

/** {@link kullbackLeiblerDivergence} as a loss object. */
export class KLDivergence extends LossFunctionWrapper {
  override readonly className = 'KLDivergence';
  constructor(config: LossConfig = {}) {
    super((t, p) => kullbackLeiblerDivergence(t, p, NONE), { name: 'kl_divergence', ...config });
  }
}

/** {@link poisson} as a loss object. */
export class Poisson extends LossFunctionWrapper {
  override readonly className = 'Poisson';
  constructor(config: LossConfig = {}) {
    super((t, p) => poisson(t, p, NONE), { name: 'poisson', ...config });
  }
}
