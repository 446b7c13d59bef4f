import type { Tensor, TensorLike } from '@backprop/core-tensor';
import { ArgumentError, StateError, concat, keep, scope } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { noGrad } from '@backprop/autograd';
import type { Optimizer } from '@backprop/optimizers';
import type { CallbackModel } from './callbacks/callback';
import type { CompileArgs, Compiled } from './engine/compile';
import { resolveCompile } from './engine/compile';
import { asTensor } from './engine/data-adapter';
import type { SymbolicShape } from './engine/shape';
import { summaryTable } from './engine/summary';
import type { EvaluateArgs, FitArgs, Logs } from './engine/training';
import { evaluateModel, fitModel, testOnBatch, trainOnBatch } from './engine/training';
import type { CallOptions, Layer } from './layer';
import { uniqueName } from './layer';
import type { LayerConfig } from './registry';
import { deserializeLayer, serializeLayer } from './registry';
import type { History } from './callbacks/history';
import type { ModelArtifacts, SaveOptions } from './io/model-format';
import type { IOTarget, MemoryTarget } from './io/targets';
import { loadWeights, saveModel, saveWeights } from './io/model-io';

export interface SequentialArgs {
  layers?: Layer[];
  name?: string;
}

/**
 * A linear stack of layers, trained the Keras way:
 * `model.compile({optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy']})`, then
 * `await model.fit(x, y, {epochs: 5, batchSize: 32})`. `batchSize: 1` is stochastic gradient descent, a batch
 * of the whole data set is full-batch gradient descent, anything between is mini-batch.
 */
export class Sequential implements CallbackModel {
  readonly name: string;
  readonly layers: Layer[] = [];
  /** Set to true (e.g. by a callback) to stop `fit` after the current batch. */
  stopTraining = false;
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

  get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }

  get trainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  getWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.getWeights());
  }

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

  get optimizer(): Optimizer | undefined {
    return this.compiled?.optimizer;
  }

  /** Trains for `epochs` epochs and returns the History (per-epoch logs). */
  fit(x: TensorLike | AsyncIterable<unknown>, y?: TensorLike, args: FitArgs = {}): Promise<History> {
    return fitModel(this, x, y, args);
  }

  /** Loss and metrics on the given data, as `{loss, accuracy, …}`. */
  evaluate(x: TensorLike | AsyncIterable<unknown>, y?: TensorLike, args: EvaluateArgs = {}): Promise<Logs> {
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
    const xt = asTensor(x, this.inputShape?.slice(1) as number[] | undefined);
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
