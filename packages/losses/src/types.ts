import type { Tensor, TensorLike } from '@backprop/core-tensor';

/**
 * How per-sample losses become the value a loss returns.
 * - `'mean'`: Σ(loss·sampleWeight) / number of per-sample losses — Keras' `sum_over_batch_size`. Zero weights still
 *   count in the denominator, so a batch's loss does not jump when some samples are masked out.
 * - `'sum'`: Σ(loss·sampleWeight).
 * - `'none'`: the weighted per-sample losses, one per sample (shape of yPred without its last axis).
 */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options every loss function takes. */
export interface LossOptions {
  /** How per-sample losses are combined (default `'mean'`). */
  reduction?: Reduction;
  /**
   * Per-sample weights: shape `[batch]` (or `[batch, 1]`), a scalar, or anything that broadcasts against the
   * per-sample losses once trailing axes of size 1 are appended.
   */
  sampleWeight?: TensorLike;
}

/** Options of the losses that accept logits. */
export interface FromLogitsOptions {
  /** `true` when yPred holds raw scores (logits) rather than probabilities; the stable path (default `false`). */
  fromLogits?: boolean;
}

/**
 * A loss object, as `compile({ loss })` uses it: `call` returns the reduced loss (a scalar unless its reduction is
 * `'none'`), `getConfig` what is needed to rebuild it with `getLoss({ className, config })`.
 */
export interface Loss {
  /** The class to rebuild from (`'MeanSquaredError'`). */
  readonly className: string;
  /** Display name, Keras style (`'mean_squared_error'`). */
  readonly name: string;
  /** The loss of a batch: per-sample losses, weighted by `sampleWeight` and reduced. */
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor;
  /** Constructor options as plain JSON-able data. */
  getConfig(): Record<string, unknown>;
}
