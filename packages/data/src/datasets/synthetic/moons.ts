import type { LabeledData } from '../labeled';
import type { SyntheticOptions } from './common';
import { checkNoise, checkPositiveInt, finish, linspace, rngFor } from './common';

/** Options of `moons()`. */
export interface MoonsOptions extends SyntheticOptions {
  /** Total points; the upper moon gets ⌊n/2⌋. Default 100. */
  samples?: number;
}

/**
 * Two interleaving half circles, as scikit-learn's `make_moons`: class 0 on `(cos θ, sin θ)`, class 1 on
 * `(1 − cos θ, 0.5 − sin θ)`, θ evenly spaced in [0, π], plus Gaussian `noise` (default 0). `xs` float32
 * `[n, 2]`, `ys` int32 `[n]`.
 */
export function moons(options: MoonsOptions = {}): LabeledData {
  const n = checkPositiveInt('moons', 'samples', options.samples ?? 100, 2);
  const noise = checkNoise('moons', options.noise ?? 0);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const xs = new Float64Array(n * 2);
  const ys = new Int32Array(n);
  linspace(0, Math.PI, nOut).forEach((t, i) => {
    xs[2 * i] = Math.cos(t);
    xs[2 * i + 1] = Math.sin(t);
  });
  linspace(0, Math.PI, nIn).forEach((t, i) => {
    xs[2 * (nOut + i)] = 1 - Math.cos(t);
    xs[2 * (nOut + i) + 1] = 1 - Math.sin(t) - 0.5;
    ys[nOut + i] = 1;
  });
  return finish(xs, ys, 2, rngFor(options), noise, options.shuffle ?? true);
}
