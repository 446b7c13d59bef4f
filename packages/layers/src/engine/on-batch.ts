import type { TensorLike } from '@backprop/core-tensor';
import { mul } from '@backprop/core-tensor';
import type { Logs } from '../callbacks/callback';
import type { Sequential } from '../sequential';
import { resolveMetrics } from './compile';
import { assertSameLength } from './data-adapter';
import { assertModelInput, featureShape, modelDType } from './prepare';
import { RunningMean, metricLogs, requireCompiled, testStep, trainStep } from './step';
import { classWeights, toInput, toTarget } from './validate';

function batch(model: Sequential, op: string, x: TensorLike, y: TensorLike) {
  const xt = toInput(op, 'x', x, featureShape(model), modelDType(model));
  const yt = toTarget(op, 'y', y);
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
  const { xt, yt } = batch(model, 'trainOnBatch', x, y);
  let sw =
    args.sampleWeight !== undefined ? toTarget('trainOnBatch', 'sampleWeight', args.sampleWeight) : undefined;
  if (args.classWeight) {
    const cw = classWeights(yt, args.classWeight);
    sw = sw ? mul(sw, cw) : cw;
  }
  const metrics = resolveMetrics(compiled, [...yt.shape]);
  metrics.forEach((m) => m.reset());
  const mean = new RunningMean();
  mean.add(trainStep(model, { x: xt, y: yt, sampleWeight: sw }, metrics), 1);
  return metricLogs(mean, metrics);
}

/** Loss and metrics of one batch in inference mode, without training (Keras' `test_on_batch`). */
export function testOnBatch(
  model: Sequential,
  x: TensorLike,
  y: TensorLike,
  args: { sampleWeight?: TensorLike },
): Logs {
  const compiled = requireCompiled(model, 'testOnBatch');
  const { xt, yt } = batch(model, 'testOnBatch', x, y);
  const sw =
    args.sampleWeight !== undefined ? toTarget('testOnBatch', 'sampleWeight', args.sampleWeight) : undefined;
  const metrics = resolveMetrics(compiled, [...yt.shape]);
  metrics.forEach((m) => m.reset());
  const mean = new RunningMean();
  mean.add(testStep(model, { x: xt, y: yt, sampleWeight: sw }, metrics), 1);
  return metricLogs(mean, metrics);
}
