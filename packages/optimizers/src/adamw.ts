import { ArgumentError } from '@backprop/core-tensor';
import type { AdamOptions } from './adam';
import { Adam } from './adam';

/** Options of {@link AdamW}. */
export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay (default 0.004, Keras'; PyTorch's default is 0.01). Must be set. */
  weightDecay?: number;
}

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter, 2019): before each Adam step, `w ← w − lr·wd·w`.
 *
 * Adding `wd·w` to the gradient (L2 regularization) would pass the decay through Adam's per-parameter scaling,
 * shrinking weights with large gradient history less; decoupling shrinks every weight at the same relative rate.
 * Keras 3's formula multiplies by the scheduled learning rate, as PyTorch's does.
 */
export class AdamW extends Adam {
  override readonly className: string = 'AdamW';
  constructor(options: AdamWOptions = {}) {
    if (options.weightDecay === null)
      throw new ArgumentError('AdamW: weightDecay must be a number; for no decay use Adam');
    super({ ...options, weightDecay: options.weightDecay ?? 0.004 });
  }
}
