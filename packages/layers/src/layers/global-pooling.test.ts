import { describe, expect, it } from 'vitest';
import { randomUniform, zeros } from '@backprop/core-tensor';
import { runLayerTest } from '../testing';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './index';

describe.each([
  [
    'GlobalAveragePooling2D',
    GlobalAveragePooling2D,
    (c: number[]) => c.reduce((a, b) => a + b, 0) / c.length,
  ],
  ['GlobalMaxPooling2D', GlobalMaxPooling2D, (c: number[]) => Math.max(...c)],
] as const)('%s', (_, Cls, fold) => {
  it('passes runLayerTest', () => {
    runLayerTest(() => new Cls(), {
      inputShape: [2, 3, 4, 5],
      expectedOutputShape: [2, 5],
      expectedNumTrainableWeights: 0,
    });
  });

  it('passes runLayerTest with keepDims', () => {
    runLayerTest(() => new Cls({ keepDims: true }), {
      inputShape: [2, 3, 4, 5],
      expectedOutputShape: [2, 1, 1, 5],
    });
  });

  it('pools each channel of each sample over height and width', () => {
    const x = randomUniform([2, 3, 4, 5], { seed: 1 });
    const xv = x.arraySync() as number[][][][];
    const got = new Cls().apply(x).arraySync() as number[][];
    for (let n = 0; n < 2; n++)
      for (let c = 0; c < 5; c++) expect(got[n]![c]).toBeCloseTo(fold(xv[n]!.flat().map((px) => px[c]!)), 6);
  });

  it('rejects input that is not rank 4', () => {
    expect(() => new Cls({ name: 'gp' }).apply(zeros([2, 3]))).toThrow(
      /gp \(Global\w+\): expected input of rank 4/,
    );
  });
});
