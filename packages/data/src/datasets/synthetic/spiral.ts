import type { LabeledData } from '../labeled';
import type { SyntheticOptions } from './common';
import { checkNoise, checkPositiveInt, finish, rngFor } from './common';

/** Options of `spiral()`. */
export interface SpiralOptions extends SyntheticOptions {
  /** Number of arms (classes). Default 3. */
  classes?: number;
  /** Points per arm. Default 100. */
  samplesPerClass?: number;
  /** Standard deviation of the noise on each point's angle, in radians. Default 0.2. */
  noise?: number;
}

/**
 * Interleaved spiral arms, the classic "not linearly separable" set (CS231n): arm j has radii evenly spaced in
 * [0, 1] and angles `2πj/K + 4r + noise`, so each arm turns 4 radians outward. `xs` float32 `[K·n, 2]`, `ys`
 * int32 `[K·n]`.
 * @example const { xs, ys } = spiral({ classes: 3, samplesPerClass: 100, seed: 0 });
 */
export function spiral(options: SpiralOptions = {}): LabeledData {
  const k = checkPositiveInt('spiral', 'classes', options.classes ?? 3);
  const per = checkPositiveInt('spiral', 'samplesPerClass', options.samplesPerClass ?? 100);
  const noise = checkNoise('spiral', options.noise ?? 0.2);
  const rng = rngFor(options);
  const xs = new Float64Array(k * per * 2);
  const ys = new Int32Array(k * per);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < per; i++) {
      const r = per > 1 ? i / (per - 1) : 0;
      // Noise goes on the angle, not the coordinates, so arms blur along their own curve as in CS231n.
      const t = (2 * Math.PI * j) / k + 4 * r + (noise > 0 ? rng.normal(0, noise) : 0);
      const row = j * per + i;
      xs[2 * row] = r * Math.sin(t);
      xs[2 * row + 1] = r * Math.cos(t);
      ys[row] = j;
    }
  }
  return finish(xs, ys, 2, rng, 0, options.shuffle ?? true);
}
