import { ArgumentError } from '@backprop/core-tensor';
import { toTensor } from '../../arrays';
import type { LabeledData } from '../labeled';
import type { SyntheticOptions } from './common';
import { checkNoise, checkPositiveInt, rngFor } from './common';

/** Options of `regression()`. */
export interface RegressionOptions extends Omit<SyntheticOptions, 'shuffle'> {
  /** Number of samples. Default 100. */
  samples?: number;
  /** Number of input features (ignored when `weights` is given). Default 1. */
  features?: number;
  /** True weights, one per feature. Default: drawn uniformly from [−2, 2] with the seed. */
  weights?: number[];
  /** True bias. Default 0. */
  bias?: number;
  /** Standard deviation of the Gaussian noise on the targets. Default 0.1. */
  noise?: number;
}

/**
 * A noisy linear regression problem: `xs ~ N(0, I)` float32 `[n, features]` and targets
 * `ys = xs · weights + bias + noise·N(0, 1)`, float32 `[n, 1]` (the shape a `Dense({units: 1})` model predicts).
 * @example const { xs, ys } = regression({ samples: 1000, weights: [2, -3.4], bias: 4.2, noise: 0.01, seed: 0 });
 */
export function regression(options: RegressionOptions = {}): LabeledData {
  const n = checkPositiveInt('regression', 'samples', options.samples ?? 100);
  const noise = checkNoise('regression', options.noise ?? 0.1);
  const rng = rngFor(options);
  const weights =
    options.weights ??
    Array.from({ length: checkPositiveInt('regression', 'features', options.features ?? 1) }, () =>
      rng.uniform(-2, 2),
    );
  if (weights.length === 0 || weights.some((w) => !Number.isFinite(w))) {
    throw new ArgumentError('regression: weights must be a non-empty list of finite numbers');
  }
  const bias = options.bias ?? 0;
  const d = weights.length;
  const xs = new Float32Array(n * d);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let y = bias;
    for (let j = 0; j < d; j++) {
      const x = Math.fround(rng.normal()); // the float32 value stored, so ys is exact for the xs returned
      xs[i * d + j] = x;
      y += x * weights[j]!;
    }
    ys[i] = y + (noise > 0 ? rng.normal(0, noise) : 0);
  }
  return { xs: toTensor(xs, [n, d], 'float32'), ys: toTensor(ys, [n, 1], 'float32') };
}
