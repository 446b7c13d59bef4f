import type { Axis, NormOrd, Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { grad, gradcheck } from './index';
import { distinct, rand, randAway } from './testing';

// Every way of choosing axes on a [2,3,4] input: all, one (positive and negative), several, none kept.
const AXES: (Axis | undefined)[] = [undefined, 0, 1, -1, [0, 2], [-1, 0], [0, 1, 2]];
const CASES = AXES.flatMap((axis) => [false, true].map((keepDims) => ({ axis, keepDims })));
const label = ({ axis, keepDims }: { axis: Axis | undefined; keepDims: boolean }): string =>
  `axis ${JSON.stringify(axis) ?? 'all'}${keepDims ? ', keepDims' : ''}`;

type Reduce = (x: Tensor, axis: Axis | undefined, keepDims: boolean) => Tensor;
const REDUCTIONS: [string, Reduce, (seed: number) => Tensor][] = [
  ['sum', T.sum, (seed) => rand([2, 3, 4], seed)],
  ['mean', T.mean, (seed) => rand([2, 3, 4], seed)],
  // distinct values: the gradient of max/min is defined only without ties (ties are tested below)
  ['max', T.max, (seed) => distinct([2, 3, 4], seed)],
  ['min', T.min, (seed) => distinct([2, 3, 4], seed)],
  ['prod', T.prod, (seed) => randAway([2, 3, 4], seed, 0.5, 1.5)],
  ['variance', T.variance, (seed) => rand([2, 3, 4], seed)],
  ['std', T.std, (seed) => rand([2, 3, 4], seed)],
  ['logSumExp', T.logSumExp, (seed) => rand([2, 3, 4], seed, -3, 3)],
];

describe('gradients of reductions over every choice of axes, with and without keepDims (gradcheck)', () => {
  for (const [name, f, draw] of REDUCTIONS) {
    it.each(CASES.map((c, i) => ({ ...c, i, name: label(c) })))(`${name}: $name`, ({ axis, keepDims, i }) => {
      gradcheck((x) => f(x, axis, keepDims), [draw(i)]);
    });
  }
});

describe('norm', () => {
  // ord 1 has a kink at 0 and ∞ one at ties of |x|: their inputs avoid both.
  const ORDS: [NormOrd, (seed: number) => Tensor][] = [
    ['euclidean', (seed) => rand([2, 3, 4], seed)],
    ['fro', (seed) => rand([2, 3, 4], seed)],
    [2, (seed) => rand([2, 3, 4], seed)],
    [1, (seed) => randAway([2, 3, 4], seed)],
    [Infinity, (seed) => distinct([2, 3, 4], seed)],
    [3, (seed) => randAway([2, 3, 4], seed)],
    [1.5, (seed) => randAway([2, 3, 4], seed)],
  ];
  for (const [ord, draw] of ORDS) {
    it.each(CASES.filter((_, i) => i % 3 === 0).map((c, i) => ({ ...c, i, name: label(c) })))(
      `ord ${ord}: $name`,
      ({ axis, keepDims, i }) => {
        gradcheck((x) => T.norm(x, ord, axis, keepDims), [draw(i)]);
      },
    );
  }

  it('the 2-norm at the origin has gradient 0 (a subgradient), not NaN', () => {
    const g = grad((x: Tensor) => T.norm(x))(tensor([0, 0, 0]));
    expect(g.arraySync()).toEqual([0, 0, 0]);
  });
});

describe('ties and zeros', () => {
  it('max shares the gradient equally among tied maxima (as PyTorch)', () => {
    const g = grad((x: Tensor) => T.max(x, 1).sum())(
      tensor([
        [1, 3, 3],
        [2, 0, 1],
      ]),
    );
    expect(g.arraySync()).toEqual([
      [0, 0.5, 0.5],
      [1, 0, 0],
    ]);
  });

  it('min shares the gradient equally among tied minima', () => {
    const g = grad((x: Tensor) => T.min(x))(tensor([2, -1, -1, -1]));
    expect(Array.from(g.dataSync())).toEqual([0, 1 / 3, 1 / 3, 1 / 3].map(Math.fround));
  });

  it('prod with one zero: the zero gets the product of the others, the rest get 0 (no NaN)', () => {
    const g = grad((x: Tensor) => T.prod(x))(tensor([0, 2, 3]));
    expect(g.arraySync()).toEqual([6, 0, 0]);
  });

  it('prod with two zeros: every gradient is 0', () => {
    const g = grad((x: Tensor) => T.prod(x))(tensor([0, 2, 0]));
    expect(g.arraySync()).toEqual([0, 0, 0]);
  });

  it('prod is multilinear, so gradcheck holds even at zeros, slice by slice', () => {
    // row 0 has no zero, row 1 one zero, row 2 two zeros
    const x = tensor(
      [
        [0.5, -1.5, 2],
        [0.7, 0, 1.3],
        [0, 0, -2],
      ],
      undefined,
      'float64',
    );
    gradcheck((a) => T.prod(a, 1), [x]);
    gradcheck((a) => T.prod(a, 0, true), [x]);
  });

  it('reductions of int tensors are not recorded: no gradient flows through integers', () => {
    const x = tensor([1.5, 2.5]);
    const g = grad((a: Tensor) => T.sum(T.cast(a, 'int32')).cast('float32').add(a.sum()))(x);
    expect(g.arraySync()).toEqual([1, 1]);
  });
});
