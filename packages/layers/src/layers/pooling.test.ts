import { describe, expect, it } from 'vitest';
import type { Tensor } from '@backprop/core-tensor';
import { ones, randomUniform, zeros } from '@backprop/core-tensor';
import { runLayerTest } from '../testing';
import { AveragePooling2D, MaxPooling2D } from './index';

/** Direct loops; 'same' pads like TF and only real cells enter the max or the average. */
function naivePool(
  x: Tensor,
  kind: 'max' | 'avg',
  k: [number, number],
  s: [number, number],
  padding: 'valid' | 'same',
): number[] {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const xv = x.arraySync() as number[][][][];
  const geo = (n: number, kk: number, ss: number): [number, number] => {
    if (padding === 'valid') return [Math.floor((n - kk) / ss) + 1, 0];
    const out = Math.ceil(n / ss);
    return [out, Math.floor(Math.max(0, (out - 1) * ss + kk - n) / 2)];
  };
  const [OH, pt] = geo(H, k[0], s[0]);
  const [OW, pl] = geo(W, k[1], s[1]);
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++)
        for (let c = 0; c < C; c++) {
          const cells: number[] = [];
          for (let p = 0; p < k[0]; p++)
            for (let q = 0; q < k[1]; q++) {
              const h = i * s[0] + p - pt;
              const w = j * s[1] + q - pl;
              if (h >= 0 && h < H && w >= 0 && w < W) cells.push(xv[n]![h]![w]![c]!);
            }
          out.push(kind === 'max' ? Math.max(...cells) : cells.reduce((a, b) => a + b, 0) / cells.length);
        }
  return out;
}

describe.each([
  ['MaxPooling2D', MaxPooling2D, 'max'],
  ['AveragePooling2D', AveragePooling2D, 'avg'],
] as const)('%s', (_, Cls, kind) => {
  it('passes runLayerTest with the defaults (2×2, stride 2, valid)', () => {
    runLayerTest(() => new Cls(), {
      inputShape: [2, 4, 5, 3],
      expectedOutputShape: [2, 2, 2, 3],
      expectedNumTrainableWeights: 0,
    });
  });

  it('passes runLayerTest with 3×3 windows, stride 2, same padding', () => {
    runLayerTest(() => new Cls({ poolSize: 3, strides: 2, padding: 'same' }), {
      inputShape: [1, 5, 4, 2],
      expectedOutputShape: [1, 3, 2, 2],
    });
  });

  it.each([
    [[2, 2], [2, 2], 'valid'],
    [[3, 3], [2, 2], 'same'],
    [[3, 2], [1, 2], 'same'],
    [[2, 3], [3, 1], 'valid'],
  ] as const)('matches a naive loop: pool %j stride %j %s', (k, s, padding) => {
    const x = randomUniform([2, 5, 6, 2], { seed: 4, minval: -1, maxval: 1 });
    const y = new Cls({ poolSize: k, strides: s, padding }).apply(x);
    const ref = naivePool(x, kind, [k[0], k[1]], [s[0], s[1]], padding);
    const got = y.dataSync();
    expect(got.length).toBe(ref.length);
    ref.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
  });

  it('defaults strides to poolSize and stores them resolved', () => {
    const c = new Cls({ poolSize: [3, 2] }).getConfig();
    expect(c.poolSize).toEqual([3, 2]);
    expect(c.strides).toEqual([3, 2]);
    expect(c.padding).toBe('valid');
  });

  it('rejects input that is not rank 4, naming itself', () => {
    expect(() => new Cls({ name: 'pool' }).apply(zeros([2, 4, 4]))).toThrow(
      /pool \(\w+Pooling2D\): expected input of rank 4/,
    );
  });
});

describe('AveragePooling2D', () => {
  it("divides by the real cells at 'same' borders", () => {
    // 1×3 row of ones, window 1×2, stride 2, 'same': the last window has one real cell and one pad.
    const y = new AveragePooling2D({ poolSize: [1, 2], strides: [1, 2], padding: 'same' }).apply(
      ones([1, 1, 3, 1]),
    );
    // Dividing by the full window (pads counted as zeros) would give 0.5 for the last one.
    expect(Array.from(y.dataSync())).toEqual([1, 1]);
  });
});
