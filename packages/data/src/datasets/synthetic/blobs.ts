import { ArgumentError } from '@backprop/core-tensor';
import type { LabeledData } from '../labeled';
import type { SyntheticOptions } from './common';
import { checkPositiveInt, finish, rngFor } from './common';

/** Options of `blobs()`. */
export interface BlobsOptions extends Omit<SyntheticOptions, 'noise'> {
  /** Total points, spread evenly over the centers (the first ones get one more if it does not divide). Default 100. */
  samples?: number;
  /** Number of centers drawn uniformly in `centerBox`, or the centers themselves. Default 3. */
  centers?: number | number[][];
  /** Dimensions of each point (ignored when `centers` are given). Default 2. */
  features?: number;
  /** Standard deviation of each blob. Default 1. */
  clusterStd?: number;
  /** Range the random centers are drawn from. Default [−10, 10]. */
  centerBox?: [number, number];
}

/**
 * Isotropic Gaussian blobs, as scikit-learn's `make_blobs`: class c is `center_c + clusterStd · N(0, I)`.
 * `xs` float32 `[n, features]`, `ys` int32 `[n]`.
 * @example const { xs, ys } = blobs({ samples: 300, centers: 4, seed: 1 });
 */
export function blobs(options: BlobsOptions = {}): LabeledData {
  const n = checkPositiveInt('blobs', 'samples', options.samples ?? 100);
  const std = options.clusterStd ?? 1;
  if (!(std >= 0) || !Number.isFinite(std))
    throw new ArgumentError(`blobs: clusterStd must be ≥ 0, got ${std}`);
  const rng = rngFor(options);
  let centers: number[][];
  if (Array.isArray(options.centers)) {
    centers = options.centers;
    const d = centers[0]?.length ?? 0;
    if (centers.length === 0 || d === 0 || centers.some((c) => c.length !== d)) {
      throw new ArgumentError('blobs: centers must be a non-empty list of points of equal, non-zero length');
    }
  } else {
    const k = checkPositiveInt('blobs', 'centers', options.centers ?? 3);
    const d = checkPositiveInt('blobs', 'features', options.features ?? 2);
    const [lo, hi] = options.centerBox ?? [-10, 10];
    centers = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.uniform(lo, hi)));
  }
  const k = centers.length;
  const d = centers[0]!.length;
  const xs = new Float64Array(n * d);
  const ys = new Int32Array(n);
  let row = 0;
  for (let c = 0; c < k; c++) {
    const count = Math.floor(n / k) + (c < n % k ? 1 : 0);
    for (let i = 0; i < count; i++, row++) {
      for (let j = 0; j < d; j++) xs[row * d + j] = centers[c]![j]! + rng.normal(0, std);
      ys[row] = c;
    }
  }
  return finish(xs, ys, d, rng, 0, options.shuffle ?? true);
}
