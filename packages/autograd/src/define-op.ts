import type { Tensor, TensorLike } from '@backprop/core-tensor';
import {
  ArgumentError,
  ShapeError,
  Tensor as TensorClass,
  broadcastShapes,
  op,
  tensor,
} from '@backprop/core-tensor';
import type { GradContext } from './rules';
import { hasGradient, registerGradient } from './rules';

/** What {@link defineOp} needs: a name, the forward computation and its chain rule. */
export interface OpDefinition<A extends Record<string, unknown>> {
  /** A unique op name (it keys the gradient table; built-in names are taken). */
  name: string;
  /** The forward computation, from any tensor ops. Its inside is not recorded: `backward` replaces it. */
  forward: (inputs: Tensor[], attrs: A) => Tensor;
  /**
   * dL/d(inputs) from dL/d(output). Receives the inputs and output (kept alive for it) and the attributes.
   * Return null for an input that gets no gradient. Written with tensor ops, it is itself differentiable.
   * A gradient may have the output's (broadcast) shape: the engine sums it back to its input's shape.
   */
  backward: (dy: Tensor, saved: { inputs: Tensor[]; output: Tensor; attrs: A }) => (Tensor | null)[];
}

/**
 * Ops of @backprop/core-tensor that are composed of others and therefore have no entry in the gradient table.
 * Registering a rule under one of these names would silently replace the traced gradient of the built-in op.
 */
const BUILT_IN_COMPOSITES = new Set(['mean', 'variance', 'std', 'relu6', 'selu', 'gelu', 'swish', 'clip']);

/**
 * Defines an op with a custom gradient: the same mechanism as the built-in ops (one dispatcher, one gradient
 * table). Returns the op as a function of its inputs (one tensor, or an array of them) and optional attributes.
 * While gradients are recorded, one call is one node of the graph, whatever `forward` does inside.
 *
 * @example A straight-through estimator: round in the forward pass, identity in the backward pass.
 * const roundSTE = defineOp({
 *   name: 'roundSTE',
 *   forward: ([x]) => round(x!),
 *   backward: (dy) => [dy],
 * });
 * grad((x) => roundSTE(x).sum())(tensor([0.2, 1.7])); // [1, 1] where round alone gives [0, 0]
 */
export function defineOp<A extends Record<string, unknown> = Record<string, never>>(
  def: OpDefinition<A>,
): (inputs: TensorLike | TensorLike[], attrs?: A) => Tensor {
  if (hasGradient(def.name) || BUILT_IN_COMPOSITES.has(def.name))
    throw new ArgumentError(`defineOp: the op name "${def.name}" is taken (built-in or already defined)`);
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
      result.forEach((g, i) => checkGradient(def.name, g, i, c.inputShapes[i]!));
      return result;
    },
  });
  return (inputs, attrs = {} as A) => {
    const list = (
      Array.isArray(inputs) && inputs.every((x) => x instanceof TensorClass) ? inputs : [inputs]
    ) as TensorLike[];
    const ts = list.map((x) => (x instanceof TensorClass ? x : tensor(x)));
    return op(def.name, ts, attrs, () => {
      const out = def.forward(ts, attrs);
      if (!(out instanceof TensorClass))
        throw new ArgumentError(`${def.name}: forward must return a Tensor, got ${typeof out}`);
      return out;
    });
  };
}

// A wrong shape would otherwise surface later as an obscure reshape error deep inside the backward pass.
function checkGradient(name: string, g: Tensor | null, i: number, shape: readonly number[]): void {
  if (g === null) return;
  if (!(g instanceof TensorClass))
    throw new ArgumentError(
      `${name}: backward returned ${typeof g} for input ${i}; expected a Tensor or null`,
    );
  let ok: boolean;
  try {
    const b = broadcastShapes(name, g.shape, shape);
    ok = b.length === g.rank && b.every((d, k) => d === g.shape[k]);
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new ShapeError(
      `${name}: backward returned a gradient of shape [${g.shape.join(',')}] for input ${i} of shape ` +
        `[${shape.join(',')}]; it must have the input's shape (or one that broadcasting it produced)`,
    );
  }
}
