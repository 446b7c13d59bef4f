/** Losses between distributions or counts: Kullback–Leibler divergence and Poisson. */
import type { Tensor, TensorLike } from '@backprop/core-tensor';
import { add, clip, div, log, mean, mul, sub, sum } from '@backprop/core-tensor';
import { EPSILON } from './crossentropy';
import { reduceLoss } from './reduction';
import type { LossOptions } from './types';
import { alignTargets } from './validate';

/**
 * Σ y·log(y / p) over the last axis (a sum, as in Keras, not a mean), with y and p clipped to [ε, 1]. Zero when
 * the distributions agree; gradient −y/p, like cross-entropy, from which it differs only by the entropy of y.
 * @example kullbackLeiblerDivergence([[0.5, 0.5]], tensor([[0.5, 0.5]])) // 0
 */
export function kullbackLeiblerDivergence(
  yTrue: TensorLike,
  yPred: Tensor,
  options: LossOptions = {},
): Tensor {
  const name = 'kullbackLeiblerDivergence';
  const [t0, p0] = alignTargets(name, yTrue, yPred);
  const t = clip(t0, EPSILON, 1);
  const p = clip(p0, EPSILON, 1);
  return reduceLoss(name, sum(mul(t, log(div(t, p))), -1), options);
}

/**
 * mean(p − y·log(p + ε)) over the last axis: the negative log-likelihood of counts y under a Poisson rate p (up to
 * a constant). Gradient 1 − y/(p + ε); yPred must be non-negative (use an exp or softplus output).
 */
export function poisson(yTrue: TensorLike, yPred: Tensor, options: LossOptions = {}): Tensor {
  const [t, p] = alignTargets('poisson', yTrue, yPred);
  return reduceLoss('poisson', mean(sub(p, mul(t, log(add(p, EPSILON)))), -1), options);
}
