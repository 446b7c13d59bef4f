import { describe, expect, it } from 'vitest';
import { arange, reshape, zeros } from '@backprop/core-tensor';
import { runLayerTest } from '../testing';
import { Reshape } from './index';

describe('Reshape', () => {
  it('passes runLayerTest with an explicit target shape', () => {
    runLayerTest(() => new Reshape({ targetShape: [3, 4] }), {
      inputShape: [2, 12],
      expectedOutputShape: [2, 3, 4],
    });
  });

  it('passes runLayerTest inferring a −1 dimension', () => {
    runLayerTest(() => new Reshape({ targetShape: [-1, 2] }), {
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 6, 2],
    });
  });

  it('infers −1 from the per-sample size, not the batch', () => {
    const y = new Reshape({ targetShape: [2, -1] }).apply(reshape(arange(0, 24), [4, 6]));
    expect(y.shape).toEqual([4, 2, 3]);
    expect(Array.from(y.dataSync())).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('leaves −1 unknown while the input size is unknown', () => {
    const r = new Reshape({ targetShape: [-1, 2] });
    expect(r.computeOutputShape([null, 3, 4])).toEqual([null, 6, 2]);
    expect(r.computeOutputShape([null, null, 4])).toEqual([null, null, 2]);
  });

  it('rejects a target whose size does not match, naming the layer', () => {
    expect(() => new Reshape({ name: 'rs', targetShape: [5] }).apply(zeros([2, 6]))).toThrow(
      /rs \(Reshape\): cannot reshape samples of shape \(6,\) \(6 elements\) into \(5,\)/,
    );
    expect(() => new Reshape({ targetShape: [-1, 4] }).apply(zeros([2, 6]))).toThrow(/cannot reshape/);
  });

  it('rejects two −1s and non-positive sizes at construction', () => {
    expect(() => new Reshape({ targetShape: [-1, -1] })).toThrow(/only one dimension/);
    expect(() => new Reshape({ targetShape: [0, 2] })).toThrow(/positive integers/);
  });
});
