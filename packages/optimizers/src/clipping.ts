import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, clip, maximum, sqrt, square, sum } from '@backprop/core-tensor';

function positiveLimit(fn: string, name: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
    throw new ArgumentError(`${fn}: ${name} must be a finite number > 0, got ${String(value)}`);
  return value;
}

/**
 * Clamps every element: to [−clipValue, clipValue] with one bound (Keras' `clipvalue`), or to [min, max] with two
 * (like `tf.clipByValue`). Each element is clipped on its own, so the gradient's direction can change.
 * @example
 * clipByValue(tensor([-3, 0.5, 2]), 1); // [-1, 0.5, 1]
 */
export function clipByValue(grad: Tensor, clipValue: number): Tensor;
export function clipByValue(grad: Tensor, min: number, max: number): Tensor;
export function clipByValue(grad: Tensor, a: number, b?: number): Tensor {
  if (b === undefined) {
    const v = positiveLimit('clipByValue', 'clipValue', a);
    return clip(grad, -v, v);
  }
  if (!(a <= b)) throw new ArgumentError(`clipByValue: min (${a}) must be ≤ max (${b})`);
  return clip(grad, a, b);
}

/**
 * Rescales one tensor so its L2 norm is at most `clipNorm`: `g · clipNorm / max(‖g‖, clipNorm)` (Keras'
 * `clipnorm`). Direction is kept within the tensor; clipped separately, several tensors change their relative
 * sizes, so the overall update direction changes (use {@link clipByGlobalNorm} to avoid that).
 */
export function clipByNorm(grad: Tensor, clipNorm: number): Tensor {
  const c = positiveLimit('clipByNorm', 'clipNorm', clipNorm);
  const norm = sqrt(sum(square(grad)));
  return grad.mul(c).div(maximum(norm, c));
}

/** The L2 norm of all the tensors taken as one long vector: √(Σ‖gᵢ‖²), in float64. */
export function globalNorm(grads: readonly Tensor[]): number {
  let total = 0;
  for (const g of grads) {
    const s = sum(square(g));
    total += s.item();
    s.dispose();
  }
  return Math.sqrt(total);
}

/**
 * Rescales all gradients by one factor so that their global norm ({@link globalNorm}) is at most `clipNorm`:
 * `gᵢ · min(1, clipNorm / globalNorm)`, Keras' `global_clipnorm` and the same idea as
 * `torch.nn.utils.clip_grad_norm_`. Because every tensor gets the same factor, the direction of the whole update
 * is unchanged; only its length is capped. A non-finite global norm makes every gradient NaN (as in Keras), so
 * `TerminateOnNaN`-style checks see the problem instead of a silently skipped step.
 * @returns the clipped gradients (new tensors) and the global norm before clipping.
 */
export function clipByGlobalNorm(
  grads: readonly Tensor[],
  clipNorm: number,
): { grads: Tensor[]; globalNorm: number } {
  const c = positiveLimit('clipByGlobalNorm', 'clipNorm', clipNorm);
  const norm = globalNorm(grads);
  // Keras' form: for a finite norm this is min(1, c / norm); (norm − norm) turns ±Inf and NaN into NaN.
  const scale = c * Math.min(1 / norm, 1 / c) + (norm - norm);
  return { grads: grads.map((g) => g.mul(scale)), globalNorm: norm };
}
