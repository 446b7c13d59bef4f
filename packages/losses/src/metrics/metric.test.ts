import type { Tensor } from '@backprop/core-tensor';
import { memory, tensor } from '@backprop/core-tensor';
import { isRecording, valueAndGrad } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { f64 } from '../testing';
import { BinaryAccuracy } from './accuracy';
import { Mean, MeanMetricWrapper } from './metric';
import { MeanAbsoluteErrorMetric, MeanSquaredErrorMetric } from './regression';

describe('Mean', () => {
  it('is the running mean of every value seen, numbers and tensors alike', () => {
    const m = new Mean();
    expect(m.result()).toBe(0);
    m.update(2);
    m.update(tensor([4, 6]));
    expect(m.result()).toBe(4);
  });

  it('weighs values by sampleWeight: Σ(v·w) / Σw', () => {
    const m = new Mean({ name: 'loss' });
    m.update(tensor([1, 3]), tensor([3, 1]));
    m.update(10, 0);
    expect(m.result()).toBeCloseTo((1 * 3 + 3 * 1) / 4, 12);
    expect(m.getConfig()).toEqual({ name: 'loss' });
  });

  it('forgets everything on reset', () => {
    const m = new Mean();
    m.update(tensor([5, 7]));
    m.reset();
    expect(m.result()).toBe(0);
    m.update(1);
    expect(m.result()).toBe(1);
  });
});

describe('metric updates', () => {
  const yTrue = tensor([[1], [0], [1], [1]]);
  const yPred = tensor([[0.9], [0.2], [0.4], [0.7]]);

  it('leave no tensors behind', () => {
    const metrics = [new BinaryAccuracy(), new MeanSquaredErrorMetric(), new Mean()];
    metrics[0]!.update(yTrue, yPred); // first call may allocate lazily-built constants; measure the second
    const weights = tensor([1, 2, 3, 4]);
    const before = memory().numTensors;
    for (const m of metrics) {
      if (m instanceof Mean) m.update(yPred, weights);
      else m.update(yTrue, yPred, weights);
    }
    expect(memory().numTensors).toBe(before);
  });

  it('record no gradients, even inside a differentiated function', () => {
    const seen: boolean[] = [];
    const spy = new MeanMetricWrapper((t: Tensor, p: Tensor) => {
      seen.push(isRecording());
      return p.sub(t).square().mean(-1);
    });
    const { grads } = valueAndGrad((p: Tensor) => {
      spy.update(yTrue, p);
      return p.sum();
    })(f64([[1], [2], [3], [4]]));
    expect(seen).toEqual([false]);
    expect(Array.from(grads.dataSync())).toEqual([1, 1, 1, 1]);
  });
});

describe('averaging over an epoch', () => {
  // Three batches of different sizes. Per-sample squared errors, by hand:
  //   batch A (3 samples): [1, 0, 4]   batch B (1 sample): [9]   batch C (2 samples): [0.25, 0.25]
  // The epoch value is their mean over all 6 samples (14.5 / 6), not the mean of the batch means.
  const batches: [number[][], number[][]][] = [
    [
      [[0], [1], [2]],
      [[1], [1], [0]],
    ],
    [[[3]], [[0]]],
    [
      [[0], [0]],
      [[0.5], [-0.5]],
    ],
  ];

  it('weighs each batch by its number of samples (mse and mae)', () => {
    const mse = new MeanSquaredErrorMetric();
    const mae = new MeanAbsoluteErrorMetric();
    for (const [t, p] of batches) {
      mse.update(tensor(t), tensor(p));
      mae.update(tensor(t), tensor(p));
    }
    expect(mse.result()).toBeCloseTo(14.5 / 6, 6);
    expect(mae.result()).toBeCloseTo((1 + 0 + 2 + 3 + 0.5 + 0.5) / 6, 6);
    expect(mse.name).toBe('mse');
    expect(mae.name).toBe('mae');
    mse.reset();
    expect(mse.result()).toBe(0);
  });

  it('averages multi-output samples over their outputs first', () => {
    const mse = new MeanSquaredErrorMetric();
    mse.update(tensor([[0, 0]]), tensor([[1, 3]])); // (1 + 9) / 2 = 5
    mse.update(
      tensor([
        [0, 0],
        [0, 0],
      ]),
      tensor([
        [1, 1],
        [2, 2],
      ]),
    ); // 1 and 4
    expect(mse.result()).toBeCloseTo((5 + 1 + 4) / 3, 6);
  });

  it('applies sample weights across batches: Σ(value·w) / Σw', () => {
    const mse = new MeanSquaredErrorMetric();
    mse.update(tensor([[0], [0]]), tensor([[1], [2]]), tensor([1, 3])); // 1·1 + 4·3 = 13 over weight 4
    mse.update(tensor([[0]]), tensor([[3]]), tensor([0])); // weight 0: no effect
    expect(mse.result()).toBeCloseTo(13 / 4, 6);
  });
});
