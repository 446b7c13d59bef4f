import type { DType, TensorLike } from '@backprop/core-tensor';
import { DTypeError, ShapeError, Tensor, isFloatDType, keep, tensor } from '@backprop/core-tensor';
import type { LeafSink } from './tape';
import { noGrad, setGradInfo } from './tape';

let unnamed = 0;
const bySink = new WeakMap<LeafSink, Variable>();

/** @internal The Variable a leaf sink belongs to. */
export function variableForSink(sink: LeafSink): Variable | undefined {
  return bySink.get(sink);
}

export interface VariableOptions {
  /** Shown in errors, summaries and saved files. Defaults to `variable_<n>`. */
  name?: string;
  /** Whether `backward()` computes a gradient for it (default true; only float variables can train). */
  trainable?: boolean;
  dtype?: DType;
}

/**
 * A trainable leaf of the graph: the parameters a model learns. Unlike a Tensor, its value can be replaced with
 * `assign`, and `backward()` accumulates dL/d(variable) into `.grad` (summing over calls until `zeroGrad`).
 * Variables are never disposed by `scope()`.
 */
export class Variable extends Tensor {
  readonly name: string;
  readonly trainable: boolean;
  /** The accumulated gradient, or null before the first backward() (and after zeroGrad()). */
  grad: Tensor | null = null;
  /** @internal */
  readonly sink: LeafSink;

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

  /** Replaces the value (same shape and dtype). The gradient and the graph identity are kept. */
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
    return this;
  }

  /** Forgets the accumulated gradient. */
  zeroGrad(): void {
    if (this.grad && !this.grad.isDisposed) this.grad.dispose();
    this.grad = null;
  }

  /** @internal Adds a gradient contribution (the chain rule's sum over every use of this variable). */
  accumulateGrad(g: Tensor): void {
    const prev = this.grad;
    this.grad = keep(prev ? noGrad(() => prev.add(g)) : g);
    if (prev && prev !== g && !prev.isDisposed) prev.dispose();
  }
}

/** Creates a trainable leaf from a tensor or anything `tensor()` accepts. */
export function variable(initial: TensorLike, options: VariableOptions = {}): Variable {
  const t = initial instanceof Tensor ? initial : tensor(initial, undefined, options.dtype);
  return new Variable(options.dtype && t.dtype !== options.dtype ? t.cast(options.dtype) : t, options);
}

/** Forgets the gradients of all the given variables. */
export function zeroGrad(variables: Iterable<Variable>): void {
  for (const v of variables) v.zeroGrad();
}
