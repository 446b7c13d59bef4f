import type { DType } from '../dtype';
import { isFloatDType } from '../dtype';
import { ArgumentError, DTypeError } from '../errors';
import type { RandomOptions } from '../random';
import { resolveGenerator } from '../random';
import type { Shape } from '../shape';
import { assertInt, assertValidShape } from '../shape';
import type { Tensor } from '../tensor';
import { fromValues, fromWriter } from './create';

function floatDType(op: string, dtype: DType): DType {
  if (!isFloatDType(dtype)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  return dtype;
}

/** Options of `randomUniform`. */
export interface UniformOptions extends RandomOptions {
  /** Inclusive lower bound (default 0). */
  minval?: number;
  /** Exclusive upper bound (default 1). */
  maxval?: number;
  /** float32 (default) or float64. */
  dtype?: DType;
}

/**
 * Uniform samples in [minval, maxval) (default [0, 1)), float32 unless `dtype: 'float64'`.
 * @example randomUniform([2, 3], { minval: -1, maxval: 1, seed: 42 })
 */
export function randomUniform(shape: Shape, options: UniformOptions = {}): Tensor {
  assertValidShape('randomUniform', shape);
  const { minval = 0, maxval = 1 } = options;
  if (!(minval < maxval) || !Number.isFinite(maxval - minval))
    throw new ArgumentError(`randomUniform: need finite minval < maxval, got [${minval}, ${maxval})`);
  const dtype = floatDType('randomUniform', options.dtype ?? 'float32');
  // minval + range·u is exact in float64 but the store rounds: near the top of the range (or for a range of a
  // few ulps) it can round up to maxval itself, which [minval, maxval) excludes. Such draws are redrawn.
  const stored = dtype === 'float32' ? Math.fround : (v: number) => v;
  if (!(stored(minval) < maxval))
    throw new ArgumentError(`randomUniform: no ${dtype} value lies in [${minval}, ${maxval})`);
  const g = resolveGenerator(options);
  return fromWriter(shape, dtype, (out) => {
    for (let i = 0; i < out.length; i++) {
      let v: number;
      do v = minval + (maxval - minval) * g.uniform();
      while (stored(v) >= maxval);
      out[i] = v;
    }
  });
}

/** Options of `randomNormal` and `truncatedNormal`. */
export interface NormalOptions extends RandomOptions {
  /** Default 0. */
  mean?: number;
  /** Default 1; must be ≥ 0. */
  stddev?: number;
  /** float32 (default) or float64. */
  dtype?: DType;
}

/**
 * Normal samples with the given `mean` (0) and `stddev` (1), float32 unless `dtype: 'float64'`.
 * @example randomNormal([3], { seed: 7 })
 */
export function randomNormal(shape: Shape, options: NormalOptions = {}): Tensor {
  assertValidShape('randomNormal', shape);
  const { mean = 0, stddev = 1 } = options;
  if (!(stddev >= 0)) throw new ArgumentError(`randomNormal: stddev must be ≥ 0, got ${stddev}`);
  const dtype = floatDType('randomNormal', options.dtype ?? 'float32');
  const g = resolveGenerator(options);
  return fromWriter(shape, dtype, (out) => {
    for (let i = 0; i < out.length; i++) out[i] = mean + stddev * g.normal();
  });
}

/**
 * Normal samples redrawn until they fall within two standard deviations of the mean (TF/Keras semantics: the
 * resulting standard deviation is ≈ 0.88·stddev).
 */
export function truncatedNormal(shape: Shape, options: NormalOptions = {}): Tensor {
  assertValidShape('truncatedNormal', shape);
  const { mean = 0, stddev = 1 } = options;
  if (!(stddev >= 0)) throw new ArgumentError(`truncatedNormal: stddev must be ≥ 0, got ${stddev}`);
  const dtype = floatDType('truncatedNormal', options.dtype ?? 'float32');
  const g = resolveGenerator(options);
  return fromWriter(shape, dtype, (out) => {
    for (let i = 0; i < out.length; i++) {
      let z: number;
      do z = g.normal();
      while (Math.abs(z) > 2);
      out[i] = mean + stddev * z;
    }
  });
}

/** Uniform int32 samples in [low, high), without modulo bias. */
export function randomInt(shape: Shape, low: number, high: number, options: RandomOptions = {}): Tensor {
  assertValidShape('randomInt', shape);
  assertInt('randomInt', 'low', low, -2147483648);
  assertInt('randomInt', 'high', high);
  if (!(low < high)) throw new ArgumentError(`randomInt: low (${low}) must be < high (${high})`);
  if (high > 2147483648)
    throw new ArgumentError(`randomInt: high (${high}) must be ≤ 2³¹ so every sample fits in int32`);
  const g = resolveGenerator(options);
  return fromWriter(shape, 'int32', (out) => {
    for (let i = 0; i < out.length; i++) out[i] = g.int(low, high);
  });
}

/** A random permutation of 0…n−1 (Fisher–Yates), int32. */
export function permutation(n: number, options: RandomOptions = {}): Tensor {
  assertInt('permutation', 'n', n, 0);
  const g = resolveGenerator(options);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.int(0, i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return fromValues(out, [n], 'int32');
}
