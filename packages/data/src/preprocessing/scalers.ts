import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, StateError } from '@backprop/core-tensor';
import type { FeatureView } from './features';
import { affine, checkFeatureShape, featureView } from './features';

interface Fitted {
  featureShape: number[];
  /** Subtracted from each feature … */
  shift: Float64Array;
  /** … then multiplied by this. */
  scale: Float64Array;
}

function fitted(op: string, state: Fitted | undefined): Fitted {
  if (!state)
    throw new StateError(`${op}: call fit() first (fit on the training data, then transform any data)`);
  return state;
}

/**
 * Scales every feature to `featureRange` (default [0, 1]) using the minimum and maximum seen by `fit` — fit on the
 * training data, then transform training and test data alike (scikit-learn's `MinMaxScaler`). Statistics are
 * per feature: over axis 0, for each position of the other axes. A constant feature maps to the range's low end.
 * @example const scaler = new MinMaxScaler().fit(train.xs); const x = scaler.transform(test.xs);
 */
export class MinMaxScaler {
  readonly featureRange: readonly [number, number];
  /** Per-feature minimum and maximum of the fitted data (row-major over the feature shape). */
  dataMin: Float64Array | undefined;
  dataMax: Float64Array | undefined;
  #state: Fitted | undefined;

  constructor(options: { featureRange?: [number, number] } = {}) {
    const [lo, hi] = options.featureRange ?? [0, 1];
    if (!(lo < hi))
      throw new ArgumentError(`MinMaxScaler: featureRange must have low < high, got [${lo}, ${hi}]`);
    this.featureRange = [lo, hi];
  }

  /** Learns each feature's minimum and maximum from `x` (`[n, …features]`). */
  fit(x: Tensor): this {
    const v = featureView('MinMaxScaler.fit', x);
    if (v.n === 0) throw new ArgumentError('MinMaxScaler.fit: needs at least one sample');
    const min = new Float64Array(v.width).fill(Infinity);
    const max = new Float64Array(v.width).fill(-Infinity);
    for (let i = 0; i < v.n; i++) {
      for (let j = 0; j < v.width; j++) {
        const a = v.values[i * v.width + j]!;
        if (a < min[j]!) min[j] = a;
        if (a > max[j]!) max[j] = a;
      }
    }
    const [lo, hi] = this.featureRange;
    // x' = lo + (x − min)·(hi − lo)/(max − min)  ==  (x − shift)·scale with shift = min − lo/scale.
    const scale = min.map((m, j) => (max[j]! > m ? (hi - lo) / (max[j]! - m) : 1));
    const shift = min.map((m, j) => m - lo / scale[j]!);
    this.dataMin = min;
    this.dataMax = max;
    this.#state = { featureShape: v.featureShape, shift, scale };
    return this;
  }

  /** Applies the fitted scaling to `x` (same feature shape as the fitted data). */
  transform(x: Tensor): Tensor {
    const s = fitted('MinMaxScaler.transform', this.#state);
    const v = featureView('MinMaxScaler.transform', x);
    checkFeatureShape('MinMaxScaler.transform', s.featureShape, v);
    return affine(v, s.shift, s.scale);
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** Undoes `transform`. */
  inverseTransform(x: Tensor): Tensor {
    return invert('MinMaxScaler.inverseTransform', fitted('MinMaxScaler.inverseTransform', this.#state), x);
  }
}

/**
 * Standardizes every feature to zero mean and unit variance using the mean and (population) standard deviation
 * seen by `fit` — fit on the training data, then transform training and test data alike (scikit-learn's
 * `StandardScaler`; Keras' `Normalization` layer after `adapt`). A constant feature is only centred.
 * @example const scaler = new StandardScaler().fit(train.xs); const x = scaler.transform(test.xs);
 */
export class StandardScaler {
  /** Per-feature mean and standard deviation of the fitted data. */
  mean: Float64Array | undefined;
  std: Float64Array | undefined;
  #state: Fitted | undefined;

  /** Learns each feature's mean and standard deviation from `x` (`[n, …features]`). */
  fit(x: Tensor): this {
    const v = featureView('StandardScaler.fit', x);
    if (v.n === 0) throw new ArgumentError('StandardScaler.fit: needs at least one sample');
    const mean = new Float64Array(v.width);
    for (let i = 0; i < v.n; i++)
      for (let j = 0; j < v.width; j++) mean[j] = mean[j]! + v.values[i * v.width + j]!;
    for (let j = 0; j < v.width; j++) mean[j] = mean[j]! / v.n;
    // Two passes (mean, then squared deviations) instead of E[x²] − E[x]², which cancels badly for large means.
    const variance = new Float64Array(v.width);
    for (let i = 0; i < v.n; i++) {
      for (let j = 0; j < v.width; j++) {
        const d = v.values[i * v.width + j]! - mean[j]!;
        variance[j] = variance[j]! + d * d;
      }
    }
    const std = variance.map((s) => Math.sqrt(s / v.n));
    this.mean = mean;
    this.std = std;
    this.#state = {
      featureShape: v.featureShape,
      shift: mean,
      scale: std.map((s) => (s > 0 ? 1 / s : 1)),
    };
    return this;
  }

  /** Applies the fitted standardization to `x` (same feature shape as the fitted data). */
  transform(x: Tensor): Tensor {
    const s = fitted('StandardScaler.transform', this.#state);
    const v = featureView('StandardScaler.transform', x);
    checkFeatureShape('StandardScaler.transform', s.featureShape, v);
    return affine(v, s.shift, s.scale);
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** Undoes `transform`. */
  inverseTransform(x: Tensor): Tensor {
    return invert(
      'StandardScaler.inverseTransform',
      fitted('StandardScaler.inverseTransform', this.#state),
      x,
    );
  }
}

function invert(op: string, s: Fitted, x: Tensor): Tensor {
  const v: FeatureView = featureView(op, x);
  checkFeatureShape(op, s.featureShape, v);
  // (x − shift)·scale = y  ⇔  x = (y − 0)·(1/scale) + shift  ⇔  x = (y − (−shift·scale))·(1/scale)
  const inv = s.scale.map((k) => 1 / k);
  const shift = s.shift.map((m, j) => -m * s.scale[j]!);
  return affine(v, shift, inv);
}

/** Min-max scales `x` by its own per-feature range (`new MinMaxScaler(options).fitTransform(x)`). */
export function minMaxNormalize(x: Tensor, featureRange: [number, number] = [0, 1]): Tensor {
  return new MinMaxScaler({ featureRange }).fitTransform(x);
}

/** Standardizes `x` by its own per-feature mean and deviation (`new StandardScaler().fitTransform(x)`). */
export function standardize(x: Tensor): Tensor {
  return new StandardScaler().fitTransform(x);
}
