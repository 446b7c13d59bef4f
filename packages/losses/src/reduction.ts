import type { Tensor, TensorLike } from '@backprop/core-tensor';
import { div, mul, sum } from '@backprop/core-tensor';
import type { LossOptions } from './types';
import { alignWeights, checkReduction } from './validate';

/**
 * Weights and reduces per-sample losses (Keras' `reduce_weighted_values`). `'mean'` divides by the number of
 * per-sample losses, not by Σweights: that is Keras' `sum_over_batch_size`, and it keeps the gradient scale of a
 * batch independent of how many samples are masked out with weight 0.
 */
export function reduceLoss(loss: string, perSample: Tensor, options: LossOptions = {}): Tensor {
  const reduction = checkReduction(loss, options.reduction);
  const weighted = weigh(loss, perSample, options.sampleWeight);
  if (reduction === 'none') return weighted;
  const total = sum(weighted);
  if (reduction === 'sum') return total;
  // An empty batch gives 0, not 0/0 (Keras' divide_no_nan).
  return div(total, Math.max(weighted.size, 1));
}

function weigh(loss: string, values: Tensor, sampleWeight: TensorLike | undefined): Tensor {
  return sampleWeight === undefined ? values : mul(values, alignWeights(loss, sampleWeight, values));
}
