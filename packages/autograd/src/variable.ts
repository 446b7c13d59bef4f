import type { DType, TensorLike } from '@backprop/core-tensor';
import { DTypeError, ShapeError, Tensor, isFloatDType, keep, tensor, viewAs } from '@backprop/core-tensor';
import type { LeafSink } from './tape';
import { bumpVersion, noGrad, setGradInfo } from './tape';

let unnamed = 0;
const bySink = new WeakMap<LeafSink, Variable>();

/** @internal The Variable a leaf sink belongs to. */
export function variableForSink(sink: LeafSink): Variable | undefined {
  return bySink.get(sink);
}

/** Options of {@link variable}. */
export interface VariableOptions {
  /** Shown in errors, summaries and saved files. Defaults to `variable_<n>`. */
  name?: string;
  /** Whether `backward()` computes a gradient for it (default true; only float variables can train). */
  trainable?: boolean;
  /** Converts the initial value to this dtype (default: the initial value's dtype, float32 for plain arrays). */
  dtype?: DType;
}

/**
 * A trainable leaf of the graph: the parameters a model learns. Unlike a Tensor, its value can be replaced with
 * `assign`, and `backward()` accumulates dL/d(variable) into `.grad` (summing over calls until `zeroGrad`).
 * Variables are never disposed by `scope()`.
 */
export class Variable extends Tensor {
  /** The name given in {@link VariableOptions}, or `variable_<n>`. */
  readonly name: string;
  /** Whether gradients flow into it; a non-trainable variable behaves like a constant in every backward pass. */
  readonly trainable: boolean;
  /** The accumulated gradient, or null before the first backward() (and after zeroGrad()). */
  grad: Tensor | null = null;
  /** @internal */
  readonly sink: LeafSink;

  /** Prefer {@link variable}. Shares `initial`'s elements (no copy; `assign` swaps them, never writes into them). */
  constructor(initial: Tensor, options: VariableOptions = {}) {
    super(initial.storage, initial.shape, initial.dtype);
    keep(this);
    this.name = options.name ?? `variable_${unnamed++}`;
    this.trainable = options.trainable ?? true;
    if (this.trainable && !isFloatDType(this.dtype)) {
      throw new DTypeError(
        `variable: "${this.name}" is ${this.dtype}; only float32/float64 variables can be trainable`,
      );
    }
    this.sink = { kind: 'variable', shape: this.shape, dtype: this.dtype };
    bySink.set(this.sink, this);
    if (this.trainable) setGradInfo(this, { sink: this.sink });
  }

  /**
   * Replaces the value (same shape and dtype). The gradient and the graph identity are kept. A graph recorded
   * before the assign still refers to the variable, so `backward()` through it afterwards fails clearly instead
   * of mixing old and new values: the order of a training step is forward, backward, then assign.
   */
  assign(value: TensorLike): this {
    const v = value instanceof Tensor ? value : tensor(value, undefined, this.dtype);
    if (v.shape.length !== this.shape.length || v.shape.some((d, i) => d !== this.shape[i])) {
      throw new ShapeError(
        `assign: "${this.name}" has shape [${this.shape.join(',')}], value has [${v.shape.join(',')}]`,
      );
    }
    if (v.dtype !== this.dtype)
      throw new DTypeError(`assign: "${this.name}" is ${this.dtype}, value is ${v.dtype}`);
    this.replaceStorage(v.storage);
    bumpVersion(this);
    return this;
  }

  /** Forgets the accumulated gradient. */
  zeroGrad(): void {
    if (this.grad && !this.grad.isDisposed) this.grad.dispose();
    this.grad = null;
  }

  /**
   * Adds a gradient contribution to `.grad` (the chain rule's sum over every use of this variable); `backward()`
   * calls it, and so may code that accumulates gradients by hand. `g` must have the variable's shape.
   * `.grad` always gets a tensor object of its own (sharing `g`'s elements, not copying them), so `zeroGrad()`
   * never disposes a tensor the caller or another variable still holds.
   */
  accumulateGrad(g: Tensor): void {
    if (g.rank !== this.rank || g.shape.some((d, i) => d !== this.shape[i])) {
      throw new ShapeError(
        `accumulateGrad: "${this.name}" has shape [${this.shape.join(',')}], gradient has [${g.shape.join(',')}]`,
      );
    }
    const prev = this.grad;
    const own = g.dtype === this.dtype ? g : noGrad(() => g.cast(this.dtype));
    this.grad = keep(prev ? noGrad(() => prev.add(own)) : viewAs(own, own.shape));
    if (prev && !prev.isDisposed) prev.dispose();
  }
}

/**
 * Creates a trainable leaf from a tensor or anything `tensor()` accepts: a parameter that `loss.backward()`
 * fills `.grad` for.
 * @example
 * const w = variable([[0.5], [-1]], { name: 'w' });
 * x.matmul(w).square().mean().backward();
 * w.grad; // dL/dw, accumulated until w.zeroGrad()
 */
export function variable(initial: TensorLike, options: VariableOptions = {}): Variable {
  const t = initial instanceof Tensor ? initial : tensor(initial, undefined, options.dtype);
  return new Variable(options.dtype && t.dtype !== options.dtype ? t.cast(options.dtype) : t, options);
}

/** Forgets the gradients of all the given variables (call it before each training step's `backward()`). */
export function zeroGrad(variables: Iterable<Variable>): void {
  for (const v of variables) v.zeroGrad();
}
