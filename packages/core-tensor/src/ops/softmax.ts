import { getBackend } from '../backend';
import { mayFuse, op } from '../dispatch';
import { normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import type { TensorLike } from './create';
import { div, exp, isFinite, log, sub, where } from './elementwise';
import { zerosLike } from './create';
import { max, sum } from './reduce';
import { assertFloat, makeTensor, toTensor } from './util';

/**
 * exp(x) / Σexp(x) along `axis`, stable for logits of any size (the maximum is subtracted first, so logits 1e4
 * apart give exactly 0 and 1). A row of all −Inf is NaN, as in NumPy and PyTorch; a +Inf logit gets NaN and the
 * finite ones of its row 0. Uses the backend's fused
 * kernel for the last axis when it has one.
 */
export function softmax(x: TensorLike, axis = -1): Tensor {
  const t = toTensor(x);
  assertFloat('softmax', t);
  return op('softmax', [t], { axis }, () => {
    const ax = normalizeAxis('softmax', axis, t.rank);
    // An empty tensor has nothing to normalize (and max over an empty axis has no identity).
    if (t.size === 0) return zerosLike(t);
    const fused = getBackend().fused;
    if (fused?.softmax && ax === t.rank - 1 && mayFuse('softmax'))
      return makeTensor(fused.softmax(t.info()), t.shape);
    // An infinite max is replaced by 0, as in logSoftmax, so softmax = exp(logSoftmax) holds for ±Inf logits
    // too: a row with +Inf gives 0 for the finite entries and NaN for the infinite ones (PyTorch agrees).
    const m = max(t, ax, true);
    const e = exp(sub(t, where(isFinite(m), m, 0)));
    return div(e, sum(e, ax, true));
  });
}

/**
 * x − logΣexp(x) along `axis`: log-probabilities without underflow to −Inf for very negative logits. Uses the
 * backend's fused kernel for the last axis when it has one.
 */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = toTensor(x);
  assertFloat('logSoftmax', t);
  return op('logSoftmax', [t], { axis }, () => {
    const ax = normalizeAxis('logSoftmax', axis, t.rank);
    // An empty tensor has nothing to normalize (and max over an empty axis has no identity).
    if (t.size === 0) return zerosLike(t);
    const fused = getBackend().fused;
    if (fused?.logSoftmax && ax === t.rank - 1 && mayFuse('logSoftmax'))
      return makeTensor(fused.logSoftmax(t.info()), t.shape);
    // (x − m) − log Σ exp(x − m) rather than x − logSumExp(x): the latter rounds m + log Σ to the input's
    // precision before subtracting, which costs float32 ~1e-6 absolute on the largest logit (a log-probability
    // near 0, exactly where cross-entropy needs it). An infinite max is replaced by 0 as in logSumExp.
    const m = max(t, ax, true);
    const shifted = sub(t, where(isFinite(m), m, 0));
    return sub(shifted, log(sum(exp(shifted), ax, true)));
  });
}
