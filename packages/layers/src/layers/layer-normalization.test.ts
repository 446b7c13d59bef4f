import { describe, expect, it } from 'vitest';
import { randomNormal, zeros } from '@backprop/core-tensor';
import { runLayerTest } from '../testing';
import { LayerNormalization } from './index';

const EPS = 1e-3;

/** Per-row normalization written out with plain numbers. */
function normalizeRow(row: number[]): number[] {
  const m = row.reduce((a, b) => a + b, 0) / row.length;
  const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / row.length;
  return row.map((x) => (x - m) / Math.sqrt(v + EPS));
}

describe('LayerNormalization', () => {
  it('passes runLayerTest over the last axis', () => {
    runLayerTest(() => new LayerNormalization(), {
      inputShape: [3, 5],
      expectedOutputShape: [3, 5],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
    });
  });

  it('passes runLayerTest over two axes, and with axis 1 of rank-3 input', () => {
    runLayerTest(() => new LayerNormalization({ axis: [1, 2] }), { inputShape: [2, 3, 4] });
    runLayerTest(() => new LayerNormalization({ axis: 1, center: false }), {
      inputShape: [2, 3, 4],
      expectedNumTrainableWeights: 1,
    });
  });

  it('normalizes each sample on its own, identically in training and inference', () => {
    const x = randomNormal([3, 6], { seed: 2, mean: 3, stddev: 4 });
    const ln = new LayerNormalization();
    const expected = (x.arraySync() as number[][]).flatMap(normalizeRow);
    const inference = ln.apply(x).dataSync();
    const training = ln.apply(x, { training: true }).dataSync();
    expected.forEach((v, i) => {
      expect(inference[i]).toBeCloseTo(v, 5);
      expect(training[i]).toBe(inference[i]);
    });
  });

  it('keeps one gamma and beta per element of the normalized axes', () => {
    const ln = new LayerNormalization({ axis: [-2, -1] });
    ln.apply(zeros([2, 3, 4]));
    expect(ln.gamma!.shape).toEqual([3, 4]);
    expect(ln.beta!.shape).toEqual([3, 4]);
  });

  it('rejects the batch axis and out-of-range axes', () => {
    expect(() => new LayerNormalization({ axis: 0 }).apply(zeros([2, 3]))).toThrow(/non-batch/);
    expect(() => new LayerNormalization({ name: 'ln', axis: 2 }).apply(zeros([2, 3]))).toThrow(
      /ln \(LayerNormalization\): axis 2 is out of range/,
    );
  });
});
