import type { Tensor, TensorLike } from '@backprop/core-tensor';
import {
  ArgumentError,
  Generator,
  StateError,
  add,
  argmax,
  cast,
  gather,
  isFinite as isFiniteOp,
  mul,
  scope,
  tensor,
  viewAs,
} from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { noGrad, variableGrads } from '@backprop/autograd';
import type { Metric } from '@backprop/losses';
import type { Callback } from '../callbacks/callback';
import { CallbackList } from '../callbacks/callback';
import { History } from '../callbacks/history';
import { Progbar } from '../callbacks/progbar';
import type { Sequential } from '../sequential';
import { resolveMetrics } from './compile';
import type { Batch, BatchSource } from './data-adapter';
import {
  arrayBatches,
  asTensor,
  assertSameLength,
  datasetBatches,
  isDatasetLike,
  splitTail,
} from './data-adapter';

export type { Logs } from '../callbacks/callback';
import type { Logs } from '../callbacks/callback';

export interface FitArgs {
  epochs?: number;
  /** Samples per gradient step: 1 = stochastic, n = mini-batch, all = full-batch gradient descent. Default 32. */
  batchSize?: number;
  /** Reshuffle the samples every epoch (default true; in-memory data only). */
  shuffle?: boolean;
  /** Hold out the last fraction of the samples for validation (in-memory data only). */
  validationSplit?: number;
  validationData?: [TensorLike, TensorLike] | AsyncIterable<unknown>;
  callbacks?: Callback[];
  /** 0 = silent, 1 = progress bar (default in Node), 2 = one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Epoch to start counting from (for resuming). */
  initialEpoch?: number;
  /** Weight of each class in the loss, e.g. {0: 1, 1: 5} for a rare positive class. */
  classWeight?: Record<number, number>;
  sampleWeight?: TensorLike;
  /** Batches per epoch when streaming a Dataset of unknown size. */
  stepsPerEpoch?: number;
  /** Seed of the shuffling order (default: drawn from the global generator). */
  seed?: number;
}

export interface EvaluateArgs {
  batchSize?: number;
  verbose?: 0 | 1;
  sampleWeight?: TensorLike;
}

function defaultVerbose(): 0 | 1 {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return proc?.versions?.node ? 1 : 0;
}

function requireCompiled(model: Sequential, op: string): NonNullable<Sequential['compiled']> {
  if (!model.compiled) {
    throw new StateError(
      `${op}: compile the model first, e.g. model.compile({optimizer: 'adam', loss: 'meanSquaredError'})`,
    );
  }
  return model.compiled;
}

function assertFinite(op: string, t: Tensor, what: string): void {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') return;
  const ok = noGrad(() => scope(() => isFiniteOp(t).cast('int32').min().item()));
  if (t.size > 0 && ok === 0)
    throw new ArgumentError(`${op}: ${what} contains NaN or Infinity; clean or impute the data first`);
}

/** Per-sample weights from class weights: the label's weight (labels sparse, or one-hot along the last axis). */
function classWeights(y: Tensor, classWeight: Record<number, number>): Tensor {
  const labels =
    y.rank >= 2 && y.shape[y.rank - 1]! > 1
      ? argmax(y, -1)
      : cast(y.rank >= 2 ? y.reshape([-1]) : y, 'int32');
  const max = Math.max(...Object.keys(classWeight).map(Number), ...labels.dataSync());
  const table = Array.from({ length: max + 1 }, (_, i) => classWeight[i] ?? 1);
  return gather(tensor(table), labels);
}

interface StepResult {
  loss: number;
}

/** Running mean of the loss over an epoch, weighted by batch size (Keras reports the epoch's average). */
class RunningMean {
  total = 0;
  count = 0;
  add(v: number, n: number): void {
    this.total += v * n;
    this.count += n;
  }
  get value(): number {
    return this.count === 0 ? NaN : this.total / this.count;
  }
}

function metricLogs(loss: RunningMean, metrics: readonly Metric[], prefix = ''): Logs {
  const logs: Logs = { [`${prefix}loss`]: loss.value };
  for (const m of metrics) logs[`${prefix}${m.name}`] = m.result();
  return logs;
}

/**
 * One step of gradient descent, all inside one memory scope: forward pass, loss (plus regularization), backward
 * pass for every trainable weight, optimizer update, metric update.
 */
function trainStep(
  model: Sequential,
  b: Batch,
  metrics: readonly Metric[],
  detail?: { list: CallbackList; step: number; epoch: number },
): StepResult {
  const { optimizer, loss } = requireCompiled(model, 'fit');
  // Build first: the weights must exist before we ask which ones to differentiate.
  if (!model.built) model.build(model.inputShape ?? [null, ...b.x.shape.slice(1)]);
  return scope(() => {
    const vars: Variable[] = model.trainableWeights;
    const outputs: Tensor[] = [];
    let yPred: Tensor | undefined;
    const { value, grads } = variableGrads(() => {
      let h = b.x;
      for (const l of model.layers) {
        h = l.apply(h, { training: true });
        if (detail) outputs.push(h);
      }
      yPred = h;
      let l = loss.call(b.y, h, b.sampleWeight);
      for (const layer of model.layers) {
        const r = layer.regularizationLoss();
        if (r) l = add(l, r);
      }
      return l;
    }, vars);
    const lossValue = value.item();
    // Views of the current storage are snapshots: the update swaps storage rather than writing into it.
    const before = detail ? new Map(vars.map((v) => [v, viewAs(v, v.shape)])) : undefined;
    optimizer.applyGradients(vars.map((v) => [grads.get(v)!, v] as const));
    for (const m of metrics) m.update(b.y, yPred!, b.sampleWeight);
    if (detail && before) {
      detail.list.stepDetails({
        step: detail.step,
        epoch: detail.epoch,
        loss: lossValue,
        grads,
        weightsBefore: before,
        layerOutputs: outputs,
      });
    }
    return { loss: lossValue };
  });
}

function testStep(model: Sequential, b: Batch, metrics: readonly Metric[]): number {
  const { loss } = requireCompiled(model, 'evaluate');
  return scope(() =>
    noGrad(() => {
      const yPred = model.call(b.x, { training: false });
      const l = loss.call(b.y, yPred, b.sampleWeight).item();
      for (const m of metrics) m.update(b.y, yPred, b.sampleWeight);
      return l;
    }),
  );
}

function release(b: Batch, keepers: ReadonlySet<Tensor>): void {
  for (const t of [b.x, b.y, b.sampleWeight]) if (t && !keepers.has(t) && !t.isDisposed) t.dispose();
}

function featureShape(model: Sequential): number[] | undefined {
  const s = model.inputShape?.slice(1);
  return s && s.every((d): d is number => d !== null) ? s : undefined;
}

interface Prepared {
  source: BatchSource;
  keepers: Set<Tensor>;
  outputShape: number[] | undefined;
}

function prepare(
  model: Sequential,
  op: string,
  x: TensorLike | AsyncIterable<unknown>,
  y: TensorLike | undefined,
  o: {
    batchSize: number;
    shuffle: boolean;
    sampleWeight?: TensorLike;
    classWeight?: Record<number, number>;
    generator: Generator;
    stepsPerEpoch?: number;
  },
): Prepared {
  if (isDatasetLike(x)) {
    if (y !== undefined)
      throw new ArgumentError(`${op}: when x is a Dataset, pass no y (the Dataset yields {xs, ys})`);
    return { source: datasetBatches(x, o.stepsPerEpoch), keepers: new Set(), outputShape: undefined };
  }
  if (y === undefined) throw new ArgumentError(`${op}: y (the targets) is missing`);
  const xt = asTensor(x as TensorLike, featureShape(model));
  const yt = asTensor(y);
  assertSameLength(op, xt, yt);
  assertFinite(op, xt, 'x');
  assertFinite(op, yt, 'y');
  let sw = o.sampleWeight !== undefined ? asTensor(o.sampleWeight) : undefined;
  if (sw) assertSameLength(op, xt, sw, 'sampleWeight');
  if (o.classWeight) {
    const cw = classWeights(yt, o.classWeight);
    sw = sw ? mul(sw, cw) : cw;
  }
  const keepers = new Set([xt, yt, ...(sw ? [sw] : [])]);
  return {
    source: arrayBatches(xt, yt, sw, o.batchSize, o.shuffle, o.generator),
    keepers,
    outputShape: [...yt.shape],
  };
}

export async function fitModel(
  model: Sequential,
  x: TensorLike | AsyncIterable<unknown>,
  y: TensorLike | undefined,
  args: FitArgs,
): Promise<History> {
  const compiled = requireCompiled(model, 'fit');
  const epochs = args.epochs ?? 1;
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new ArgumentError(`fit: epochs must be a non-negative integer, got ${epochs}`);
  const verbose = args.verbose ?? defaultVerbose();
  const generator = new Generator(args.seed ?? Math.floor(Math.random() * 2 ** 32));
  let trainX: TensorLike | AsyncIterable<unknown> = x;
  let trainY = y;
  let validation = args.validationData;
  if (args.validationSplit !== undefined) {
    if (isDatasetLike(x))
      throw new ArgumentError(
        'fit: validationSplit needs in-memory x and y; pass validationData for a Dataset',
      );
    const xt = asTensor(x as TensorLike, featureShape(model));
    const yt = asTensor(y!);
    assertSameLength('fit', xt, yt);
    const split = splitTail(xt, yt, args.validationSplit);
    [trainX, trainY] = split.train;
    validation = split.val;
  }
  const { source, keepers, outputShape } = prepare(model, 'fit', trainX, trainY, {
    batchSize: args.batchSize ?? 32,
    shuffle: args.shuffle ?? true,
    sampleWeight: args.sampleWeight,
    classWeight: args.classWeight,
    generator,
    stepsPerEpoch: args.stepsPerEpoch,
  });
  const history = new History();
  const all: Callback[] = [
    history,
    ...(verbose > 0 ? [new Progbar(verbose === 2 ? { inPlace: false } : {})] : []),
    ...(args.callbacks ?? []),
  ];
  const list = new CallbackList(all);
  for (const c of all) {
    c.setModel(model);
    c.setParams({ epochs, steps: source.steps, verbose });
  }
  model.stopTraining = false;
  let step = 0;
  await list.call('onTrainBegin');
  for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    const lossMean = new RunningMean();
    let metrics: Metric[] | undefined = outputShape
      ? resolveMetrics(compiled, outputShape)
      : compiled.metrics;
    metrics?.forEach((m) => m.reset());
    await list.callAt('onEpochBegin', epoch);
    let batchIndex = 0;
    for await (const b of source.epoch()) {
      if (!metrics) {
        metrics = resolveMetrics(compiled, [...b.y.shape]);
        metrics.forEach((m) => m.reset());
      }
      await list.callAt('onTrainBatchBegin', batchIndex);
      const detail = list.wantsStepDetails(step) ? { list, step, epoch } : undefined;
      let result: StepResult;
      try {
        result = trainStep(model, b, metrics, detail);
      } finally {
        release(b, keepers);
      }
      lossMean.add(result.loss, b.x.shape[0] ?? 1);
      step++;
      await list.callAt('onTrainBatchEnd', batchIndex, metricLogs(lossMean, metrics));
      batchIndex++;
      if (model.stopTraining) break;
    }
    const logs = metricLogs(lossMean, metrics ?? []);
    if (validation !== undefined && !model.stopTraining) {
      const [vx, vy] = Array.isArray(validation) ? validation : [validation, undefined];
      Object.assign(
        logs,
        prefixed(
          await evaluateModel(model, vx as TensorLike, vy, { batchSize: args.batchSize ?? 32, verbose: 0 }),
        ),
      );
    }
    await list.callAt('onEpochEnd', epoch, logs);
  }
  await list.call('onTrainEnd');
  return history;
}

function prefixed(logs: Logs): Logs {
  return Object.fromEntries(Object.entries(logs).map(([k, v]) => [`val_${k}`, v]));
}

export async function evaluateModel(
  model: Sequential,
  x: TensorLike | AsyncIterable<unknown>,
  y: TensorLike | undefined,
  args: EvaluateArgs,
): Promise<Logs> {
  const compiled = requireCompiled(model, 'evaluate');
  const { source, keepers, outputShape } = prepare(model, 'evaluate', x, y, {
    batchSize: args.batchSize ?? 32,
    shuffle: false,
    sampleWeight: args.sampleWeight,
    generator: new Generator(0),
  });
  let metrics: Metric[] | undefined = outputShape ? resolveMetrics(compiled, outputShape) : compiled.metrics;
  metrics?.forEach((m) => m.reset());
  const lossMean = new RunningMean();
  for await (const b of source.epoch()) {
    if (!metrics) {
      metrics = resolveMetrics(compiled, [...b.y.shape]);
      metrics.forEach((m) => m.reset());
    }
    try {
      lossMean.add(testStep(model, b, metrics), b.x.shape[0] ?? 1);
    } finally {
      release(b, keepers);
    }
  }
  return metricLogs(lossMean, metrics ?? []);
}

export function trainOnBatch(
  model: Sequential,
  x: TensorLike,
  y: TensorLike,
  args: { sampleWeight?: TensorLike; classWeight?: Record<number, number> },
): Logs {
  const compiled = requireCompiled(model, 'trainOnBatch');
  const xt = asTensor(x, featureShape(model));
  const yt = asTensor(y);
  assertSameLength('trainOnBatch', xt, yt);
  let sw = args.sampleWeight !== undefined ? asTensor(args.sampleWeight) : undefined;
  if (args.classWeight)
    sw = sw ? mul(sw, classWeights(yt, args.classWeight)) : classWeights(yt, args.classWeight);
  const metrics = resolveMetrics(compiled, [...yt.shape]);
  metrics.forEach((m) => m.reset());
  const { loss } = trainStep(model, { x: xt, y: yt, sampleWeight: sw }, metrics);
  const mean = new RunningMean();
  mean.add(loss, 1);
  return metricLogs(mean, metrics);
}

export function testOnBatch(
  model: Sequential,
  x: TensorLike,
  y: TensorLike,
  args: { sampleWeight?: TensorLike },
): Logs {
  const compiled = requireCompiled(model, 'testOnBatch');
  const xt = asTensor(x, featureShape(model));
  const yt = asTensor(y);
  assertSameLength('testOnBatch', xt, yt);
  const metrics = resolveMetrics(compiled, [...yt.shape]);
  metrics.forEach((m) => m.reset());
  const mean = new RunningMean();
  mean.add(
    testStep(
      model,
      {
        x: xt,
        y: yt,
        sampleWeight: args.sampleWeight !== undefined ? asTensor(args.sampleWeight) : undefined,
      },
      metrics,
    ),
    1,
  );
  return metricLogs(mean, metrics);
}
