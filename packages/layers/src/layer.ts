import type { DType, Tensor } from '@backprop/core-tensor';
import { ArgumentError, StateError, add, keep, viewAs } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { noGrad, variable } from '@backprop/autograd';
import type { Initializer } from '@backprop/init';
import { getInitializer } from '@backprop/init';
import type { SymbolicShape } from './engine/shape';
import { assertCompatible } from './engine/shape';
import type { Regularizer } from './regularizers';

/** Options every layer accepts. */
export interface LayerArgs {
  /** Unique name; defaults to the snake_case class name with a counter (`dense`, `dense_1`, …). */
  name?: string;
  trainable?: boolean;
  /** The input shape without the batch dimension, for the first layer of a model (Keras' `input_shape`). */
  inputShape?: readonly (number | null)[];
  dtype?: DType;
}

/** Options of `Layer.call` / `Layer.apply`. */
export interface CallOptions {
  /** True during fit: Dropout drops, BatchNormalization uses batch statistics. */
  training?: boolean;
}

/**
 * An initializer: a Keras name (`'glorotUniform'`, `'heNormal'`, `'zeros'`, …), an Initializer instance, or its
 * serialized `{className, config}` form.
 */
export type InitializerId = string | Initializer | { className: string; config?: Record<string, unknown> };

interface WeightSpec {
  variable: Variable;
  regularizer?: Regularizer;
}

const nameCounts = new Map<string, number>();

/** The most values one weight may hold: what a typed array and a wasm32 memory can address as float32. */
const MAX_WEIGHT_SIZE = 2 ** 29;

const DTYPES: readonly string[] = ['float32', 'float64', 'int32', 'bool'];

/**
 * The base arguments are checked where they are given, so a config from a hostile or corrupt model file fails
 * with an ArgumentError naming the layer and the field, not a TypeError from deep inside the constructor.
 */
function checkLayerArgs(className: string, args: LayerArgs): void {
  if (args === null || typeof args !== 'object')
    throw new ArgumentError(`${className}: the config must be an object, got ${String(args)}`);
  const bad = (field: string, value: unknown, expected: string): never => {
    throw new ArgumentError(
      `${className}: ${field} must be ${expected}, got ${JSON.stringify(value) ?? String(value)}`,
    );
  };
  if (args.name !== undefined && (typeof args.name !== 'string' || args.name === ''))
    bad('name', args.name, 'a non-empty string');
  if (args.trainable !== undefined && typeof args.trainable !== 'boolean')
    bad('trainable', args.trainable, 'true or false');
  if (args.dtype !== undefined && !DTYPES.includes(args.dtype))
    bad('dtype', args.dtype, `one of ${DTYPES.join(', ')}`);
  const shape: unknown = args.inputShape;
  if (
    shape !== undefined &&
    !(Array.isArray(shape) && shape.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0)))
  )
    bad('inputShape', shape, 'an array of positive integers (or null for a size known only at run time)');
}

function snake(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** A unique layer name: `dense`, then `dense_1`, `dense_2`, … as Keras does. */
export function uniqueName(base: string): string {
  const n = nameCounts.get(base) ?? 0;
  nameCounts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/**
 * The Layer contract (Keras'): configuration in the constructor, weights created lazily by `build(inputShape)`
 * the first time the layer sees data, the computation in `call(x, {training})` using public ops only, and
 * `getConfig()` so a layer can be rebuilt from JSON.
 */
export abstract class Layer {
  /** The registered class name (`'Dense'`), used in configs and summaries. */
  abstract readonly className: string;
  readonly name: string;
  trainable: boolean;
  readonly dtype: DType;
  /** The declared input shape with a leading null batch dimension, if the layer was given one. */
  readonly batchInputShape: SymbolicShape | undefined;
  built = false;
  /** The input shape the layer was built for (batch dimension null). */
  builtInputShape: SymbolicShape | undefined;
  readonly #weights: WeightSpec[] = [];

  constructor(args: LayerArgs = {}) {
    checkLayerArgs(new.target.name, args);
    this.name = args.name ?? uniqueName(snake(new.target.name));
    this.trainable = args.trainable ?? true;
    this.dtype = args.dtype ?? 'float32';
    this.batchInputShape = args.inputShape ? [null, ...args.inputShape] : undefined;
  }

  /** Creates the layer's weights for inputs of `inputShape` (batch dimension first, may be null). */
  build(inputShape: SymbolicShape): void {
    this.builtInputShape = inputShape;
    this.built = true;
  }

  /** The forward computation. `x` has the shape `build` was called with. */
  abstract call(x: Tensor, options: CallOptions): Tensor;

  /** The output shape for an input shape, without running the layer. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  /** Builds on first use, checks the input shape, then calls. */
  apply(x: Tensor, options: CallOptions = {}): Tensor {
    if (!this.built) {
      this.build([null, ...x.shape.slice(1)]);
      this.built = true;
    }
    if (this.builtInputShape)
      assertCompatible(`${this.name} (${this.className})`, this.builtInputShape, x.shape);
    return this.call(x, options);
  }

  /** Creates a weight through an initializer; used by `build`. */
  protected addWeight(
    name: string,
    shape: readonly number[],
    initializer: InitializerId,
    options: { trainable?: boolean; regularizer?: Regularizer } = {},
  ): Variable {
    const size = shape.reduce((a, d) => a * d, 1);
    if (!shape.every((d) => Number.isInteger(d) && d >= 0) || size > MAX_WEIGHT_SIZE) {
      throw new ArgumentError(
        `${this.name} (${this.className}): weight "${name}" would have shape [${shape.join(',')}]` +
          (size > MAX_WEIGHT_SIZE ? ` (${size} values)` : '') +
          `; expected non-negative integer sizes of at most ${MAX_WEIGHT_SIZE} values in all (check the layer's config)`,
      );
    }
    const init = getInitializer(initializer);
    const value = noGrad(() => init.call(shape, this.dtype));
    const v = variable(value, { name: `${this.name}/${name}`, trainable: options.trainable ?? true });
    this.#weights.push({ variable: v, regularizer: options.regularizer });
    return v;
  }

  /** All weights, trainable first (as Keras orders them). */
  get weights(): Variable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  get trainableWeights(): Variable[] {
    return this.trainable ? this.#weights.filter((w) => w.variable.trainable).map((w) => w.variable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.#weights.filter((w) => !this.trainable || !w.variable.trainable).map((w) => w.variable);
  }

  /** Number of scalars in all weights (0 before build). */
  countParams(): number {
    return this.#weights.reduce((n, w) => n + w.variable.size, 0);
  }

  /** The sum of the regularization penalties of this layer's weights, or null if it has none. */
  regularizationLoss(): Tensor | null {
    let total: Tensor | null = null;
    for (const w of this.#weights) {
      if (!w.regularizer || !this.trainable) continue;
      const p = w.regularizer.call(w.variable);
      total = total ? add(total, p) : p;
    }
    return total;
  }

  /** Copies of the current weight values, in `weights` order. */
  getWeights(): Tensor[] {
    // A view of the current storage is a snapshot: assign() swaps a variable's storage, it never writes into it.
    return this.weights.map((w) => keep(viewAs(w, w.shape)));
  }

  /** Replaces the weight values (same order, shapes and dtypes as `weights`). */
  setWeights(values: readonly Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new ArgumentError(`${this.name}.setWeights: expected ${ws.length} tensors, got ${values.length}`);
    }
    ws.forEach((w, i) => w.assign(values[i]!));
  }

  /**
   * Rebuilds a layer of this class from `getConfig()` output (Keras' `from_config`): `Dense.fromConfig(
   * dense.getConfig())`. The default passes the config to the constructor; a layer whose config nests objects
   * that its constructor cannot take as JSON overrides it. `deserializeLayer` (and so model loading) calls it.
   */
  static fromConfig<T extends Layer>(this: new (config: never) => T, config: Record<string, unknown>): T {
    return new this(config as never);
  }

  /** The constructor arguments that rebuild this layer (weights excluded). */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape) config.inputShape = this.batchInputShape.slice(1);
    return config;
  }

  protected assertBuilt(what: string): void {
    if (!this.built)
      throw new StateError(`${this.name}: ${what} needs the layer to be built (call it on data first)`);
  }
}
