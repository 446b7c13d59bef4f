import type { Backend, TensorInfo } from './backend';
import { getBackend } from './backend';
import type { DType, TypedArray } from './dtype';
import type { Registration, Storage } from './engine';
import { releaseOwner, retain, swapStorage } from './engine';
import { StateError } from './errors';
import { formatTensor } from './format';
import type { TensorLike } from './ops/create';
import * as act from './ops/activations';
import * as conv from './ops/conv';
import * as ew from './ops/elementwise';
import * as la from './ops/linalg';
import * as mv from './ops/movement';
import * as red from './ops/reduce';
import * as sm from './ops/softmax';
import type { Shape } from './shape';
import { sizeOf } from './shape';

/** Nested arrays as `arraySync()` returns them. */
export type NestedArray = number | boolean | NestedArray[];

/** Options of `backward()`; implemented by @backprop/autograd. */
export interface BackwardOptions {
  /** Keep the recorded graph so `backward()` can run through it again. */
  retainGraph?: boolean;
}

type BackwardHook = (loss: Tensor, grad: Tensor | undefined, options: BackwardOptions) => void;
let backwardHook: BackwardHook | undefined;

/** @internal Installed by @backprop/autograd; core-tensor holds no gradient code. */
export function setBackwardHook(hook: BackwardHook): void {
  backwardHook = hook;
}

let nextId = 0;

/**
 * An immutable N-dimensional array. Ops never change a tensor; they return new ones. Elements live in the
 * storage of the backend that created them. Every op is available both as a function (`add(a, b)`) and as a
 * method (`a.add(b)`).
 */
export class Tensor {
  /** Unique, increasing id (useful for debugging and graph drawings). */
  readonly id: number;
  /** Dimensions, outermost first (frozen). */
  readonly shape: Shape;
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  #storage: Storage;
  #disposed = false;
  #registration: Registration | undefined = undefined;

  /** @internal Use the factories (`tensor`, `zeros`, …) instead. */
  constructor(storage: Storage, shape: Shape, dtype: DType) {
    this.id = nextId++;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.#storage = storage;
    retain(this, storage);
  }

  /** @internal The garbage collector's hold on this tensor (engine.ts); an accessor, so it stays out of `{...t}`. */
  get registration(): Registration | undefined {
    return this.#registration;
  }
  set registration(r: Registration | undefined) {
    this.#registration = r;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True after `dispose()` (or the end of the `scope` that created it); using it then throws a StateError. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** The backend holding this tensor's elements. */
  get backend(): Backend {
    return this.storage.backend;
  }

  /** @internal */
  get storage(): Storage {
    if (this.#disposed) {
      throw new StateError(
        `tensor #${this.id} (shape [${this.shape.join(',')}]) was disposed and cannot be used`,
      );
    }
    return this.#storage;
  }

  /** @internal The operand description handed to backend primitives, moved to `backend` when needed. */
  info(backend: Backend = getBackend()): TensorInfo {
    const s = this.storage;
    if (s.backend === backend) return { data: s.data, shape: this.shape, dtype: this.dtype };
    const copy = s.backend.readSync(s.data).slice();
    return { data: backend.fromArray(copy, this.dtype), shape: this.shape, dtype: this.dtype };
  }

  /** @internal Swaps the storage (same shape and dtype); used by autograd's `Variable.assign`. */
  protected replaceStorage(storage: Storage): void {
    const old = this.storage;
    swapStorage(this, old, storage);
    this.#storage = storage;
  }

  /** A copy of the elements in row-major order (bool as 0/1 bytes). */
  dataSync(): TypedArray {
    const s = this.storage;
    return s.backend.readSync(s.data).slice();
  }

  /** The elements, read asynchronously (works on every backend, including those that compute off-thread). */
  async data(): Promise<TypedArray> {
    const s = this.storage;
    return (await s.backend.read(s.data)).slice();
  }

  /** The elements as nested arrays (a number for a scalar; booleans for bool tensors). */
  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape, this.dtype);
  }

  /** The elements as nested arrays, read asynchronously. */
  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape, this.dtype);
  }

  /** The single element of a size-1 tensor as a number. */
  item(): number {
    if (this.size !== 1) {
      throw new StateError(
        `item: tensor has ${this.size} elements (shape [${this.shape.join(',')}]); expected 1`,
      );
    }
    return this.dataSync()[0]!;
  }

  /** NumPy-like text (`Tensor([[1., 2.]], dtype=float32)`); tensors over 1000 elements are elided with `...`. */
  toString(): string {
    return formatTensor(this.dataSync(), this.shape, this.dtype);
  }

  /** Releases the storage now instead of waiting for the GC. Using the tensor afterwards is an error. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    releaseOwner(this, this.#storage);
  }

  /**
   * Backpropagates from this tensor (the loss) and accumulates `.grad` on every Variable it depends on.
   * A non-scalar tensor needs the upstream gradient `grad`. Provided by @backprop/autograd.
   */
  backward(grad?: Tensor, options: BackwardOptions = {}): void {
    if (!backwardHook) {
      throw new StateError(
        'backward: gradients are computed by @backprop/autograd; import it before calling backward()',
      );
    }
    backwardHook(this, grad, options);
  }

  // Chainable forms of the op functions; each documents nothing new, see the function of the same name.
  /** See {@link ew.neg}. */
  neg(): Tensor {
    return ew.neg(this);
  }
  /** See {@link ew.abs}. */
  abs(): Tensor {
    return ew.abs(this);
  }
  /** See {@link ew.sign}. */
  sign(): Tensor {
    return ew.sign(this);
  }
  /** See {@link ew.exp}. */
  exp(): Tensor {
    return ew.exp(this);
  }
  /** See {@link ew.expm1}. */
  expm1(): Tensor {
    return ew.expm1(this);
  }
  /** See {@link ew.log}. */
  log(): Tensor {
    return ew.log(this);
  }
  /** See {@link ew.log1p}. */
  log1p(): Tensor {
    return ew.log1p(this);
  }
  /** See {@link ew.sqrt}. */
  sqrt(): Tensor {
    return ew.sqrt(this);
  }
  /** See {@link ew.rsqrt}. */
  rsqrt(): Tensor {
    return ew.rsqrt(this);
  }
  /** See {@link ew.reciprocal}. */
  reciprocal(): Tensor {
    return ew.reciprocal(this);
  }
  /** See {@link ew.square}. */
  square(): Tensor {
    return ew.square(this);
  }
  /** See {@link ew.sin}. */
  sin(): Tensor {
    return ew.sin(this);
  }
  /** See {@link ew.cos}. */
  cos(): Tensor {
    return ew.cos(this);
  }
  /** See {@link ew.tanh}. */
  tanh(): Tensor {
    return ew.tanh(this);
  }
  /** See {@link ew.sigmoid}. */
  sigmoid(): Tensor {
    return ew.sigmoid(this);
  }
  /** See {@link ew.softplus}. */
  softplus(): Tensor {
    return ew.softplus(this);
  }
  /** See {@link ew.erf}. */
  erf(): Tensor {
    return ew.erf(this);
  }
  /** See {@link ew.floor}. */
  floor(): Tensor {
    return ew.floor(this);
  }
  /** See {@link ew.ceil}. */
  ceil(): Tensor {
    return ew.ceil(this);
  }
  /** See {@link ew.round}. */
  round(): Tensor {
    return ew.round(this);
  }
  /** See {@link ew.isNaN}. */
  isNaN(): Tensor {
    return ew.isNaN(this);
  }
  /** See {@link ew.isFinite}. */
  isFinite(): Tensor {
    return ew.isFinite(this);
  }
  /** See {@link ew.logicalNot}. */
  logicalNot(): Tensor {
    return ew.logicalNot(this);
  }
  /** See {@link ew.add}. */
  add(other: TensorLike): Tensor {
    return ew.add(this, other);
  }
  /** See {@link ew.sub}. */
  sub(other: TensorLike): Tensor {
    return ew.sub(this, other);
  }
  /** See {@link ew.mul}. */
  mul(other: TensorLike): Tensor {
    return ew.mul(this, other);
  }
  /** See {@link ew.div}. */
  div(other: TensorLike): Tensor {
    return ew.div(this, other);
  }
  /** See {@link ew.pow}. */
  pow(other: TensorLike): Tensor {
    return ew.pow(this, other);
  }
  /** See {@link ew.maximum}. */
  maximum(other: TensorLike): Tensor {
    return ew.maximum(this, other);
  }
  /** See {@link ew.minimum}. */
  minimum(other: TensorLike): Tensor {
    return ew.minimum(this, other);
  }
  /** See {@link ew.mod}. */
  mod(other: TensorLike): Tensor {
    return ew.mod(this, other);
  }
  /** See {@link ew.atan2}. */
  atan2(other: TensorLike): Tensor {
    return ew.atan2(this, other);
  }
  /** See {@link ew.equal}. */
  equal(other: TensorLike): Tensor {
    return ew.equal(this, other);
  }
  /** See {@link ew.notEqual}. */
  notEqual(other: TensorLike): Tensor {
    return ew.notEqual(this, other);
  }
  /** See {@link ew.less}. */
  less(other: TensorLike): Tensor {
    return ew.less(this, other);
  }
  /** See {@link ew.lessEqual}. */
  lessEqual(other: TensorLike): Tensor {
    return ew.lessEqual(this, other);
  }
  /** See {@link ew.greater}. */
  greater(other: TensorLike): Tensor {
    return ew.greater(this, other);
  }
  /** See {@link ew.greaterEqual}. */
  greaterEqual(other: TensorLike): Tensor {
    return ew.greaterEqual(this, other);
  }
  /** See {@link ew.logicalAnd}. */
  logicalAnd(other: TensorLike): Tensor {
    return ew.logicalAnd(this, other);
  }
  /** See {@link ew.logicalOr}. */
  logicalOr(other: TensorLike): Tensor {
    return ew.logicalOr(this, other);
  }
  /** See {@link ew.cast}. */
  cast(dtype: DType): Tensor {
    return ew.cast(this, dtype);
  }
  /** See {@link ew.where}. */
  where(cond: TensorLike, other: TensorLike): Tensor {
    return ew.where(cond, this, other);
  }
  /** See {@link act.relu}. */
  relu(): Tensor {
    return act.relu(this);
  }
  /** See {@link act.relu6}. */
  relu6(): Tensor {
    return act.relu6(this);
  }
  /** See {@link act.leakyRelu}. */
  leakyRelu(alpha?: number): Tensor {
    return act.leakyRelu(this, alpha);
  }
  /** See {@link act.elu}. */
  elu(alpha?: number): Tensor {
    return act.elu(this, alpha);
  }
  /** See {@link act.selu}. */
  selu(): Tensor {
    return act.selu(this);
  }
  /** See {@link act.gelu}. */
  gelu(approximate?: boolean): Tensor {
    return act.gelu(this, approximate);
  }
  /** See {@link act.swish}. */
  swish(beta?: number): Tensor {
    return act.swish(this, beta);
  }
  /** See {@link act.silu}. */
  silu(): Tensor {
    return act.silu(this);
  }
  /** See {@link act.clip}. */
  clip(min: number, max: number): Tensor {
    return act.clip(this, min, max);
  }
  /** See {@link red.sum}. */
  sum(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.sum(this, axis, keepDims);
  }
  /** See {@link red.mean}. */
  mean(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.mean(this, axis, keepDims);
  }
  /** See {@link red.max}. */
  max(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.max(this, axis, keepDims);
  }
  /** See {@link red.min}. */
  min(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.min(this, axis, keepDims);
  }
  /** See {@link red.prod}. */
  prod(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.prod(this, axis, keepDims);
  }
  /** See {@link red.argmax}. */
  argmax(axis?: number): Tensor {
    return red.argmax(this, axis);
  }
  /** See {@link red.argmin}. */
  argmin(axis?: number): Tensor {
    return red.argmin(this, axis);
  }
  /** See {@link red.variance}. */
  variance(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.variance(this, axis, keepDims);
  }
  /** See {@link red.std}. */
  std(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.std(this, axis, keepDims);
  }
  /** See {@link red.logSumExp}. */
  logSumExp(axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.logSumExp(this, axis, keepDims);
  }
  /** See {@link red.norm}. */
  norm(ord?: red.NormOrd, axis?: red.Axis, keepDims?: boolean): Tensor {
    return red.norm(this, ord, axis, keepDims);
  }
  /** See {@link mv.reshape}. */
  reshape(shape: Shape): Tensor {
    return mv.reshape(this, shape);
  }
  /** See {@link mv.flatten}. */
  flatten(): Tensor {
    return mv.flatten(this);
  }
  /** See {@link mv.transpose}. */
  transpose(perm?: readonly number[]): Tensor {
    return mv.transpose(this, perm);
  }
  /** See {@link mv.permute}. */
  permute(perm: readonly number[]): Tensor {
    return mv.permute(this, perm);
  }
  /** See {@link mv.expandDims}. */
  expandDims(axis?: number): Tensor {
    return mv.expandDims(this, axis);
  }
  /** See {@link mv.squeeze}. */
  squeeze(axis?: number | readonly number[]): Tensor {
    return mv.squeeze(this, axis);
  }
  /** See {@link mv.broadcastTo}. */
  broadcastTo(shape: Shape): Tensor {
    return mv.broadcastTo(this, shape);
  }
  /** See {@link mv.slice}. */
  slice(
    begin: readonly (number | null)[],
    end?: readonly (number | null)[],
    step?: readonly (number | null)[],
  ): Tensor {
    return mv.slice(this, begin, end, step);
  }
  /**
   * `concat([this, ...others], axis)`: a tensor joins this one, an array is a list of tensors to join after it.
   * See {@link mv.concat}.
   */
  concat(others: Tensor | readonly TensorLike[], axis?: number): Tensor {
    return mv.concat([this, ...(others instanceof Tensor ? [others] : others)], axis);
  }
  /** `stack([this, ...others], axis)`, with `others` as in `concat`. See {@link mv.stack}. */
  stack(others: Tensor | readonly TensorLike[], axis?: number): Tensor {
    return mv.stack([this, ...(others instanceof Tensor ? [others] : others)], axis);
  }
  /** See {@link mv.split}. */
  split(sizes: number | readonly number[], axis?: number): Tensor[] {
    return mv.split(this, sizes, axis);
  }
  /** See {@link mv.pad}. */
  pad(paddings: readonly (readonly [number, number])[], value?: number): Tensor {
    return mv.pad(this, paddings, value);
  }
  /** See {@link mv.tile}. */
  tile(reps: readonly number[]): Tensor {
    return mv.tile(this, reps);
  }
  /** See {@link mv.gather}. */
  gather(indices: TensorLike, axis?: number): Tensor {
    return mv.gather(this, indices, axis);
  }
  /** See {@link mv.oneHot}. */
  oneHot(depth: number, onValue?: number, offValue?: number): Tensor {
    return mv.oneHot(this, depth, onValue, offValue);
  }
  /** See {@link la.matmul}. */
  matmul(other: TensorLike, options?: la.MatmulOptions): Tensor {
    return la.matmul(this, other, options);
  }
  /** See {@link la.dot}. */
  dot(other: TensorLike): Tensor {
    return la.dot(this, other);
  }
  /** See {@link la.outer}. */
  outer(other: TensorLike): Tensor {
    return la.outer(this, other);
  }
  /** See {@link sm.softmax}. */
  softmax(axis?: number): Tensor {
    return sm.softmax(this, axis);
  }
  /** See {@link sm.logSoftmax}. */
  logSoftmax(axis?: number): Tensor {
    return sm.logSoftmax(this, axis);
  }
  /** See {@link conv.conv2d}. */
  conv2d(filter: TensorLike, options?: conv.Conv2DOptions): Tensor {
    return conv.conv2d(this, filter, options);
  }
  /** See {@link conv.maxPool2d}. */
  maxPool2d(options?: conv.Pool2DOptions): Tensor {
    return conv.maxPool2d(this, options);
  }
  /** See {@link conv.avgPool2d}. */
  avgPool2d(options?: conv.Pool2DOptions): Tensor {
    return conv.avgPool2d(this, options);
  }
}

function toNested(values: TypedArray, shape: Shape, dtype: DType): NestedArray {
  const conv = dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
  if (shape.length === 0) return conv(values[0]!);
  let pos = 0;
  const build = (dim: number): NestedArray[] => {
    const n = shape[dim]!;
    const out: NestedArray[] = new Array<NestedArray>(n);
    for (let i = 0; i < n; i++) out[i] = dim === shape.length - 1 ? conv(values[pos++]!) : build(dim + 1);
    return out;
  };
  return build(0);
}
