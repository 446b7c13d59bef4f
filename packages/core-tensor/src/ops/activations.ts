import { op } from '../dispatch';
import { ArgumentError } from '../errors';
import type { Tensor } from '../tensor';
import type { TensorLike } from './create';
import { add, equal, erf, expm1, greater, maximum, minimum, mul, sigmoid, tanh, where } from './elementwise';
import { assertFloat, assertNumberArg, toTensor } from './util';

// Activations are composed from primitives; autograd either traces through them or, where the composed
// gradient would be poor (relu's kink, elu's branch), uses a rule from its table.

/**
 * `y` with 0 where x is −Inf: x·Φ(x) and x·σ(x) tend to 0 there, but computed as written they are −Inf·0 = NaN.
 */
function atMinusInf(x: Tensor, y: Tensor): Tensor {
  return where(equal(x, -Infinity), 0, y);
}

/** max(x, 0) */
export function relu(x: TensorLike): Tensor {
  const t = toTensor(x);
  return op('relu', [t], {}, () => maximum(t, 0));
}

/** min(max(x, 0), 6) */
export function relu6(x: TensorLike): Tensor {
  const t = toTensor(x);
  return op('relu6', [t], {}, () => minimum(maximum(t, 0), 6));
}

/** x for x > 0, alpha·x otherwise (TF/Keras default alpha 0.2). */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  const t = toTensor(x);
  assertNumberArg('leakyRelu', 'alpha', alpha);
  return op('leakyRelu', [t], { alpha }, () => where(greater(t, 0), t, mul(t, alpha)));
}

/** x for x > 0, alpha·(eˣ − 1) otherwise. */
export function elu(x: TensorLike, alpha = 1): Tensor {
  const t = toTensor(x);
  assertNumberArg('elu', 'alpha', alpha);
  // expm1 of min(x, 0) so the unused branch never overflows (its gradient would be 0·Inf = NaN).
  return op('elu', [t], { alpha }, () => where(greater(t, 0), t, mul(expm1(minimum(t, 0)), alpha)));
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** scale·elu(x, alpha) with the self-normalizing constants of Klambauer et al. (2017). */
export function selu(x: TensorLike): Tensor {
  const t = toTensor(x);
  return op('selu', [t], {}, () => mul(elu(t, SELU_ALPHA), SELU_SCALE));
}

/**
 * Gaussian error linear unit x·Φ(x). `approximate: true` uses the tanh form
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (Keras' default is the exact erf form).
 */
export function gelu(x: TensorLike, approximate = false): Tensor {
  const t = toTensor(x);
  assertFloat('gelu', t);
  if (typeof approximate !== 'boolean')
    throw new ArgumentError(`gelu: approximate must be true or false, got ${String(approximate)}`);
  return op('gelu', [t], { approximate }, () => {
    if (approximate) {
      const inner = mul(add(t, mul(mul(mul(t, t), t), 0.044715)), Math.sqrt(2 / Math.PI));
      return atMinusInf(t, mul(mul(t, 0.5), add(tanh(inner), 1)));
    }
    return atMinusInf(t, mul(mul(t, 0.5), add(erf(mul(t, Math.SQRT1_2)), 1)));
  });
}

/** x·σ(βx); with β = 1 this is SiLU. */
export function swish(x: TensorLike, beta = 1): Tensor {
  const t = toTensor(x);
  assertNumberArg('swish', 'beta', beta);
  return op('swish', [t], { beta }, () =>
    beta > 0 ? atMinusInf(t, mul(t, sigmoid(beta === 1 ? t : mul(t, beta)))) : mul(t, sigmoid(mul(t, beta))),
  );
}

/** x·σ(x) (the same as swish with β = 1). */
export function silu(x: TensorLike): Tensor {
  const t = toTensor(x);
  return op('silu', [t], {}, () => atMinusInf(t, mul(t, sigmoid(t))));
}

/** Limits x to [min, max]. */
export function clip(x: TensorLike, min: number, max: number): Tensor {
  const t = toTensor(x);
  assertNumberArg('clip', 'min', min, true);
  assertNumberArg('clip', 'max', max, true);
  if (!(min <= max)) throw new ArgumentError(`clip: min (${min}) must be ≤ max (${max})`);
  return op('clip', [t], { min, max }, () => minimum(maximum(t, min), max));
}
