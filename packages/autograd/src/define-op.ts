import type { Tensor, TensorLike } from '@backprop/core-tensor';
import {
  ArgumentError,
  ShapeError,
  Tensor as TensorClass,
  broadcastShapes,
  op,
  tensor,
} from '@backprop/core-tensor';
import * as core from '@backprop/core-tensor';
import type { GradContext } from './rules';
import { hasGradient, registerGradient } from './rules';

/** What {@link defineOp} needs: a name, the forward computation and its chain rule. */
export interface OpDefinition<A extends Record<string, unknown>> {
  /** A unique op name (it keys the gradient table; built-in names are taken). */
  name: string;
  /** The forward computation, from any tensor ops. Its inside is not recorded: `backward` replaces it. */
  forward: (inputs: Tensor[], attrs: A) => Tensor;
  /**
   * dL/d(inputs) from dL/d(output). Receives what `save` kept of the inputs and output, and the attributes.
   * Return null for an input that gets no gradient. Written with tensor ops, it is itself differentiable.
   * A gradient may have the output's (broadcast) shape: the engine sums it back to its input's shape.
   */
  backward: (
    dy: Tensor,
    saved: {
      /** The op's inputs, in order; an input that `save.inputs` does not keep is `undefined`. */
      inputs: (Tensor | undefined)[];
      /** The op's output; `undefined` when `save.output` is false. */
      output: Tensor | undefined;
      /** The attributes the op was called with. */
      attrs: A;
    },
  ) => (Tensor | null)[];
  /**
   * What `backward` needs kept alive until the backward pass; the rest can be freed once the forward pass ends.
   * Default: every input and the output, `{ inputs: 'all', output: true }`. Declare less to save memory: a
   * straight-through estimator needs nothing, `{ inputs: 'none', output: false }`; an op whose derivative is
   * written in terms of its result (like exp) needs only `{ inputs: 'none', output: true }`.
   */
  save?: {
    /** The inputs to keep: `'all'` (default), `'none'`, or their indices. */
    inputs?: 'all' | 'none' | readonly number[];
    /** Whether to keep the output (default `true`). */
    output?: boolean;
  };
}

/**
 * Whether core-tensor exports a function of this name. Its ops are dispatched under their function names, and
 * the composite ones (mean, tile, silu, …) have no entry in the gradient table: they are traced. Registering a
 * rule under such a name would silently replace the traced gradient of the built-in op, so all are taken.
 */
function isCoreTensorFunction(name: string): boolean {
  return (
    Object.prototype.hasOwnProperty.call(core, name) &&
    typeof (core as Record<string, unknown>)[name] === 'function'
  );
}

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
 *   save: { inputs: 'none', output: false }, // the backward needs neither: nothing is kept alive
 * });
 * grad((x) => roundSTE(x).sum())(tensor([0.2, 1.7])); // [1, 1] where round alone gives [0, 0]
 */
export function defineOp<A extends Record<string, unknown> = Record<string, never>>(
  def: OpDefinition<A>,
): (inputs: TensorLike | TensorLike[], attrs?: A) => Tensor {
  if (hasGradient(def.name) || isCoreTensorFunction(def.name))
    throw new ArgumentError(`defineOp: the op name "${def.name}" is taken (built-in or already defined)`);
  const save = checkSave(def.name, def.save);
  registerGradient(def.name, {
    save,
    grad: (dy: Tensor, c: GradContext) => {
      const result = def.backward(dy, {
        inputs: [...c.inputs],
        output: c.output,
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
    if (save.inputs !== 'all') {
      const beyond = save.inputs.find((i) => i >= ts.length);
      if (beyond !== undefined)
        throw new ArgumentError(
          `${def.name}: save.inputs keeps input ${beyond}, but the op was called with ${ts.length} input(s)`,
        );
    }
    return op(def.name, ts, attrs, () => {
      const out = def.forward(ts, attrs);
      if (!(out instanceof TensorClass))
        throw new ArgumentError(`${def.name}: forward must return a Tensor, got ${typeof out}`);
      return out;
    });
  };
}

function checkSave(
  name: string,
  spec: OpDefinition<Record<string, unknown>>['save'],
): { inputs: readonly number[] | 'all'; output: boolean } {
  if (spec === undefined) return { inputs: 'all', output: true };
  if (typeof spec !== 'object' || spec === null)
    throw new ArgumentError(
      `defineOp: save of "${name}" must be an object { inputs, output }, got ${String(spec)}`,
    );
  const { inputs = 'all', output = true } = spec;
  if (typeof output !== 'boolean')
    throw new ArgumentError(`defineOp: save.output of "${name}" must be a boolean, got ${String(output)}`);
  if (inputs === 'all') return { inputs, output };
  if (inputs === 'none') return { inputs: [], output };
  if (!Array.isArray(inputs) || !inputs.every((i) => Number.isInteger(i) && (i as number) >= 0))
    throw new ArgumentError(
      `defineOp: save.inputs of "${name}" must be 'all', 'none' or an array of input indices (integers ≥ 0), ` +
        `got ${JSON.stringify(inputs)}`,
    );
  return { inputs: [...(inputs as readonly number[])], output };
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
