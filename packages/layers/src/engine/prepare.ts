import type { Generator, Tensor, TensorLike } from '@backprop/core-tensor';
import { ArgumentError, ShapeError, mul } from '@backprop/core-tensor';
import type { Sequential } from '../sequential';
import type { Batch, BatchSource } from './data-adapter';
import { arrayBatches, assertSameLength, datasetBatches, isDatasetLike } from './data-adapter';
import { fmtSymbolic } from './shape';
import { requireCompiled } from './step';
import {
  Conversions,
  assertFinite,
  assertSparseLabels,
  classWeights,
  isSparseLoss,
  toInput,
  toTarget,
} from './validate';

/** The model's per-sample input shape, when every dimension is known. */
export function featureShape(model: Sequential): number[] | undefined {
  const s = model.inputShape?.slice(1);
  return s && s.every((d): d is number => d !== null) ? s : undefined;
}

/** The dtype inputs are cast to: the first layer's. */
export function modelDType(model: Sequential): Tensor['dtype'] | undefined {
  return model.layers[0]?.dtype;
}

/** Builds the model for `x` if needed and checks that `x` fits its input shape, naming `op` and `what`. */
export function assertModelInput(op: string, model: Sequential, x: Tensor, what = 'x'): void {
  const expected = model.inputShape;
  if (!expected) return;
  const ok =
    expected.length === x.rank && expected.every((d, i) => i === 0 || d === null || d === x.shape[i]);
  if (!ok) {
    throw new ShapeError(
      `${op}: ${what} has shape [${x.shape.join(',')}] but the model takes inputs of shape ${fmtSymbolic(expected)}` +
        ` (batch first): ${expected.length === x.rank ? 'the feature size differs' : `rank ${x.rank}, expected ${expected.length}`}`,
    );
  }
}

/** Number of classes the model outputs (its last dimension), building it for `x` first if needed. */
function outputClasses(model: Sequential, x: Tensor): number | undefined {
  if (!model.built) model.build(model.inputShape ?? [null, ...x.shape.slice(1)]);
  const last = model.outputShapes().at(-1);
  const c = last?.at(-1);
  return typeof c === 'number' ? c : undefined;
}

interface CheckOptions {
  sparse: boolean;
  classWeight?: Readonly<Record<number, number>>;
  what: string;
}

/** Validates one batch streamed from a Dataset and applies class weights to it. */
function checkBatch(model: Sequential, op: string, b: Batch, o: CheckOptions): Batch {
  const x = toInput(op, `${o.what} x`, b.x, undefined, modelDType(model));
  if (x !== b.x) b.x.dispose();
  assertSameLength(op, x, b.y);
  assertModelInput(op, model, x, `${o.what} x`);
  assertFinite(op, x, `${o.what} x`);
  assertFinite(op, b.y, `${o.what} y`);
  if (o.sparse) {
    const classes = outputClasses(model, x);
    if (classes !== undefined) assertSparseLabels(op, b.y, classes, `${o.what} y`);
  }
  let sampleWeight = b.sampleWeight;
  if (o.classWeight) {
    const cw = classWeights(b.y, o.classWeight);
    sampleWeight = sampleWeight ? mul(sampleWeight, cw) : cw;
    if (b.sampleWeight && sampleWeight !== b.sampleWeight) b.sampleWeight.dispose();
  }
  return { x, y: b.y, sampleWeight };
}

/** Batches ready for a training or test step, and the tensors the loop must not dispose. */
export interface Prepared {
  source: BatchSource;
  keepers: Set<Tensor>;
  outputShape: number[] | undefined;
  /** Frees what prepare made from the caller's data (see {@link Conversions}). */
  dispose(): void;
}

export interface PrepareOptions {
  batchSize: number;
  shuffle: boolean;
  sampleWeight?: TensorLike;
  classWeight?: Readonly<Record<number, number>>;
  generator: Generator;
  stepsPerEpoch?: number;
}

/**
 * Turns fit's or evaluate's `x, y` (tensors, arrays, typed arrays or a Dataset) into batches, after checking
 * them: same number of samples, the model's feature shape, finite values, sparse labels in range. In-memory data
 * is checked once; a Dataset batch by batch (a few reductions per batch, no per-sample JavaScript work).
 */
export function prepare(
  model: Sequential,
  op: string,
  x: TensorLike | AsyncIterable<unknown>,
  y: TensorLike | undefined,
  o: PrepareOptions,
): Prepared {
  const sparse = isSparseLoss(requireCompiled(model, op).loss);
  if (isDatasetLike(x)) {
    if (y !== undefined)
      throw new ArgumentError(`${op}: when x is a Dataset, pass no y (the Dataset yields {xs, ys})`);
    const inner = datasetBatches(x, o.stepsPerEpoch);
    const check: CheckOptions = { sparse, classWeight: o.classWeight, what: 'Dataset batch' };
    return {
      source: {
        steps: inner.steps,
        numSamples: undefined,
        async *epoch() {
          for await (const b of inner.epoch()) yield checkBatch(model, op, b, check);
        },
      },
      keepers: new Set(),
      outputShape: undefined,
      dispose: () => undefined,
    };
  }
  if (y === undefined) throw new ArgumentError(`${op}: y (the targets) is missing`);
  const made = new Conversions();
  try {
    return inMemory(model, op, x as TensorLike, y, o, sparse, made);
  } catch (e) {
    made.dispose();
    throw e;
  }
}

function inMemory(
  model: Sequential,
  op: string,
  x: TensorLike,
  y: TensorLike,
  o: PrepareOptions,
  sparse: boolean,
  made: Conversions,
): Prepared {
  const xt = made.own(toInput(op, 'x', x, featureShape(model), modelDType(model)), x);
  const yt = made.own(toTarget(op, 'y', y), y);
  assertSameLength(op, xt, yt);
  assertModelInput(op, model, xt);
  assertFinite(op, xt, 'x');
  assertFinite(op, yt, 'y');
  if (sparse) {
    const classes = outputClasses(model, xt);
    if (classes !== undefined) assertSparseLabels(op, yt, classes);
  }
  let sw =
    o.sampleWeight !== undefined
      ? made.own(toTarget(op, 'sampleWeight', o.sampleWeight), o.sampleWeight)
      : undefined;
  if (sw) assertSameLength(op, xt, sw, 'sampleWeight');
  if (o.classWeight) {
    const cw = made.own(classWeights(yt, o.classWeight), undefined);
    sw = sw ? made.own(mul(sw, cw), undefined) : cw;
  }
  const keepers = new Set([xt, yt, ...(sw ? [sw] : [])]);
  return {
    source: arrayBatches(xt, yt, sw, o.batchSize, o.shuffle, o.generator),
    keepers,
    outputShape: [...yt.shape],
    dispose: () => made.dispose(),
  };
}
