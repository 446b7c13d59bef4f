import type { Tensor } from '@backprop/core-tensor';

/** What a gradient rule can see when it runs: only what it asked to keep, plus shapes and attributes. */
export interface GradContext {
  /** Inputs the rule declared in `save.inputs` (others are `undefined`: they were not kept alive). */
  readonly inputs: readonly (Tensor | undefined)[];
  /** The op's output, when the rule declared `save.output`. */
  readonly output: Tensor | undefined;
  /** The op's attributes as the dispatcher reported them (axis, perm, strides, …, as the caller passed them). */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** The shape of every input, kept for all of them (shapes cost nothing to keep). */
  readonly inputShapes: readonly (readonly number[])[];
  /**
   * Which inputs this backward pass wants a gradient for. The others (a data batch, labels, anything not on a
   * path to a trainable leaf) are thrown away by the engine, so a rule may return `null` for them instead of
   * computing them: for the first Dense layer that skips dL/dx = dy·Wᵀ, a whole matrix product per step.
   */
  readonly needsGrad: readonly boolean[];
}

/**
 * The local chain rule of one op: given dL/dy, return dL/dx for each input (null where no gradient flows).
 * Returned gradients may have the broadcast output shape: the engine sums them back to each input's shape.
 */
export interface GradRule {
  /** Which tensors the backward pass needs; everything else is released as soon as the forward pass ends. */
  readonly save?: { readonly inputs?: readonly number[] | 'all'; readonly output?: boolean };
  /** dL/d(each input) from dy = dL/d(output). */
  readonly grad: (dy: Tensor, ctx: GradContext) => readonly (Tensor | null)[];
}

const table = new Map<string, GradRule>();

/**
 * Registers the gradient rule of an op name (used by the built-in table and by `defineOp`). From then on, an op
 * of that name is recorded as one node (its inside is not traced) and differentiated by `rule`. Registering a
 * name again replaces its rule; prefer `defineOp`, which refuses taken names.
 */
export function registerGradient(name: string, rule: GradRule): void {
  table.set(name, rule);
}

/** @internal The rule of an op name, if it has one. */
export function getGradient(name: string): GradRule | undefined {
  return table.get(name);
}

/** @internal Whether an op name has a rule (then it is recorded as one node). */
export function hasGradient(name: string): boolean {
  return table.has(name);
}
