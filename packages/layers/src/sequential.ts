import type { Tensor, TensorLike } from '@backprop/core-tensor';
import { ArgumentError, StateError, Tensor as TensorClass, concat, keep, scope } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { noGrad } from '@backprop/autograd';
import type { Optimizer } from '@backprop/optimizers';
import type { CallbackModel } from './callbacks/callback';
import type { CompileArgs, Compiled } from './engine/compile';
import { resolveCompile } from './engine/compile';
import { isDatasetLike } from './engine/data-adapter';
import { assertModelInput, modelDType } from './engine/prepare';
import { toInput } from './engine/validate';
import type { SymbolicShape } from './engine/shape';
import { summaryTable } from './engine/summary';
import type { EvaluateArgs, FitArgs, Logs } from './engine/training';
import { evaluateModel, fitModel } from './engine/training';
import { testOnBatch, trainOnBatch } from './engine/on-batch';
import type { CallOptions, Layer } from './layer';
import { uniqueName } from './layer';
import type { LayerConfig } from './registry';
import { deserializeLayer, serializeLayer } from './registry';
import type { History } from './callbacks/history';
import type { ModelArtifacts, SaveOptions } from './io/model-format';
import type { IOTarget, MemoryTarget } from './io/targets';
import { loadWeights, saveModel, saveWeights } from './io/model-io';

/** Options of the Sequential constructor. */
export interface SequentialArgs {
  /** Layers to add, in order. */
  layers?: Layer[];
  name?: string;
}

/** True when `y` is fit's or evaluate's options object in the Keras form `fit(dataset, {epochs})`. */
function isOptions<T extends object>(x: unknown, y: TensorLike | T | undefined): y is T {
  return (
    isDatasetLike(x) &&
    y !== null &&
    typeof y === 'object' &&
    !Array.isArray(y) &&
    !ArrayBuffer.isView(y) &&
    !(y instanceof TensorClass)
  );
}

/**
 * A linear stack of layers, trained the Keras way:
 * `model.compile({optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy']})`, then
 * `await model.fit(x, y, {epochs: 5, batchSize: 32})`. `batchSize: 1` is stochastic gradient descent, a batch
 * of the whole data set is full-batch gradient descent, anything between is mini-batch.
 */
export class Sequential implements CallbackModel {
  /** The model's name (default `sequential`, `sequential_1`, …). */
  readonly name: string;
  /** The layers in order; add to it with `add`. */
  readonly layers: Layer[] = [];
  /** Set to true (e.g. by a callback) to stop `fit` after the current batch. */
  stopTraining = false;
  /** What `compile` resolved (optimizer, loss, metrics); undefined before `compile`. */
  compiled: Compiled | undefined;
  #inputShape: SymbolicShape | undefined;

  constructor(args: SequentialArgs = {}) {
    this.name = args.name ?? uniqueName('sequential');
    for (const l of args.layers ?? []) this.add(l);
  }

  /** Appends a layer. Names must be unique within the model. */
  add(layer: Layer): this {
    if (this.layers.some((l) => l.name === layer.name)) {
      throw new ArgumentError(`Sequential.add: a layer named "${layer.name}" is already in the model`);
    }
    this.layers.push(layer);
    return this;
  }

  /** The input shape with batch dimension (null), once known. */
  get inputShape(): SymbolicShape | undefined {
    return this.#inputShape ?? this.layers[0]?.batchInputShape;
  }

  /** True once every layer has its weights. */
  get built(): boolean {
    return this.layers.length > 0 && this.layers.every((l) => l.built);
  }

  /** Builds every layer for `inputShape` ([null, ...features]); without it, uses the first layer's inputShape. */
  build(inputShape?: SymbolicShape): void {
    const shape = inputShape ?? this.inputShape;
    if (!shape) {
      throw new StateError(
        `${this.name}: cannot build without an input shape; give the first layer inputShape (e.g. new Dense({units: 8, inputShape: [4]})) or call build([null, 4])`,
      );
    }
    this.#inputShape = shape;
    let s = shape;
    for (const l of this.layers) {
      if (!l.built) l.build(s);
      s = l.computeOutputShape(s);
    }
  }

  /** Output shapes of every layer for the built input shape. */
  outputShapes(): SymbolicShape[] {
    if (!this.inputShape) throw new StateError(`${this.name}: not built yet (no input shape known)`);
    const shapes: SymbolicShape[] = [];
    let s = this.inputShape;
    for (const l of this.layers) shapes.push((s = l.computeOutputShape(s)));
    return shapes;
  }

  /** Runs the layers in order; builds them on first use. */
  call(x: Tensor, options: CallOptions = {}): Tensor {
    if (this.layers.length === 0) throw new StateError(`${this.name}: the model has no layers`);
    if (!this.built) this.build(this.inputShape ?? [null, ...x.shape.slice(1)]);
    let h = x;
    for (const l of this.layers) h = l.apply(h, options);
    return h;
  }

  /** Every layer's weights in layer order (each layer's trainable ones first). */
  get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }

  /** The weights `fit` updates. */
  get trainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  /** Weights `fit` leaves alone: frozen layers' and state such as BatchNormalization's moving statistics. */
  get nonTrainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  /** Number of scalars in all weights (0 before build). */
  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Copies of every weight's value, in `weights` order. */
  getWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.getWeights());
  }

  /** Replaces every weight's value (same order, shapes and dtypes as `weights`). */
  setWeights(weights: readonly Tensor[]): void {
    let i = 0;
    for (const l of this.layers) {
      const n = l.weights.length;
      l.setWeights(weights.slice(i, i + n));
      i += n;
    }
    if (i !== weights.length)
      throw new ArgumentError(`${this.name}.setWeights: expected ${i} tensors, got ${weights.length}`);
  }

  /** Keras' summary table (layer, output shape, params, totals); also printed when `print` is true. */
  summary(print = true): string {
    if (!this.built) this.build();
    const text = summaryTable(this.name, this.layers, this.outputShapes());
    if (print) console.log(text);
    return text;
  }

  /** Chooses the optimizer, the loss and the metrics (names like 'adam', 'mse', 'accuracy', or instances). */
  compile(args: CompileArgs): void {
    this.compiled = resolveCompile(args);
  }

  /** The compiled optimizer (undefined before `compile`). */
  get optimizer(): Optimizer | undefined {
    return this.compiled?.optimizer;
  }

  /**
   * Trains for `epochs` epochs and returns the History (per-epoch logs). `x` and `y` are tensors, nested arrays
   * or typed arrays; or `x` is a Dataset of `{xs, ys}` batches, then called as `fit(ds, {epochs})` (Keras'
   * form) or `fit(ds, undefined, {epochs})`.
   */
  fit(dataset: AsyncIterable<unknown>, args?: FitArgs): Promise<History>;
  fit(x: TensorLike | AsyncIterable<unknown>, y?: TensorLike, args?: FitArgs): Promise<History>;
  fit(
    x: TensorLike | AsyncIterable<unknown>,
    y?: TensorLike | FitArgs,
    args: FitArgs = {},
  ): Promise<History> {
    if (isOptions(x, y)) return fitModel(this, x, undefined, y);
    return fitModel(this, x, y, args);
  }

  /** Loss and metrics on the given data, as `{loss, accuracy, …}`; a Dataset as `evaluate(ds)` or `evaluate(ds, args)`. */
  evaluate(dataset: AsyncIterable<unknown>, args?: EvaluateArgs): Promise<Logs>;
  evaluate(x: TensorLike | AsyncIterable<unknown>, y?: TensorLike, args?: EvaluateArgs): Promise<Logs>;
  evaluate(
    x: TensorLike | AsyncIterable<unknown>,
    y?: TensorLike | EvaluateArgs,
    args: EvaluateArgs = {},
  ): Promise<Logs> {
    if (isOptions(x, y)) return evaluateModel(this, x, undefined, y);
    return evaluateModel(this, x, y, args);
  }

  /** Outputs for `x`, computed in batches of `batchSize` in inference mode. */
  predict(x: TensorLike, args: { batchSize?: number } = {}): Tensor {
    const batchSize = args.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new ArgumentError(`predict: batchSize must be a positive integer, got ${batchSize}`);
    if (!this.built && !this.inputShape)
      throw new StateError(
        `${this.name}: predict before the model is built (fit it, or give the first layer an inputShape)`,
      );
    const xt = toInput(
      'predict',
      'x',
      x,
      this.inputShape?.slice(1) as number[] | undefined,
      modelDType(this),
    );
    try {
      assertModelInput('predict', this, xt);
      return scope(() =>
        noGrad(() => {
          const n = xt.shape[0] ?? 0;
          const parts: Tensor[] = [];
          for (let s = 0; s < n; s += batchSize) {
            parts.push(this.call(xt.slice([s], [Math.min(n, s + batchSize)]), { training: false }));
          }
          if (parts.length === 0) return keep(this.call(xt, { training: false }));
          return keep(parts.length === 1 ? parts[0]! : concat(parts, 0));
        }),
      );
    } finally {
      // A tensor converted here from an array is freed here (storage an output view shares stays alive).
      if (xt !== x) xt.dispose();
    }
  }

  /** One gradient step on one batch; returns the batch's loss and metrics. */
  trainOnBatch(
    x: TensorLike,
    y: TensorLike,
    args: { sampleWeight?: TensorLike; classWeight?: Record<number, number> } = {},
  ): Logs {
    return trainOnBatch(this, x, y, args);
  }

  /** Loss and metrics of one batch, without training. */
  testOnBatch(x: TensorLike, y: TensorLike, args: { sampleWeight?: TensorLike } = {}): Logs {
    return testOnBatch(this, x, y, args);
  }

  /**
   * Saves the architecture, the compile configuration, the weights (safetensors) and, unless
   * `includeOptimizer: false`, the optimizer state for an exact resume. `target` is a directory in Node,
   * `{kind: 'memory'}`, `indexeddb://name` or `downloads://name` in the browser. Writes are atomic.
   */
  save(target: IOTarget, options: SaveOptions = {}): Promise<ModelArtifacts> {
    return saveModel(this, target, options);
  }

  /** Writes only the weights, as one safetensors file (or bytes for a memory target). */
  saveWeights(target: string | MemoryTarget): Promise<Uint8Array> {
    return saveWeights(this, target);
  }

  /** Loads weights saved by `saveWeights` (names and shapes must match). */
  loadWeights(source: string | Uint8Array): Promise<void> {
    return loadWeights(this, source);
  }

  /** The architecture as JSON-able data (weights excluded). */
  getConfig(): { name: string; layers: LayerConfig[] } {
    return { name: this.name, layers: this.layers.map(serializeLayer) };
  }

  /** Rebuilds a model (unbuilt, with fresh weights) from `getConfig()` output. */
  static fromConfig(config: { name?: string; layers: LayerConfig[] }): Sequential {
    return new Sequential({ name: config.name, layers: config.layers.map(deserializeLayer) });
  }
}
