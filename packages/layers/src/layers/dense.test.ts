import { describe, expect, it } from 'vitest';
import { runLayerTest } from '../testing';
import { Dense } from './index';

describe('Dense', () => {
  it('passes runLayerTest on [batch, features] input', () => {
    const r = runLayerTest(() => new Dense({ units: 3 }), {
      inputShape: [4, 5],
      expectedOutputShape: [4, 3],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
    });
    expect(r.gradchecked).toEqual(['inference', 'training']);
    expect(r.trainingStep!.lossAfter).toBeLessThan(r.trainingStep!.lossBefore);
  });

  it('passes runLayerTest on rank-3 input, with an activation, no bias and a regularizer', () => {
    runLayerTest(() => new Dense({ units: 2, activation: 'tanh', useBias: false, kernelRegularizer: 'l2' }), {
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 2],
      expectedNumTrainableWeights: 1,
    });
  });
});
