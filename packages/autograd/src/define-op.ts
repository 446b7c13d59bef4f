import type { Tensor, TensorLike } from '@backprop/core-tensor';
import { ArgumentError, op, tensor, Tensor as TensorClass } from '@backprop/core-tensor';
import type { GradContext } from './rules';
import { hasGradient, registerGradient } from './rules';

export interface OpDefinition<A extends Record<string, unknown>> {
  /** A unique op name (it keys the gradient table; built-in names are taken). */
  name: string;
  /** The forward computation, from any tensor ops. Its inside is not recorded: `backward` replaces it. */
  forward: (inputs: Tensor[], attrs: A) => Tensor;
  /**
   * dL/d(inputs) from dL/d(output). Receives the inputs and output (kept alive for it) and the attributes.
   * Return null for an input that gets no gradient. Written with tensor ops, it is itself differentiable.
   */
  backward: (dy: Tensor, saved: { inputs: Tensor[]; output: Tensor; attrs: A }) => (Tensor | null)[];
}

/**
 * Defines an op with a custom gradient: the same mechanism as the built-in ops (one dispatcher, one gradient
 * table). Returns the op as a function of its inputs (and optional attributes).
 *
 * @example A straight-through estimator: round in the forward pass, identity in the backward pass.
 * const roundSTE = defineOp({
 *   name: 'roundSTE',
 *   forward: ([x]) => round(x),
 *   backward: (dy) => [dy],
 * });
 */
export function defineOp<A extends Record<string, unknown> = Record<string, never>>(
  def: OpDefinition<A>,
): (inputs: TensorLike | TensorLike[], attrs?: A) => Tensor {
  if (hasGradient(def.name))
    throw new ArgumentError(`defineOp: an op named "${def.name}" already has a gradient rule`);
  registerGradient(def.name, {
    save: { inputs: 'all', output: true },
    grad: (dy: Tensor, c: GradContext) => {
      const result = def.backward(dy, {
        inputs: c.inputs as Tensor[],
        output: c.output!,
        attrs: c.attrs as A,
      });
      if (!Array.isArray(result) || result.length !== c.inputShapes.length) {
        throw new ArgumentError(
          `${def.name}: backward must return one gradient (or null) per input: expected ${c.inputShapes.length}, got ` +
            (Array.isArray(result) ? result.length : typeof result),
        );
      }
      return result;
    },
  });
  return (inputs, attrs = {} as A) => {
    const list = (
      Array.isArray(inputs) && inputs.every((x) => x instanceof TensorClass) ? inputs : [inputs]
    ) as TensorLike[];
    const ts = list.map((x) => (x instanceof TensorClass ? x : tensor(x)));
    return op(def.name, ts, attrs, () => def.forward(ts, attrs));
  };
}
