import { ArgumentError } from '@backprop/core-tensor';
import type { LabeledData } from '../labeled';
import type { SyntheticOptions } from './common';
import { checkNoise, checkPositiveInt, finish, linspace, rngFor } from './common';

/** Options of `circles()`. */
export interface CirclesOptions extends SyntheticOptions {
  /** Total points; the outer circle gets ⌊n/2⌋. Default 100. */
  samples?: number;
  /** Radius of the inner circle relative to the outer one (0 < factor < 1). Default 0.8. */
  factor?: number;
}

/**
 * A small circle inside a large one, as scikit-learn's `make_circles`: class 0 on the unit circle, class 1 on a
 * circle of radius `factor`, angles evenly spaced, plus Gaussian `noise` (default 0). `xs` float32 `[n, 2]`,
 * `ys` int32 `[n]`.
 */
export function circles(options: CirclesOptions = {}): LabeledData {
  const n = checkPositiveInt('circles', 'samples', options.samples ?? 100, 2);
  const noise = checkNoise('circles', options.noise ?? 0);
  const factor = options.factor ?? 0.8;
  if (!(factor > 0 && factor < 1))
    throw new ArgumentError(`circles: factor must be in (0, 1), got ${factor}`);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const xs = new Float64Array(n * 2);
  const ys = new Int32Array(n);
  linspace(0, 2 * Math.PI, nOut, false).forEach((t, i) => {
    xs[2 * i] = Math.cos(t);
    xs[2 * i + 1] = Math.sin(t);
  });
  linspace(0, 2 * Math.PI, nIn, false).forEach((t, i) => {
    xs[2 * (nOut + i)] = factor * Math.cos(t);
    xs[2 * (nOut + i) + 1] = factor * Math.sin(t);
    ys[nOut + i] = 1;
  });
  return finish(xs, ys, 2, rngFor(options), noise, options.shuffle ?? true);
}
