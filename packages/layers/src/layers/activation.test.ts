import { describe, expect, it } from 'vitest';
import { tensor } from '@backprop/core-tensor';
import { runLayerTest } from '../testing';
import { Activation } from './index';

describe('Activation', () => {
  it.each(['tanh', 'sigmoid', 'softmax', 'gelu'])('passes runLayerTest with %s', (activation) => {
    const r = runLayerTest(() => new Activation({ activation }), {
      inputShape: [3, 4],
      expectedOutputShape: [3, 4],
      expectedNumTrainableWeights: 0,
    });
    expect(r.trainingStep).toBeNull();
  });

  it('applies the named function elementwise', () => {
    const y = new Activation({ activation: 'relu' }).apply(tensor([[-1, 0.5, 2]]));
    expect(Array.from(y.dataSync())).toEqual([0, 0.5, 2]);
  });

  it('accepts snake_case and stores the canonical name', () => {
    expect(new Activation({ activation: 'leaky_relu' }).getConfig().activation).toBe('leakyRelu');
  });

  it('rejects an unknown activation, listing the known ones', () => {
    expect(() => new Activation({ activation: 'relu7' })).toThrow(/unknown "relu7".*relu, relu6/);
  });
});
