import type { Tensor } from '@backprop/core-tensor';
import { StateError, add, scope, viewAs } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { noGrad, variableGrads } from '@backprop/autograd';
import type { Metric } from '@backprop/losses';
import type { CallbackList, Logs } from '../callbacks/callback';
import type { Sequential } from '../sequential';
import type { Batch } from './data-adapter';

export function requireCompiled(model: Sequential, op: string): NonNullable<Sequential['compiled']> {
  if (!model.compiled) {
    throw new StateError(
      `${op}: compile the model first, e.g. model.compile({optimizer: 'adam', loss: 'meanSquaredError'})`,
    );
  }
  return model.compiled;
}

/** Running mean of the loss over an epoch, weighted by batch size (Keras reports the epoch's average). */
export class RunningMean {
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

export function metricLogs(loss: RunningMean, metrics: readonly Metric[], prefix = ''): Logs {
  const logs: Logs = { [`${prefix}loss`]: loss.value };
  for (const m of metrics) logs[`${prefix}${m.name}`] = m.result();
  return logs;
}

/**
 * One step of gradient descent, all inside one memory scope: forward pass, loss (plus regularization), backward
 * pass for every trainable weight, optimizer update, metric update. `detail` asks for the per-layer outputs,
 * gradients and pre-update weights that callbacks such as GradientMonitor read.
 */
export function trainStep(
  model: Sequential,
  b: Batch,
  metrics: readonly Metric[],
  detail?: { list: CallbackList; step: number; epoch: number },
): number {
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
    return lossValue;
  });
}

/** The loss of one batch in inference mode, updating `metrics`. */
export function testStep(model: Sequential, b: Batch, metrics: readonly Metric[]): number {
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
