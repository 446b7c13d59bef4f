import type { Conv2DOptions, Pool2DOptions } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { describe, it } from 'vitest';
import { gradcheck } from './index';
import { distinct, rand } from './testing';

// x [N=2, H=5, W=6, C=2], filters HWIO with 3 output channels.
const CONV: [string, number[], Conv2DOptions][] = [
  ['valid', [3, 3, 2, 3], { padding: 'valid' }],
  ['same', [3, 2, 2, 3], { padding: 'same' }],
  ['same with stride 2 (uneven padding)', [2, 3, 2, 3], { padding: 'same', strides: 2 }],
  [
    'explicit padding',
    [3, 3, 2, 3],
    {
      padding: [
        [1, 0],
        [2, 1],
      ],
    },
  ],
  ['strides [2, 1]', [3, 3, 2, 3], { strides: [2, 1] }],
  ['dilation 2', [2, 2, 2, 3], { dilations: 2 }],
  ['dilation with same padding', [2, 3, 2, 3], { dilations: [2, 1], padding: 'same' }],
];

describe('conv2d gradients, with respect to input and filter (gradcheck)', () => {
  it.each(CONV)('%s', (_, wShape, options) => {
    gradcheck((x, w) => T.conv2d(x, w, options), [rand([2, 5, 6, 2], 1), rand(wShape, 2)]);
  });
});

describe('conv2d is twice differentiable: its gradient ops have gradients (gradcheck)', () => {
  it.each(CONV)('%s', (_, wShape, options) => {
    const x = rand([2, 5, 6, 2], 3);
    const w = rand(wShape, 4);
    const dy = rand(T.conv2d(x, w, options).shape, 5);
    gradcheck((d, f) => T.conv2dBackpropInput(d, f, x.shape, options), [dy, w]);
    gradcheck((a, d) => T.conv2dBackpropFilter(a, d, w.shape, options), [x, dy]);
  });
});

// Distinct inputs: the max of a window must not be tied, or its gradient is not defined.
const POOL: [string, Pool2DOptions][] = [
  ['2×2 (default strides = pool size)', { poolSize: 2 }],
  ['3×3 stride 1', { poolSize: 3, strides: 1 }],
  ['[2,3] stride [1,2]', { poolSize: [2, 3], strides: [1, 2] }],
  ['same padding', { poolSize: 2, padding: 'same' }],
  ['same padding, stride 2, window 3', { poolSize: 3, strides: 2, padding: 'same' }],
  [
    'explicit padding',
    {
      poolSize: 2,
      strides: 1,
      padding: [
        [1, 0],
        [0, 1],
      ],
    },
  ],
];

describe('pooling gradients (gradcheck)', () => {
  it.each(POOL)('maxPool2d %s', (_, options) => {
    gradcheck((x) => T.maxPool2d(x, options), [distinct([2, 5, 5, 2], 6)]);
  });

  it.each(POOL)('avgPool2d %s', (_, options) => {
    gradcheck((x) => T.avgPool2d(x, options), [rand([2, 5, 5, 2], 7)]);
  });

  it.each(POOL)('avgPool2d is twice differentiable: %s', (_, options) => {
    const x = rand([1, 5, 5, 2], 8);
    const dy = rand(T.avgPool2d(x, options).shape, 9);
    gradcheck((d) => T.avgPool2dBackprop(d, x, options), [dy]);
  });
});
