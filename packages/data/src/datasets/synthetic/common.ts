import { ArgumentError } from '@backprop/core-tensor';
import { toTensor } from '../../arrays';
import { Rng, randomSeed } from '../../random';
import type { LabeledData } from '../labeled';

/** Options every synthetic generator takes. */
export interface SyntheticOptions {
  /** Seed of every random choice; the same seed gives the same data on every platform. Random when omitted. */
  seed?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. */
  noise?: number;
  /** Shuffle the samples (default true); otherwise they come grouped by class. */
  shuffle?: boolean;
}

export function rngFor(options: SyntheticOptions): Rng {
  return new Rng(options.seed ?? randomSeed());
}

export function checkPositiveInt(op: string, name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new ArgumentError(`${op}: ${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

export function checkNoise(op: string, noise: number): number {
  if (!(noise >= 0) || !Number.isFinite(noise)) {
    throw new ArgumentError(`${op}: noise must be a finite number ≥ 0, got ${String(noise)}`);
  }
  return noise;
}

/** `num` evenly spaced values from `start`; `stop` included unless `endpoint` is false (NumPy's linspace). */
export function linspace(start: number, stop: number, num: number, endpoint = true): Float64Array {
  const out = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  return out;
}

/**
 * Builds the tensors from row-major features and class ids, applying the noise and (when asked) one seeded
 * permutation of the rows. Noise is drawn before the shuffle, so `shuffle: false` shows the same points grouped.
 */
export function finish(
  xs: Float64Array,
  ys: Int32Array,
  width: number,
  rng: Rng,
  noise: number,
  shuffle: boolean,
): LabeledData {
  const n = ys.length;
  if (noise > 0) for (let i = 0; i < xs.length; i++) xs[i] = xs[i]! + rng.normal(0, noise);
  const outX = new Float32Array(n * width);
  const outY = new Int32Array(n);
  const order = shuffle ? rng.permutation(n) : null;
  for (let k = 0; k < n; k++) {
    const i = order ? order[k]! : k;
    for (let j = 0; j < width; j++) outX[k * width + j] = xs[i * width + j]!;
    outY[k] = ys[i]!;
  }
  return { xs: toTensor(outX, [n, width], 'float32'), ys: toTensor(outY, [n], 'int32') };
}
