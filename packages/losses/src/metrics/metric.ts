/**
 * Stateful metrics: each keeps a running weighted total and count across batches, so `result()` is the average
 * over every sample seen since `reset()` — batches of different sizes weigh by their size, as Keras averages
 * per epoch. Updates read one number per batch back from the backend and never record gradients.
 */
import type { Tensor, TensorLike } from '@backprop/core-tensor';
import { broadcastTo, cast, isFloatDType, mul, scope, sum, tensor } from '@backprop/core-tensor';
import { noGrad } from '@backprop/autograd';
import { alignWeights } from '../validate';

/** What every metric has besides its update: a name for logs, a result, a reset, and a config. */
export interface MetricState {
  /** The key it appears under in training logs (`'accuracy'`, `'mse'`). */
  readonly name: string;
  /** The weighted mean since the last reset (0 before any update). */
  result(): number;
  /** Forgets everything seen (called at the start of each epoch). */
  reset(): void;
  /** Constructor options as plain JSON-able data. */
  getConfig(): Record<string, unknown>;
}

/** A metric computed from targets and predictions, as `compile({ metrics })` uses it. */
export interface Metric extends MetricState {
  /** Adds a batch: one value per sample, weighted by `sampleWeight` (default 1 each). */
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void;
}

/** Options every metric class takes. */
export interface MetricConfig {
  /** The name it is logged under. */
  name?: string;
}

/**
 * The running weighted mean of a value: Σ(value·weight) / Σweight over all updates since `reset()`. The training
 * loop uses it for the loss; every other metric here accumulates through one.
 * @example const m = new Mean(); m.update(2); m.update(tensor([4, 6])); m.result() // 4
 */
export class Mean implements MetricState {
  /** For serialization. */
  readonly className: string = 'Mean';
  /** {@inheritDoc MetricState.name} */
  readonly name: string;
  #total = 0;
  #count = 0;

  constructor(config: MetricConfig = {}) {
    this.name = config.name ?? 'mean';
  }

  /**
   * Adds `values` (a number or a tensor of any shape, e.g. per-sample values), each weighted by the matching
   * `sampleWeight` (broadcast like a loss's sample weights).
   */
  update(values: TensorLike, sampleWeight?: TensorLike): void {
    const [total, count] = noGrad(() =>
      scope(() => {
        const t = tensor(values);
        const v = isFloatDType(t.dtype) ? t : cast(t, 'float32');
        if (sampleWeight === undefined) return [sum(v).item(), v.size];
        const w = alignWeights(this.name, sampleWeight, v);
        return [sum(mul(v, w)).item(), sum(broadcastTo(w, v.shape)).item()];
      }),
    );
    this.#total += total;
    this.#count += count;
  }

  /** {@inheritDoc MetricState.result} */
  result(): number {
    return this.#count === 0 ? 0 : this.#total / this.#count;
  }

  /** {@inheritDoc MetricState.reset} */
  reset(): void {
    this.#total = 0;
    this.#count = 0;
  }

  /** {@inheritDoc MetricState.getConfig} */
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/** A function from (yTrue, yPred) to one value per sample. */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * Turns a per-sample function into a {@link Metric} averaged over all samples seen (Keras' MeanMetricWrapper).
 * Every built-in metric is one of these.
 */
export class MeanMetricWrapper implements Metric {
  /** For serialization. */
  readonly className: string = 'MeanMetricWrapper';
  /** {@inheritDoc MetricState.name} */
  readonly name: string;
  readonly #fn: MetricFn;
  readonly #mean: Mean;
  readonly #options: Record<string, unknown>;

  /**
   * @param fn per-sample values
   * @param config the name
   * @param options extra options, stored in `getConfig()`
   */
  constructor(fn: MetricFn, config: MetricConfig = {}, options: Record<string, unknown> = {}) {
    this.#fn = fn;
    this.name = config.name ?? (fn.name || 'metric');
    this.#mean = new Mean({ name: this.name });
    this.#options = options;
  }

  /** {@inheritDoc Metric.update} */
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    noGrad(() => scope(() => this.#mean.update(this.#fn(yTrue, yPred), sampleWeight)));
  }

  /** {@inheritDoc MetricState.result} */
  result(): number {
    return this.#mean.result();
  }

  /** {@inheritDoc MetricState.reset} */
  reset(): void {
    this.#mean.reset();
  }

  /** {@inheritDoc MetricState.getConfig} */
  getConfig(): Record<string, unknown> {
    return { name: this.name, ...this.#options };
  }
}
