import { describe, expect, it } from 'vitest';
import type { Tensor } from '@backprop/core-tensor';
import { randomUniform, zeros } from '@backprop/core-tensor';
import { runLayerTest } from '../testing';
import type { Conv2DArgs } from './index';
import { Conv2D } from './index';

/**
 * Direct loops over NHWC input and an HWIO kernel, with TF's padding rule written out independently:
 * 'same' pads total = max(0, (out−1)·s + (k−1)·d + 1 − n), floor(total/2) before.
 */
function naiveConv(
  x: Tensor,
  k: Tensor,
  b: Tensor | null,
  s: number,
  d: number,
  padding: 'valid' | 'same',
): number[][][][] {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const [KH, KW, , F] = k.shape as [number, number, number, number];
  const xv = x.arraySync() as number[][][][];
  const kv = k.arraySync() as number[][][][];
  const bv = b ? (b.arraySync() as number[]) : null;
  const geo = (n: number, kk: number): [number, number] => {
    const eff = (kk - 1) * d + 1;
    if (padding === 'valid') return [Math.floor((n - eff) / s) + 1, 0];
    const out = Math.ceil(n / s);
    return [out, Math.floor(Math.max(0, (out - 1) * s + eff - n) / 2)];
  };
  const [OH, pt] = geo(H, KH);
  const [OW, pl] = geo(W, KW);
  const out: number[][][][] = [];
  for (let n = 0; n < N; n++) {
    const img: number[][][] = [];
    for (let i = 0; i < OH; i++) {
      const row: number[][] = [];
      for (let j = 0; j < OW; j++) {
        const px: number[] = [];
        for (let f = 0; f < F; f++) {
          let acc = bv ? bv[f]! : 0;
          for (let p = 0; p < KH; p++) {
            for (let q = 0; q < KW; q++) {
              const h = i * s + p * d - pt;
              const w = j * s + q * d - pl;
              if (h < 0 || h >= H || w < 0 || w >= W) continue;
              for (let c = 0; c < C; c++) acc += xv[n]![h]![w]![c]! * kv[p]![q]![c]![f]!;
            }
          }
          px.push(acc);
        }
        row.push(px);
      }
      img.push(row);
    }
    out.push(img);
  }
  return out;
}

describe('Conv2D', () => {
  const cases: [string, Conv2DArgs, number[], number[]][] = [
    ['valid padding', { filters: 3, kernelSize: 3 }, [2, 5, 5, 2], [2, 3, 3, 3]],
    [
      'same padding, stride 2',
      { filters: 2, kernelSize: [3, 2], strides: 2, padding: 'same' },
      [2, 5, 6, 3],
      [2, 3, 3, 2],
    ],
    [
      'dilation 2, tanh, no bias',
      { filters: 2, kernelSize: 2, dilationRate: 2, activation: 'tanh', useBias: false },
      [1, 5, 5, 1],
      [1, 3, 3, 2],
    ],
  ];
  it.each(cases)('passes runLayerTest with %s', (_, args, inputShape, expectedOutputShape) => {
    runLayerTest(() => new Conv2D(args), {
      inputShape,
      expectedOutputShape,
      expectedNumTrainableWeights: args.useBias === false ? 1 : 2,
    });
  });

  it.each([
    ['valid', 1, 1],
    ['same', 1, 1],
    ['same', 2, 1],
    ['valid', 2, 1],
    ['same', 1, 2],
  ] as const)('matches a naive loop with padding %s, stride %i, dilation %i', (padding, s, d) => {
    const layer = new Conv2D({
      filters: 3,
      kernelSize: [3, 2],
      strides: s,
      dilationRate: d,
      padding,
      biasInitializer: 'ones',
    });
    const x = randomUniform([2, 6, 5, 2], { seed: 1, minval: -1, maxval: 1 });
    const y = layer.apply(x);
    const ref = naiveConv(x, layer.kernel!, layer.bias!, s, d, padding);
    expect(y.shape).toEqual([ref.length, ref[0]!.length, ref[0]![0]!.length, 3]);
    const got = y.dataSync();
    ref.flat(3).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });

  it('lays the kernel out HWIO and the bias per filter', () => {
    const layer = new Conv2D({ filters: 4, kernelSize: [3, 2] });
    layer.apply(zeros([1, 5, 5, 3]));
    expect(layer.kernel!.shape).toEqual([3, 2, 3, 4]);
    expect(layer.bias!.shape).toEqual([4]);
    expect(layer.countParams()).toBe(3 * 2 * 3 * 4 + 4);
  });

  it('computes output shapes with unknown spatial dimensions', () => {
    const layer = new Conv2D({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' });
    expect(layer.computeOutputShape([null, 7, null, 3])).toEqual([null, 4, null, 8]);
    expect(new Conv2D({ filters: 8, kernelSize: 3 }).computeOutputShape([null, 7, 7, 3])).toEqual([
      null,
      5,
      5,
      8,
    ]);
  });

  it('rejects input of the wrong rank or channel count, naming itself', () => {
    expect(() => new Conv2D({ name: 'conv', filters: 2, kernelSize: 3 }).apply(zeros([2, 3]))).toThrow(
      /conv \(Conv2D\): expected input of rank 4 \[batch, height, width, channels\], got \(None, 3\)/,
    );
    const layer = new Conv2D({ name: 'conv_c', filters: 2, kernelSize: 1 });
    layer.apply(zeros([1, 4, 4, 3]));
    expect(() => layer.apply(zeros([1, 4, 4, 2]))).toThrow(/conv_c \(Conv2D\)/);
  });

  it('rejects invalid options', () => {
    expect(() => new Conv2D({ filters: 0, kernelSize: 3 })).toThrow(/filters must be a positive integer/);
    expect(() => new Conv2D({ filters: 1, kernelSize: [3, 0] })).toThrow(/kernelSize/);
    expect(() => new Conv2D({ filters: 1, kernelSize: 3, padding: 'full' as 'same' })).toThrow(
      /padding must be 'valid' or 'same'/,
    );
  });
});
