import type { Tensor, TensorLike } from '@backprop/core-tensor';
import { ArgumentError, Generator, randomInt } from '@backprop/core-tensor';
import type { Metric } from '@backprop/losses';
import type { Callback } from '../callbacks/callback';
import { CallbackList } from '../callbacks/callback';
import { History } from '../callbacks/history';
import { Progbar } from '../callbacks/progbar';
import type { Sequential } from '../sequential';
import { resolveMetrics } from './compile';
import type { Batch } from './data-adapter';
import { isDatasetLike, splitTail } from './data-adapter';
import type { Prepared } from './prepare';
import { warnOnOutputLossMismatch } from './output-check';
import { featureShape, modelDType, prepare } from './prepare';
import { RunningMean, metricLogs, requireCompiled, testStep, trainStep } from './step';
import { Conversions, toInput, toTarget } from './validate';

export type { Logs } from '../callbacks/callback';
import type { Logs } from '../callbacks/callback';

/** Options of `Sequential.fit` (Keras' `fit` arguments, camelCase). */
export interface FitArgs {
  /** Index of the epoch to stop before: with `initialEpoch: 2, epochs: 5` fit runs epochs 2, 3 and 4. Default 1. */
  epochs?: number;
  /** Samples per gradient step: 1 = stochastic, n = mini-batch, all = full-batch gradient descent. Default 32. */
  batchSize?: number;
  /** Reshuffle the samples every epoch (default true; in-memory data only). */
  shuffle?: boolean;
  /** Hold out the last fraction of the samples for validation (in-memory data only). */
  validationSplit?: number;
  /** `[x, y]` or a Dataset evaluated at the end of every epoch; its metrics are logged with a `val_` prefix. */
  validationData?: [TensorLike, TensorLike] | AsyncIterable<unknown>;
  callbacks?: Callback[];
  /** 0 = silent, 1 = progress bar (default in Node), 2 = one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Epoch to start counting from (for resuming). */
  initialEpoch?: number;
  /**
   * Weight of each class in the loss, e.g. {0: 1, 1: 5} for a rare positive class; classes not listed weigh 1.
   * Applied per sample (multiplying any sampleWeight), for in-memory data and Datasets alike.
   */
  classWeight?: Record<number, number>;
  /** Weight of each sample in the loss (in-memory data; a Dataset may yield `{xs, ys, sampleWeight}`). */
  sampleWeight?: TensorLike;
  /** Batches per epoch when streaming a Dataset of unknown size. */
  stepsPerEpoch?: number;
  /** Seed of the shuffling order (default: drawn from the global generator). */
  seed?: number;
}

/** Options of `Sequential.evaluate`. */
export interface EvaluateArgs {
  /** Samples per batch (in-memory data; default 32). Only speed and memory depend on it. */
  batchSize?: number;
  /** Accepted for Keras compatibility; evaluate prints nothing. */
  verbose?: 0 | 1;
  /** Weight of each sample in the loss and the metrics. */
  sampleWeight?: TensorLike;
}

function defaultVerbose(): 0 | 1 {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return proc?.versions?.node ? 1 : 0;
}

function release(b: Batch, keepers: ReadonlySet<unknown>): void {
  for (const t of [b.x, b.y, b.sampleWeight]) if (t && !keepers.has(t) && !t.isDisposed) t.dispose();
}

export async function fitModel(
  model: Sequential,
  x: TensorLike | AsyncIterable<unknown>,
  y: TensorLike | undefined,
  args: FitArgs,
): Promise<History> {
  warnOnOutputLossMismatch(model, requireCompiled(model, 'fit').loss);
  const epochs = args.epochs ?? 1;
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new ArgumentError(`fit: epochs must be a non-negative integer, got ${epochs}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0)
    throw new ArgumentError(`fit: initialEpoch must be a non-negative integer, got ${initialEpoch}`);
  const verbose = args.verbose ?? defaultVerbose();
  const generator = new Generator(args.seed ?? seedFromGlobalGenerator());
  const made = new Conversions();
  try {
    let trainX: TensorLike | AsyncIterable<unknown> = x;
    let trainY = y;
    let validation = args.validationData;
    if (args.validationSplit !== undefined) {
      if (isDatasetLike(x))
        throw new ArgumentError(
          'fit: validationSplit needs in-memory x and y; pass validationData for a Dataset',
        );
      if (y === undefined) throw new ArgumentError('fit: y (the targets) is missing');
      const xt = made.own(toInput('fit', 'x', x as TensorLike, featureShape(model), modelDType(model)), x);
      const split = splitTail(xt, made.own(toTarget('fit', 'y', y), y), args.validationSplit);
      trainX = made.own(split.train[0], undefined);
      trainY = made.own(split.train[1], undefined);
      validation = split.val.map((t) => made.own(t, undefined)) as [Tensor, Tensor];
    } else if (Array.isArray(validation) && !isDatasetLike(validation[0])) {
      // Converted once, not at every epoch's evaluation: a data set given as arrays would be copied each time.
      const [vx, vy] = validation;
      validation = [
        made.own(toInput('fit', 'validationData x', vx, featureShape(model), modelDType(model)), vx),
        made.own(toTarget('fit', 'validationData y', vy), vy),
      ];
    }
    return await fitPrepared(
      model,
      trainX,
      trainY,
      validation,
      args,
      epochs,
      initialEpoch,
      verbose,
      generator,
    );
  } finally {
    made.dispose();
  }
}

async function fitPrepared(
  model: Sequential,
  trainX: TensorLike | AsyncIterable<unknown>,
  trainY: TensorLike | undefined,
  validation: FitArgs['validationData'],
  args: FitArgs,
  epochs: number,
  initialEpoch: number,
  verbose: number,
  generator: Generator,
): Promise<History> {
  const compiled = requireCompiled(model, 'fit');
  const prepared = prepare(model, 'fit', trainX, trainY, {
    batchSize: args.batchSize ?? 32,
    shuffle: args.shuffle ?? true,
    sampleWeight: args.sampleWeight,
    classWeight: args.classWeight,
    generator,
    stepsPerEpoch: args.stepsPerEpoch,
  });
  try {
    return await trainLoop(model, compiled, prepared, validation, args, epochs, initialEpoch, verbose);
  } finally {
    prepared.dispose();
  }
}

async function trainLoop(
  model: Sequential,
  compiled: NonNullable<Sequential['compiled']>,
  { source, keepers, outputShape }: Prepared,
  validation: FitArgs['validationData'],
  args: FitArgs,
  epochs: number,
  initialEpoch: number,
  verbose: number,
): Promise<History> {
  const history = new History();
  const all: Callback[] = [history, ...(verbose > 0 ? [new Progbar()] : []), ...(args.callbacks ?? [])];
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
      let loss: number;
      try {
        loss = trainStep(model, b, metrics, detail);
      } finally {
        release(b, keepers);
      }
      lossMean.add(loss, b.x.shape[0] ?? 1);
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
  const prepared = prepare(model, 'evaluate', x, y, {
    batchSize: args.batchSize ?? 32,
    shuffle: false,
    sampleWeight: args.sampleWeight,
    generator: new Generator(0),
  });
  try {
    return await evaluatePrepared(model, compiled, prepared);
  } finally {
    prepared.dispose();
  }
}

async function evaluatePrepared(
  model: Sequential,
  compiled: NonNullable<Sequential['compiled']>,
  { source, keepers, outputShape }: Prepared,
): Promise<Logs> {
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

/**
 * A shuffle seed drawn from core-tensor's global generator, so `setSeed(n)` makes `fit` reproducible without a
 * `seed` argument (as `keras.utils.set_random_seed` and `torch.manual_seed` do).
 */
function seedFromGlobalGenerator(): number {
  const t = randomInt([], 0, 2 ** 31);
  const seed = t.dataSync()[0]!;
  t.dispose();
  return seed;
}
