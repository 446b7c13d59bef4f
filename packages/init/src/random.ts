import type { DType, Tensor } from '@backprop/core-tensor';
import {
  ArgumentError,
  randomNormal as tensorRandomNormal,
  randomUniform as tensorRandomUniform,
  truncatedNormal as tensorTruncatedNormal,
} from '@backprop/core-tensor';
import type { Initializer } from './initializer';
import { checkNumber, checkSeed, checkShape } from './initializer';

/**
 * Keras 3 semantics for seeds: a seeded initializer draws from a fresh generator on every call, so calling it twice
 * gives the same values (make one initializer per weight, or leave the seed out). Without a seed the values come
 * from core-tensor's global generator, which `setSeed` makes reproducible.
 */
function seedOption(seed: number | null): { seed?: number } {
  return seed === null ? {} : { seed };
}

/** Options of {@link RandomUniform}. */
export interface RandomUniformOptions {
  /** Lower bound, inclusive (default −0.05). */
  minval?: number;
  /** Upper bound, exclusive (default 0.05). */
  maxval?: number;
  /** Same seed, same values; `null`/absent draws from the global generator. */
  seed?: number | null;
}

/** Uniform values in [minval, maxval). Keras defaults: ±0.05. */
export class RandomUniform implements Initializer {
  readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  readonly seed: number | null;
  constructor(options: RandomUniformOptions = {}) {
    this.minval = checkNumber(this.className, 'minval', options.minval ?? -0.05);
    this.maxval = checkNumber(this.className, 'maxval', options.maxval ?? 0.05);
    if (!(this.minval < this.maxval)) {
      throw new ArgumentError(
        `${this.className}: minval (${this.minval}) must be less than maxval (${this.maxval})`,
      );
    }
    this.seed = checkSeed(this.className, options.seed);
  }
  /** A tensor of uniform samples. */
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape(this.className, shape);
    return tensorRandomUniform(shape, {
      minval: this.minval,
      maxval: this.maxval,
      dtype,
      ...seedOption(this.seed),
    });
  }
  /** `{ minval, maxval, seed }`. */
  getConfig(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed };
  }
}

/** Options of {@link RandomNormal} and {@link TruncatedNormal}. */
export interface RandomNormalOptions {
  /** Mean (default 0). */
  mean?: number;
  /** Standard deviation of the normal distribution before any truncation (default 0.05, as in Keras). */
  stddev?: number;
  /** Same seed, same values; `null`/absent draws from the global generator. */
  seed?: number | null;
}

function normalParams(className: string, options: RandomNormalOptions): [number, number, number | null] {
  const mean = checkNumber(className, 'mean', options.mean ?? 0);
  const stddev = checkNumber(className, 'stddev', options.stddev ?? 0.05);
  if (stddev < 0) throw new ArgumentError(`${className}: stddev must be ≥ 0, got ${stddev}`);
  return [mean, stddev, checkSeed(className, options.seed)];
}

/** Normal values N(mean, stddev²). Keras defaults: mean 0, stddev 0.05. */
export class RandomNormal implements Initializer {
  readonly className = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | null;
  constructor(options: RandomNormalOptions = {}) {
    [this.mean, this.stddev, this.seed] = normalParams(this.className, options);
  }
  /** A tensor of normal samples. */
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape(this.className, shape);
    return tensorRandomNormal(shape, {
      mean: this.mean,
      stddev: this.stddev,
      dtype,
      ...seedOption(this.seed),
    });
  }
  /** `{ mean, stddev, seed }`. */
  getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

/**
 * Normal values redrawn until they lie within two standard deviations of the mean (TensorFlow/Keras semantics).
 * Cutting the tails avoids the rare huge weight; the spread that remains is ≈ 0.8796·stddev.
 */
export class TruncatedNormal implements Initializer {
  readonly className = 'TruncatedNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | null;
  constructor(options: RandomNormalOptions = {}) {
    [this.mean, this.stddev, this.seed] = normalParams(this.className, options);
  }
  /** A tensor of truncated-normal samples. */
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape(this.className, shape);
    return tensorTruncatedNormal(shape, {
      mean: this.mean,
      stddev: this.stddev,
      dtype,
      ...seedOption(this.seed),
    });
  }
  /** `{ mean, stddev, seed }`. */
  getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

/**
 * A uniform initializer (see {@link RandomUniform}).
 * @example
 * randomUniform({ minval: -1, maxval: 1, seed: 7 }).call([2, 3]);
 */
export function randomUniform(options: RandomUniformOptions = {}): RandomUniform {
  return new RandomUniform(options);
}

/** A normal initializer (see {@link RandomNormal}). */
export function randomNormal(options: RandomNormalOptions = {}): RandomNormal {
  return new RandomNormal(options);
}

/** A truncated-normal initializer (see {@link TruncatedNormal}). */
export function truncatedNormal(options: RandomNormalOptions = {}): TruncatedNormal {
  return new TruncatedNormal(options);
}
