import type { TensorLike } from '@backprop/core-tensor';
import { mul } from '@backprop/core-tensor';
import type { Logs } from '../callbacks/callback';
import type { Sequential } from '../sequential';
import { resolveMetrics } from './compile';
import { assertSameLength } from './data-adapter';
import { assertModelInput, featureShape, modelDType } from './prepare';
import { RunningMean, metricLogs, requireCompiled, testStep, trainStep } from './step';
import { Conversions, classWeights, toInput, toTarget } from './validate';

function batch(model: Sequential, op: string, x: TensorLike, y: TensorLike, made: Conversions) {
  const xt = made.own(toInput(op, 'x', x, featureShape(model), modelDType(model)), x);
  const yt = made.own(toTarget(op, 'y', y), y);
  assertSameLength(op, xt, yt);
  assertModelInput(op, model, xt);
  return { xt, yt };
}

/** One gradient step on one batch (Keras' `train_on_batch`); the batch's loss and metrics. */
export function trainOnBatch(
  model: Sequential,
  x: TensorLike,
  y: TensorLike,
  args: { sampleWeight?: TensorLike; classWeight?: Record<number, number> },
): Logs {
  const compiled = requireCompiled(model, 'trainOnBatch');
  // Called once per batch in a user's loop: what is converted here is freed here, not left to the GC.
  const made = new Conversions();
  try {
    const { xt, yt } = batch(model, 'trainOnBatch', x, y, made);
    let sw =
      args.sampleWeight !== undefined
        ? made.own(toTarget('trainOnBatch', 'sampleWeight', args.sampleWeight), args.sampleWeight)
        : undefined;
    if (args.classWeight) {
      const cw = made.own(classWeights(yt, args.classWeight), undefined);
      sw = sw ? made.own(mul(sw, cw), undefined) : cw;
    }
    const metrics = resolveMetrics(compiled, [...yt.shape]);
    metrics.forEach((m) => m.reset());
    const mean = new RunningMean();
    mean.add(trainStep(model, { x: xt, y: yt, sampleWeight: sw }, metrics), 1);
    return metricLogs(mean, metrics);
  } finally {
    made.dispose();
  }
}

/** Loss and metrics of one batch in inference mode, without training (Keras' `test_on_batch`). */
export function testOnBatch(
  model: Sequential,
  x: TensorLike,
  y: TensorLike,
  args: { sampleWeight?: TensorLike },
): Logs {
  const compiled = requireCompiled(model, 'testOnBatch');
  const made = new Conversions();
  try {
    const { xt, yt } = batch(model, 'testOnBatch', x, y, made);
    const sw =
      args.sampleWeight !== undefined
        ? made.own(toTarget('testOnBatch', 'sampleWeight', args.sampleWeight), args.sampleWeight)
        : undefined;
    const metrics = resolveMetrics(compiled, [...yt.shape]);
    metrics.forEach((m) => m.reset());
    const mean = new RunningMean();
    mean.add(testStep(model, { x: xt, y: yt, sampleWeight: sw }, metrics), 1);
    return metricLogs(mean, metrics);
  } finally {
    made.dispose();
  }
}
