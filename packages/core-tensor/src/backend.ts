import type { DType, TypedArray } from './dtype';
import { ArgumentError, StateError } from './errors';
import type { Shape } from './shape';

/**
 * A backend's handle to a tensor's elements. Opaque to everything but the backend that made it; the js backend
 * keeps a typed array in it, the wasm backend an offset into its memory.
 */
export interface BackendData {
  /** Element type of the stored values. */
  readonly dtype: DType;
  /** Number of elements stored. */
  readonly size: number;
}

/** What a primitive receives for each operand: the data plus the logical shape and dtype. */
export interface TensorInfo {
  /** The elements, row-major, in this backend's storage. */
  readonly data: BackendData;
  /** The logical shape. */
  readonly shape: Shape;
  /** The element type. */
  readonly dtype: DType;
}

/** Elementwise functions of one argument. Outputs keep the input dtype unless noted. */
export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log1p'
  | 'sqrt'
  | 'rsqrt'
  | 'reciprocal'
  | 'square'
  | 'sin'
  | 'cos'
  | 'tanh'
  | 'sigmoid'
  | 'softplus'
  | 'erf'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'isNaN' // → bool
  | 'isFinite' // → bool
  | 'logicalNot'; // → bool

/** Elementwise functions of two broadcast arguments with a numeric result. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'mod' | 'atan2';

/** Elementwise predicates of two broadcast arguments with a bool result. */
export type CompareOp =
  'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual' | 'logicalAnd' | 'logicalOr';

/** Reductions over a sorted list of axes; the output drops the reduced axes. argmax/argmin reduce one axis. */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'argmax' | 'argmin';

/** Padding resolved to explicit amounts: [top, bottom, left, right]. */
export interface Conv2DGeometry {
  /** Input [N, H, W, C]. */
  readonly inShape: readonly [number, number, number, number];
  /** Kernel [KH, KW, C, F] (HWIO). */
  readonly filterShape: readonly [number, number, number, number];
  /** Output [N, OH, OW, F]. */
  readonly outShape: readonly [number, number, number, number];
  /** Window step [height, width]. */
  readonly strides: readonly [number, number];
  /** Filter tap spacing [height, width]. */
  readonly dilations: readonly [number, number];
  /** Resolved padding [top, bottom, left, right]. */
  readonly pads: readonly [number, number, number, number];
}

/** A 2-D pooling with padding resolved to explicit amounts. */
export interface Pool2DGeometry {
  /** Input [N, H, W, C]. */
  readonly inShape: readonly [number, number, number, number];
  /** Output [N, OH, OW, C]. */
  readonly outShape: readonly [number, number, number, number];
  /** Window [height, width]. */
  readonly poolSize: readonly [number, number];
  /** Window step [height, width]. */
  readonly strides: readonly [number, number];
  /** Resolved padding [top, bottom, left, right]; each pad is smaller than the window. */
  readonly pads: readonly [number, number, number, number];
  /** Max pooling, or average over the real (unpadded) cells. */
  readonly kind: 'max' | 'avg';
}

/**
 * The primitive set a backend implements. Every public op is composed from these in TypeScript, so a new backend
 * writes only this list. Shapes are validated by the op before a primitive is called; primitives may assume them.
 * Primitives never mutate their inputs and always return new data.
 */
export interface Backend {
  /** Name shown in errors and `getBackendName()`. */
  readonly name: string;
  /** Dtypes this backend can compute in. */
  readonly dtypes: readonly DType[];

  // storage
  /** Takes ownership of `values` (the caller must not write to it afterwards). */
  fromArray(values: TypedArray, dtype: DType): BackendData;
  /**
   * New storage of `size` elements that `write` fills in place; `write` must not call the backend. Optional: a
   * backend with its own heap (wasm) saves the temporary array `fromArray` would need, which for a data set of
   * random samples is the data set's size again and lives until the JS GC happens to run.
   */
  fromWriter?(dtype: DType, size: number, write: (out: TypedArray) => void): BackendData;
  /** A copy or a read-only view of the elements; callers must not write to it. */
  readSync(data: BackendData): TypedArray;
  /** The elements, asynchronously (for backends that compute off the main thread). */
  read(data: BackendData): Promise<TypedArray>;
  /** Releases the storage now (for backends whose memory the GC cannot see). */
  dispose(data: BackendData): void;

  // elementwise
  /** f(x) elementwise; the output keeps x's dtype (bool for isNaN, isFinite, logicalNot). */
  unary(op: UnaryOp, x: TensorInfo): BackendData;
  /** f(a, b) with a and b broadcast to `outShape`; both operands already have dtype `outDType`. */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, outDType: DType): BackendData;
  /** A bool predicate of a and b (same dtype) broadcast to `outShape`. */
  compare(op: CompareOp, a: TensorInfo, b: TensorInfo, outShape: Shape): BackendData;
  /** Elementwise select; cond, a, b broadcast to outShape. */
  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): BackendData;
  /** `clip` and `leakyRelu` style ops are composed; `cast` rounds toward zero for float → int32. */
  cast(x: TensorInfo, dtype: DType): BackendData;

  // reductions
  /** Reduces the sorted `axes` away (sum of bool gives int32; argmax/argmin give int32 and take one axis). */
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): BackendData;

  // movement (reshape needs no primitive: data is row-major and shared)
  /** Output axis i is input axis perm[i]. */
  transpose(x: TensorInfo, perm: readonly number[]): BackendData;
  /** Materializes NumPy broadcasting of x to `shape`. */
  broadcastTo(x: TensorInfo, shape: Shape): BackendData;
  /** Strided slice: for each axis, elements begin[i], begin[i]+step[i], … (size[i] of them). */
  slice(
    x: TensorInfo,
    begin: readonly number[],
    size: readonly number[],
    step: readonly number[],
  ): BackendData;
  /** Adds paddings[i] = [before, after] cells of `value` on each axis. */
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): BackendData;
  /** Joins same-dtype tensors along `axis` (all other dims equal). */
  concat(xs: readonly TensorInfo[], axis: number): BackendData;
  /** Takes slices of `x` along `axis` at the int32 `indices` (already range-checked). */
  gather(x: TensorInfo, indices: TensorInfo, axis: number): BackendData;
  /**
   * The adjoint of gather: a zero tensor of `shape` with the rows of `updates` added at `indices` along `axis`
   * (repeated indices accumulate).
   */
  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, shape: Shape): BackendData;

  // linear algebra and convolution
  /** Batched matmul; batch dims of a and b already broadcast to `batchShape`. */
  matmul(
    a: TensorInfo,
    b: TensorInfo,
    transposeA: boolean,
    transposeB: boolean,
    outShape: Shape,
  ): BackendData;
  /** NHWC input, HWIO filter, same dtype, cross-correlation with the geometry's strides, dilations and pads. */
  conv2d(x: TensorInfo, filter: TensorInfo, geo: Conv2DGeometry): BackendData;
  /** dL/dx given dL/dy. */
  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, geo: Conv2DGeometry): BackendData;
  /** dL/dfilter given x and dL/dy. */
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, geo: Conv2DGeometry): BackendData;
  /**
   * Max or average over each window in one pass. A primitive rather than composed from strided slices (which
   * would cost poolSize² temporaries); padded cells never count.
   */
  pool2d(x: TensorInfo, geo: Pool2DGeometry): BackendData;
  /** dL/dx given x and dL/dy (max: routed to the first maximum of each window; avg: spread over real cells). */
  pool2dBackprop(dy: TensorInfo, x: TensorInfo, geo: Pool2DGeometry): BackendData;

  /** Optional fused kernels; ops use them when present and fall back to the composed path. */
  readonly fused?: FusedKernels;
}

/** Activations a fused matmul applies to its result (those with a cheap derivative from the output). */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/**
 * Kernels a backend may add for speed. Each must equal the composed path it replaces. Those that return
 * `undefined` decline the call (a dtype or layout they do not cover): the op then runs its composed path.
 */
export interface FusedKernels {
  /** softmax along the last axis. */
  softmax?(x: TensorInfo): BackendData;
  /** log-softmax along the last axis. */
  logSoftmax?(x: TensorInfo): BackendData;
  /** act(a·b + bias) for a [M,K], b [K,N] and bias [N] (or none), same dtype. */
  matMulBiasAct?: (
    a: TensorInfo,
    b: TensorInfo,
    bias: TensorInfo | null,
    activation: FusedActivation,
  ) => BackendData | undefined;
  /** −Σ labels·logSoftmax(logits) over the last axis; labels have the logits' shape and dtype. */
  softmaxCrossEntropy?: (labels: TensorInfo, logits: TensorInfo) => BackendData | undefined;
  /** −logSoftmax(logits)[label] per row; int32 labels of the logits' shape without the last axis, in range. */
  sparseSoftmaxCrossEntropy?: (labels: TensorInfo, logits: TensorInfo) => BackendData | undefined;
  /** One SGD step (see `sgdUpdate`): [new value, new velocity or null when `velocity` is null]. */
  sgdUpdate?: (
    value: TensorInfo,
    gradient: TensorInfo,
    velocity: TensorInfo | null,
    learningRate: number,
    momentum: number,
    nesterov: boolean,
  ) => [BackendData, BackendData | null] | undefined;
  /** One Adam step (see `adamUpdate`): [new value, new first moment, new second moment]. */
  adamUpdate?: (
    value: TensorInfo,
    gradient: TensorInfo,
    m: TensorInfo,
    v: TensorInfo,
    alpha: number,
    beta1: number,
    beta2: number,
    epsilon: number,
  ) => [BackendData, BackendData, BackendData] | undefined;
}

interface Registration {
  readonly factory: () => Backend;
  /** Higher wins the default; 0 or less never becomes the default on its own. */
  readonly priority: number;
}

const registry = new Map<string, Registration>();
const instances = new Map<string, Backend>();
let current: Backend | undefined;
let currentName: string | undefined;

/** How a backend takes part in choosing the default. */
export interface RegisterBackendOptions {
  /**
   * The backend with the highest priority (first registered on a tie) becomes the active one when no
   * `setBackend` call chose another. Default 0; core-tensor registers `js` at 1 and `wasm` at 2 where
   * WebAssembly SIMD exists (0 where it does not), so `wasm` is the default wherever it can run.
   */
  priority?: number;
}

/** Registers a backend factory under `name` (the factory runs on first use). */
export function registerBackend(
  name: string,
  factory: () => Backend,
  options: RegisterBackendOptions = {},
): void {
  if (typeof name !== 'string' || name === '')
    throw new ArgumentError(`registerBackend: name must be a non-empty string, got ${String(name)}`);
  if (typeof factory !== 'function')
    throw new ArgumentError(`registerBackend: factory for "${name}" must be a function returning a Backend`);
  const priority = options.priority ?? registry.get(name)?.priority ?? 0;
  if (!Number.isFinite(priority))
    throw new ArgumentError(
      `registerBackend: priority for "${name}" must be a finite number, got ${priority}`,
    );
  // Re-registering a name (e.g. wasm with other options) keeps its place in the choice of default.
  registry.set(name, { factory, priority });
  instances.delete(name);
}

/** Names of the registered backends, in registration order. */
export function listBackends(): string[] {
  return [...registry.keys()];
}

/** Makes `name` the backend for every op from now on. Existing tensors stay on the backend that made them. */
export function setBackend(name: string): Backend {
  const reg = registry.get(name);
  if (!reg) {
    throw new StateError(
      `setBackend: unknown backend "${name}"; registered: ${listBackends().join(', ') || 'none'}`,
    );
  }
  let b = instances.get(name);
  if (!b) {
    b = reg.factory();
    instances.set(name, b);
  }
  current = b;
  currentName = name;
  return b;
}

/**
 * The name `getBackend()` starts on: the registered backend with the highest priority (see
 * `RegisterBackendOptions`), the first registered one when none has a positive priority.
 */
export function defaultBackendName(): string | undefined {
  let best: string | undefined;
  let bestPriority = 0;
  for (const [name, reg] of registry) {
    if (reg.priority > bestPriority) {
      best = name;
      bestPriority = reg.priority;
    }
  }
  return best ?? listBackends()[0];
}

/**
 * The active backend: until `setBackend` is called, the default one (`wasm` where WebAssembly SIMD exists, else
 * `js`). A default whose factory fails (e.g. the engine refuses to compile the module) is passed over for the next
 * by priority, so start-up never fails while a working backend is registered.
 */
export function getBackend(): Backend {
  if (current) return current;
  const first = defaultBackendName();
  if (first === undefined) throw new StateError('getBackend: no backend is registered');
  const order = [
    first,
    ...[...registry.entries()]
      .filter(([n]) => n !== first)
      .sort((x, y) => y[1].priority - x[1].priority)
      .map(([n]) => n),
  ];
  let error: unknown;
  for (const name of order) {
    try {
      return setBackend(name);
    } catch (e) {
      error ??= e;
    }
  }
  throw error;
}

/** Name of the active backend. */
export function getBackendName(): string {
  getBackend();
  return currentName!;
}
