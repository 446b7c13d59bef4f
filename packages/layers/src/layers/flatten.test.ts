import { describe, expect, it } from 'vitest';
import { arange, reshape, zeros } from '@backprop/core-tensor';
import { runLayerTest } from '../testing';
import { Flatten } from './index';

describe('Flatten', () => {
  it('passes runLayerTest, keeping the batch dimension', () => {
    runLayerTest(() => new Flatten(), { inputShape: [2, 3, 4], expectedOutputShape: [2, 12] });
  });

  it('keeps row-major element order', () => {
    const x = reshape(arange(0, 12), [2, 3, 2]);
    const y = new Flatten().apply(x);
    expect(y.arraySync()).toEqual([
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
    ]);
  });

  it('turns a rank-1 input into [batch, 1] and handles an empty batch', () => {
    expect(new Flatten().apply(zeros([5])).shape).toEqual([5, 1]);
    expect(new Flatten().apply(zeros([0, 3, 2])).shape).toEqual([0, 6]);
  });

  it('computes an unknown size when any feature dimension is unknown', () => {
    const f = new Flatten();
    expect(f.computeOutputShape([null, 3, 4])).toEqual([null, 12]);
    expect(f.computeOutputShape([null, null, 4])).toEqual([null, null]);
  });

  it('rejects a scalar (no batch dimension), naming the layer', () => {
    expect(() => new Flatten({ name: 'flat' }).apply(zeros([]))).toThrow(
      /flat \(Flatten\): expected input of/,
    );
  });
});
