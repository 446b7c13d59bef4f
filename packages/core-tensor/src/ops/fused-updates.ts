/**
 * Fused optimizer updates: one pass over a parameter, its gradient and its slots instead of five to eight
 * elementwise ops, each with its own temporary. The composed formulas below define the result (Keras 3's, in the
 * order @backprop/optimizers wrote them), and a backend kernel computes the same float operations in the same
 * order, so both paths give the same bits. An optimizer step is not a differentiable function of anything a
 * model computes, so these ops are never shown to an observer (autograd does not record them).
 */
import { getBackend } from '../backend';
import { op, unobserved } from '../dispatch';
import { ShapeError } from '../errors';
import { fmtShape, shapesEqual } from '../shape';
import type { Tensor } from '../tensor';
import { add, div, mul, sqrt, square, sub } from './elementwise';
import { assertFloat, makeTensor } from './util';

/** Options of {@link sgdUpdate}. */
export interface SgdUpdateOptions {
  /** Step size for this step. */
  learningRate: number;
  /** Fraction of the velocity kept (0: plain gradient descent; then `velocity` is ignored). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/** Options of {@link adamUpdate}. */
export interface AdamUpdateOptions {
  /** The bias-corrected step size lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) for this step. */
  alpha: number;
  /** First-moment decay β₁. */
  beta1: number;
  /** Second-moment decay β₂. */
  beta2: number;
  /** Added to √v. */
  epsilon: number;
}

function sameShape(name: string, value: Tensor, others: Record<string, Tensor | null>): void {
  assertFloat(name, value, 'value');
  for (const [what, t] of Object.entries(others)) {
    if (t && (!shapesEqual(t.shape, value.shape) || t.dtype !== value.dtype)) {
      throw new ShapeError(
        `${name}: ${what} is ${fmtShape(t.shape)} ${t.dtype} but the value is ${fmtShape(value.shape)} ` +
          `${value.dtype}; both must match`,
      );
    }
  }
}

/**
 * One SGD step, as Keras 3 writes it: without momentum `w − lr·g`; with momentum `v' = μ·v − lr·g` and
 * `w + v'` (Nesterov: `w + μ·v' − lr·g`). Returns `[value, velocity]` (velocity null without momentum).
 */
export function sgdUpdate(
  value: Tensor,
  gradient: Tensor,
  velocity: Tensor | null,
  options: SgdUpdateOptions,
): [Tensor, Tensor | null] {
  const name = 'sgdUpdate';
  const { learningRate: lr, nesterov = false } = options;
  const momentum = options.momentum ?? 0;
  const inputs = velocity ? [value, gradient, velocity] : [value, gradient];
  // The result list holds the velocity only with momentum.
  const out = unobserved(() =>
    op(name, inputs, { learningRate: lr, momentum, nesterov }, (): Tensor[] => {
      const v = momentum === 0 ? null : velocity;
      if (momentum !== 0 && !v) throw new ShapeError(`${name}: momentum ${momentum} needs a velocity tensor`);
      sameShape(name, value, { gradient, velocity: v });
      const kernel = getBackend().fused?.sgdUpdate;
      const data = kernel?.(value.info(), gradient.info(), v ? v.info() : null, lr, momentum, nesterov);
      if (data) {
        const [w, nv] = data;
        return nv ? [makeTensor(w, value.shape), makeTensor(nv, value.shape)] : [makeTensor(w, value.shape)];
      }
      if (!v) return [sub(value, mul(gradient, lr))];
      const nv = sub(mul(v, momentum), mul(gradient, lr));
      const w = nesterov ? add(value, sub(mul(nv, momentum), mul(gradient, lr))) : add(value, nv);
      return [w, nv];
    }),
  );
  return [out[0]!, out[1] ?? null];
}

/**
 * One Adam step, as Keras 3 writes it: `m' = m + (g − m)(1 − β₁)`, `v' = v + (g² − v)(1 − β₂)`,
 * `w' = w − α·m' / (√v' + ε)` with the caller's bias-corrected α. Returns `[value, m, v]`.
 */
export function adamUpdate(
  value: Tensor,
  gradient: Tensor,
  m: Tensor,
  v: Tensor,
  options: AdamUpdateOptions,
): [Tensor, Tensor, Tensor] {
  const name = 'adamUpdate';
  const { alpha, beta1, beta2, epsilon } = options;
  return unobserved(() =>
    op<[Tensor, Tensor, Tensor]>(name, [value, gradient, m, v], { alpha, beta1, beta2, epsilon }, () => {
      sameShape(name, value, { gradient, m, v });
      const kernel = getBackend().fused?.adamUpdate;
      const out = kernel?.(value.info(), gradient.info(), m.info(), v.info(), alpha, beta1, beta2, epsilon);
      if (out)
        return [
          makeTensor(out[0], value.shape),
          makeTensor(out[1], value.shape),
          makeTensor(out[2], value.shape),
        ];
      const nm = add(m, mul(sub(gradient, m), 1 - beta1));
      const nv = add(v, mul(sub(square(gradient), v), 1 - beta2));
      const w = sub(value, div(mul(nm, alpha), add(sqrt(nv), epsilon)));
      return [w, nm, nv];
    }),
  );
}
