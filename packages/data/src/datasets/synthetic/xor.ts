import type { LabeledData } from '../labeled';
import type { SyntheticOptions } from './common';
import { checkNoise, checkPositiveInt, finish, rngFor } from './common';

/** Options of `xor()`. */
export interface XorOptions extends SyntheticOptions {
  /** Number of points. Default 200. */
  samples?: number;
}

/**
 * The XOR problem on the plane: points uniform in [−1, 1]², class 1 where x and y have different signs (the
 * second and fourth quadrants), class 0 elsewhere — the textbook set a single linear layer cannot fit. The class
 * is decided before Gaussian `noise` (default 0) is added, so noise blurs the boundary. `xs` float32 `[n, 2]`,
 * `ys` int32 `[n]`.
 */
export function xor(options: XorOptions = {}): LabeledData {
  const n = checkPositiveInt('xor', 'samples', options.samples ?? 200);
  const noise = checkNoise('xor', options.noise ?? 0);
  const rng = rngFor(options);
  const xs = new Float64Array(n * 2);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = rng.uniform(-1, 1);
    const y = rng.uniform(-1, 1);
    xs[2 * i] = x;
    xs[2 * i + 1] = y;
    ys[i] = x > 0 !== y > 0 ? 1 : 0;
  }
  // Points are already in random order; shuffling would only cost time.
  return finish(xs, ys, 2, rng, noise, false);
}
