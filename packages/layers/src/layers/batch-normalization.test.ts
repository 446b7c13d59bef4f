import { describe, expect, it } from 'vitest';
import { randomNormal, sum, tensor, zeros } from '@backprop/core-tensor';
import { noGrad, variableGrads } from '@backprop/autograd';
import { runLayerTest } from '../testing';
import { BatchNormalization } from './index';

const EPS = 1e-3;
// Two features over a batch of three: means [3, 4], biased variances [8/3, 8/3].
const X = [
  [1, 2],
  [3, 6],
  [5, 4],
];
const MEAN = [3, 4];
const VAR = [8 / 3, 8 / 3];

function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
}

describe('BatchNormalization', () => {
  it('passes runLayerTest on [batch, features]', () => {
    runLayerTest(() => new BatchNormalization(), {
      inputShape: [6, 4],
      expectedOutputShape: [6, 4],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 2,
    });
  });

  it('passes runLayerTest on NHWC input and with axis 1', () => {
    runLayerTest(() => new BatchNormalization({ momentum: 0.9 }), { inputShape: [3, 2, 2, 3] });
    runLayerTest(() => new BatchNormalization({ axis: 1 }), { inputShape: [4, 3, 2] });
  });

  it('passes runLayerTest without center and scale (no trainable weights)', () => {
    const r = runLayerTest(() => new BatchNormalization({ center: false, scale: false }), {
      inputShape: [5, 3],
      expectedNumTrainableWeights: 0,
      expectedNumNonTrainableWeights: 2,
    });
    expect(r.trainingStep).toBeNull();
  });

  it('normalizes with the batch statistics while training and the moving ones at inference', () => {
    const bn = new BatchNormalization();
    const x = tensor(X);
    const inference = bn.apply(x).dataSync();
    // Fresh moving statistics are mean 0, variance 1.
    expectClose(
      inference,
      X.flat().map((v) => v / Math.sqrt(1 + EPS)),
    );
    const training = bn.apply(x, { training: true }).dataSync();
    expectClose(
      training,
      X.flat().map((v, i) => (v - MEAN[i % 2]!) / Math.sqrt(VAR[i % 2]! + EPS)),
    );
  });

  it('applies gamma and beta per feature', () => {
    const bn = new BatchNormalization();
    const x = tensor(X);
    bn.apply(x);
    bn.setWeights([tensor([2, 0.5]), tensor([1, -1]), tensor([0.5, 1]), tensor([4, 2])]);
    const gamma = [2, 0.5];
    const beta = [1, -1];
    const mm = [0.5, 1];
    const mv = [4, 2];
    const f = (v: number, i: number, m: number[], s: number[]) =>
      ((v - m[i % 2]!) / Math.sqrt(s[i % 2]! + EPS)) * gamma[i % 2]! + beta[i % 2]!;
    expectClose(
      bn.apply(x).dataSync(),
      X.flat().map((v, i) => f(v, i, mm, mv)),
    );
    expectClose(
      bn.apply(x, { training: true }).dataSync(),
      X.flat().map((v, i) => f(v, i, MEAN, VAR)),
    );
  });

  it('updates the moving statistics after a training step as moving·momentum + batch·(1 − momentum)', () => {
    const bn = new BatchNormalization({ name: 'bn_step' });
    const x = tensor(X);
    bn.apply(x);
    // One SGD step on gamma and beta through a training-mode forward pass.
    const { grads } = variableGrads(() => sum(bn.apply(x, { training: true }).square()), bn.trainableWeights);
    noGrad(() => bn.trainableWeights.forEach((v) => v.assign(v.sub(grads.get(v)!.mul(0.1)))));
    expect(bn.trainableWeights.map((w) => w.name)).toEqual(['bn_step/gamma', 'bn_step/beta']);
    expect(bn.nonTrainableWeights.map((w) => w.name)).toEqual([
      'bn_step/moving_mean',
      'bn_step/moving_variance',
    ]);
    let mm = [0, 0].map((m, i) => m * 0.99 + MEAN[i]! * 0.01);
    let mv = [1, 1].map((v, i) => v * 0.99 + VAR[i]! * 0.01);
    expectClose(bn.movingMean!.dataSync(), mm, 6);
    expectClose(bn.movingVariance!.dataSync(), mv, 6);
    // A second training call moves them again; inference calls do not.
    bn.apply(x, { training: true });
    bn.apply(x);
    mm = mm.map((m, i) => m * 0.99 + MEAN[i]! * 0.01);
    mv = mv.map((v, i) => v * 0.99 + VAR[i]! * 0.01);
    expectClose(bn.movingMean!.dataSync(), mm, 6);
    expectClose(bn.movingVariance!.dataSync(), mv, 6);
    // Inference now uses them (gamma and beta as trained).
    const g = bn.gamma!.dataSync();
    const b = bn.beta!.dataSync();
    expectClose(
      bn.apply(x).dataSync(),
      X.flat().map((v, i) => ((v - mm[i % 2]!) / Math.sqrt(mv[i % 2]! + EPS)) * g[i % 2]! + b[i % 2]!),
    );
  });

  it('takes NHWC statistics per channel over batch, height and width', () => {
    const x = randomNormal([4, 3, 3, 2], { seed: 1, mean: 5, stddev: 2 });
    const y = new BatchNormalization().apply(x, { training: true });
    const m = y.mean([0, 1, 2]).dataSync();
    const v = y.variance([0, 1, 2]).dataSync();
    const xv = x.variance([0, 1, 2]).dataSync();
    expectClose(m, [0, 0], 5);
    expectClose(v, [xv[0]! / (xv[0]! + EPS), xv[1]! / (xv[1]! + EPS)], 4);
  });

  it('uses and keeps the moving statistics when frozen (trainable: false), as Keras 3', () => {
    const bn = new BatchNormalization({ trainable: false });
    const x = tensor(X);
    const y = bn.apply(x, { training: true }).dataSync();
    expectClose(
      y,
      X.flat().map((v) => v / Math.sqrt(1 + EPS)),
    );
    expectClose(bn.movingMean!.dataSync(), [0, 0]);
  });

  it('rejects a rank-1 input and the batch axis', () => {
    expect(() => new BatchNormalization({ name: 'bn' }).apply(zeros([4]))).toThrow(
      /bn \(BatchNormalization\): expected input of rank ≥ 2/,
    );
    expect(() => new BatchNormalization({ axis: 0 }).apply(zeros([4, 2]))).toThrow(/non-batch/);
    expect(() => new BatchNormalization({ axis: 3 }).apply(zeros([4, 2]))).toThrow(/axis 3 is out of range/);
  });
});
