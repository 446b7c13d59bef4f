import type { DType, Tensor } from '@backprop/core-tensor';
import {
  ArgumentError,
  randomNormal as tensorRandomNormal,
  randomUniform as tensorRandomUniform,
  truncatedNormal as tensorTruncatedNormal,
} from '@backprop/core-tensor';
import { computeFans } from './fans';
import type { Initializer } from './initializer';
import { checkNumber, checkSeed, checkShape } from './initializer';

/** Which fan the variance is divided by. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';

/** The distribution variance scaling samples from. */
export type ScalingDistribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

/** Options of {@link VarianceScaling}. */
export interface VarianceScalingOptions {
  /** Target variance times the fan (default 1; He uses 2). Must be > 0. */
  scale?: number;
  /** `'fanIn'` (default) keeps the forward signal's variance, `'fanOut'` the backward gradient's, `'fanAvg'` both. */
  mode?: FanMode;
  /** Default `'truncatedNormal'`. Keras spellings (`'fan_in'`, `'truncated_normal'`, `'normal'`) are accepted. */
  distribution?: ScalingDistribution;
  /** Same seed, same values; `null`/absent draws from the global generator. */
  seed?: number | null;
}

/**
 * Keras' truncation constant: the standard deviation of a standard normal truncated to [−2, 2]
 * (scipy.stats.truncnorm.std(a=-2, b=2)). Dividing by it makes the *truncated* samples have the intended variance.
 */
export const TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

const MODES: Record<string, FanMode> = {
  fanIn: 'fanIn',
  fan_in: 'fanIn',
  fanOut: 'fanOut',
  fan_out: 'fanOut',
  fanAvg: 'fanAvg',
  fan_avg: 'fanAvg',
};

const DISTRIBUTIONS: Record<string, ScalingDistribution> = {
  truncatedNormal: 'truncatedNormal',
  truncated_normal: 'truncatedNormal',
  normal: 'truncatedNormal', // Keras maps 'normal' to the truncated normal
  untruncatedNormal: 'untruncatedNormal',
  untruncated_normal: 'untruncatedNormal',
  uniform: 'uniform',
};

function lookup<T>(table: Record<string, T>, value: string, what: string, valid: string[]): T {
  const found = Object.prototype.hasOwnProperty.call(table, value) ? table[value] : undefined;
  if (found === undefined) {
    throw new ArgumentError(
      `VarianceScaling: unknown ${what} '${value}'; expected one of ${valid.join(', ')}`,
    );
  }
  return found;
}

/**
 * Samples with variance `scale / n`, where n is the fan-in, fan-out or their mean ({@link computeFans}).
 * - truncatedNormal: truncated normal with stddev = √(scale/n) / 0.87962566103423978,
 * - untruncatedNormal: normal with stddev = √(scale/n),
 * - uniform: uniform in ±√(3·scale/n).
 *
 * Why: a layer's output is a sum of n products, so its variance is n·Var(w)·Var(x). Choosing Var(w) = 1/n
 * (times 2 for ReLU, which zeroes half its inputs) keeps activations and gradients at the same scale through
 * every layer, instead of shrinking (vanishing) or growing (exploding) geometrically with depth.
 */
export class VarianceScaling implements Initializer {
  readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: ScalingDistribution;
  readonly seed: number | null;

  constructor(options: VarianceScalingOptions = {}) {
    this.scale = checkNumber('VarianceScaling', 'scale', options.scale ?? 1);
    if (!(this.scale > 0)) throw new ArgumentError(`VarianceScaling: scale must be > 0, got ${this.scale}`);
    this.mode = lookup(MODES, options.mode ?? 'fanIn', 'mode', ['fanIn', 'fanOut', 'fanAvg']);
    this.distribution = lookup(DISTRIBUTIONS, options.distribution ?? 'truncatedNormal', 'distribution', [
      'truncatedNormal',
      'untruncatedNormal',
      'uniform',
    ]);
    this.seed = checkSeed('VarianceScaling', options.seed);
  }

  /** A tensor whose elements have variance scale/n. */
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape(this.className, shape);
    const { fanIn, fanOut } = computeFans(shape);
    const n = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    // max(1, n) as in Keras: an empty dimension must not divide by zero.
    const variance = this.scale / Math.max(1, n);
    const seed = this.seed === null ? {} : { seed: this.seed };
    if (this.distribution === 'truncatedNormal') {
      const stddev = Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV;
      return tensorTruncatedNormal(shape, { mean: 0, stddev, dtype, ...seed });
    }
    if (this.distribution === 'untruncatedNormal') {
      return tensorRandomNormal(shape, { mean: 0, stddev: Math.sqrt(variance), dtype, ...seed });
    }
    const limit = Math.sqrt(3 * variance);
    return tensorRandomUniform(shape, { minval: -limit, maxval: limit, dtype, ...seed });
  }

  /** `{ scale, mode, distribution, seed }`. */
  getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed };
  }
}

/** Options of the named variance-scaling initializers (Glorot, He, LeCun): only the seed. */
export interface SeedOptions {
  /** Same seed, same values; `null`/absent draws from the global generator. */
  seed?: number | null;
}

/** The named variants: a fixed scale, mode and distribution, and (as in Keras) only the seed in their config. */
abstract class FixedVarianceScaling extends VarianceScaling {
  constructor(scale: number, mode: FanMode, distribution: ScalingDistribution, options: SeedOptions) {
    super({ scale, mode, distribution, seed: options.seed ?? null });
  }
  /** `{ seed }`. */
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed };
  }
}

/**
 * Glorot (Xavier) uniform: uniform in ±√(6 / (fanIn + fanOut)). Balances forward and backward variance; the
 * classic choice for tanh and sigmoid layers (Glorot & Bengio, 2010). Keras' default kernel initializer.
 */
export class GlorotUniform extends FixedVarianceScaling {
  override readonly className: string = 'GlorotUniform';
  constructor(options: SeedOptions = {}) {
    super(1, 'fanAvg', 'uniform', options);
  }
}

/** Glorot (Xavier) normal: truncated normal with variance 2 / (fanIn + fanOut). */
export class GlorotNormal extends FixedVarianceScaling {
  override readonly className: string = 'GlorotNormal';
  constructor(options: SeedOptions = {}) {
    super(1, 'fanAvg', 'truncatedNormal', options);
  }
}

/**
 * He (Kaiming) uniform: uniform in ±√(6 / fanIn). The factor 2 compensates for ReLU zeroing half of its inputs
 * (He et al., 2015).
 */
export class HeUniform extends FixedVarianceScaling {
  override readonly className: string = 'HeUniform';
  constructor(options: SeedOptions = {}) {
    super(2, 'fanIn', 'uniform', options);
  }
}

/** He (Kaiming) normal: truncated normal with variance 2 / fanIn; the usual choice before ReLU. */
export class HeNormal extends FixedVarianceScaling {
  override readonly className: string = 'HeNormal';
  constructor(options: SeedOptions = {}) {
    super(2, 'fanIn', 'truncatedNormal', options);
  }
}

/** LeCun uniform: uniform in ±√(3 / fanIn). */
export class LecunUniform extends FixedVarianceScaling {
  override readonly className: string = 'LecunUniform';
  constructor(options: SeedOptions = {}) {
    super(1, 'fanIn', 'uniform', options);
  }
}

/** LeCun normal: truncated normal with variance 1 / fanIn; the one SELU networks need to self-normalize. */
export class LecunNormal extends FixedVarianceScaling {
  override readonly className: string = 'LecunNormal';
  constructor(options: SeedOptions = {}) {
    super(1, 'fanIn', 'truncatedNormal', options);
  }
}

/**
 * A variance-scaling initializer (see {@link VarianceScaling}).
 * @example
 * varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'untruncatedNormal', seed: 1 }).call([784, 128]);
 */
export function varianceScaling(options: VarianceScalingOptions = {}): VarianceScaling {
  return new VarianceScaling(options);
}

/** Glorot (Xavier) uniform initializer (see {@link GlorotUniform}). */
export function glorotUniform(options: SeedOptions = {}): GlorotUniform {
  return new GlorotUniform(options);
}

/** Glorot (Xavier) normal initializer (see {@link GlorotNormal}). */
export function glorotNormal(options: SeedOptions = {}): GlorotNormal {
  return new GlorotNormal(options);
}

/**
 * He (Kaiming) uniform initializer (see {@link HeUniform}).
 * @example
 * heUniform({ seed: 42 }).call([3, 3, 16, 32]); // a Conv2D kernel: fanIn = 3·3·16
 */
export function heUniform(options: SeedOptions = {}): HeUniform {
  return new HeUniform(options);
}

/** He (Kaiming) normal initializer (see {@link HeNormal}). */
export function heNormal(options: SeedOptions = {}): HeNormal {
  return new HeNormal(options);
}

/** LeCun uniform initializer (see {@link LecunUniform}). */
export function lecunUniform(options: SeedOptions = {}): LecunUniform {
  return new LecunUniform(options);
}

/** LeCun normal initializer (see {@link LecunNormal}). */
export function lecunNormal(options: SeedOptions = {}): LecunNormal {
  return new LecunNormal(options);
}
