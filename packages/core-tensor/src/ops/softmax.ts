import { op } from '../dispatch';
import { normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import type { TensorLike } from './create';
import { div, exp, sub } from './elementwise';
import { logSumExp, max, sum } from './reduce';
import { assertFloat, toTensor } from './util';

/** exp(x) / Σexp(x) along `axis`, stable for logits of any size (the maximum is subtracted first). */
export function softmax(x: TensorLike, axis = -1): Tensor {
  const t = toTensor(x);
  assertFloat('softmax', t);
  return op('softmax', [t], { axis }, () => {
    const ax = normalizeAxis('softmax', axis, t.rank);
    const e = exp(sub(t, max(t, ax, true)));
    return div(e, sum(e, ax, true));
  });
}

/** x − logΣexp(x) along `axis`: log-probabilities without underflow to −Inf for very negative logits. */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = toTensor(x);
  assertFloat('logSoftmax', t);
  return op('logSoftmax', [t], { axis }, () => {
    const ax = normalizeAxis('logSoftmax', axis, t.rank);
    return sub(t, logSumExp(t, ax, true));
  });
}
