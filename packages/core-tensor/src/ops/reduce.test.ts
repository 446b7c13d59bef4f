import { describe, expect, it } from 'vitest';
import type { Tensor } from '../index';
import * as bp from '../index';
import { ArgumentError, AxisError, full, tensor } from '../index';
import { describeBackends, expectClose, randomValues, rng, tolFor } from '../testing/assert';
import { refReduce } from '../testing/reference';

type Axis = number | number[] | undefined;

const mean = (c: number[]) => c.reduce((s, v) => s + v, 0) / c.length;
/** log(eᵃ + eᵇ) folded pairwise: a different route to logΣexp than max-subtraction. */
const logAddExp = (a: number, b: number) => {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(-Math.abs(a - b)));
};

const FOLDS: Record<
  string,
  { fold: (c: number[]) => number; run: (t: Tensor, ax: Axis, k: boolean) => Tensor }
> = {
  sum: { fold: (c) => c.reduce((s, v) => s + v, 0), run: (t, a, k) => bp.sum(t, a, k) },
  prod: { fold: (c) => c.reduce((s, v) => s * v, 1), run: (t, a, k) => bp.prod(t, a, k) },
  max: {
    fold: (c) => c.reduce((s, v) => (v > s || Number.isNaN(v) ? v : s), -Infinity),
    run: (t, a, k) => bp.max(t, a, k),
  },
  min: {
    fold: (c) => c.reduce((s, v) => (v < s || Number.isNaN(v) ? v : s), Infinity),
    run: (t, a, k) => bp.min(t, a, k),
  },
  mean: { fold: mean, run: (t, a, k) => bp.mean(t, a, k) },
  variance: {
    fold: (c) => mean(c.map((v) => (v - mean(c)) ** 2)),
    run: (t, a, k) => bp.variance(t, a, k),
  },
  std: { fold: (c) => Math.sqrt(mean(c.map((v) => (v - mean(c)) ** 2))), run: (t, a, k) => bp.std(t, a, k) },
  logSumExp: { fold: (c) => c.reduce(logAddExp, -Infinity), run: (t, a, k) => bp.logSumExp(t, a, k) },
  'norm (euclidean)': {
    fold: (c) => Math.sqrt(c.reduce((s, v) => s + v * v, 0)),
    run: (t, a, k) => bp.norm(t, 'euclidean', a, k),
  },
  'norm 1': { fold: (c) => c.reduce((s, v) => s + Math.abs(v), 0), run: (t, a, k) => bp.norm(t, 1, a, k) },
  'norm Infinity': {
    fold: (c) => c.reduce((s, v) => Math.max(s, Math.abs(v)), 0),
    run: (t, a, k) => bp.norm(t, Infinity, a, k),
  },
  'norm 3': {
    fold: (c) => c.reduce((s, v) => s + Math.abs(v) ** 3, 0) ** (1 / 3),
    run: (t, a, k) => bp.norm(t, 3, a, k),
  },
};

const SHAPE = [2, 3, 4];
const AXES: { axis: Axis; axes: number[] }[] = [
  { axis: undefined, axes: [0, 1, 2] },
  { axis: 0, axes: [0] },
  { axis: 1, axes: [1] },
  { axis: -1, axes: [2] },
  { axis: [0, 2], axes: [0, 2] },
  { axis: [-1, -2], axes: [1, 2] },
  { axis: [0, 1, 2], axes: [0, 1, 2] },
  { axis: [], axes: [] },
];

describeBackends('reductions', () => {
  describe.each(['float64', 'float32'] as const)('%s', (dtype) => {
    const values = randomValues(rng(5), 24, -2, 2);
    it.each(Object.keys(FOLDS))('%s over every axis combination, with and without keepDims', (name) => {
      const { fold, run } = FOLDS[name]!;
      const x = tensor(values, SHAPE, dtype);
      for (const { axis, axes } of AXES) {
        const ref = refReduce(x.dataSync(), SHAPE, axes, fold);
        for (const keepDims of [false, true]) {
          const y = run(x, axis, keepDims);
          const label = `${name} axis=${JSON.stringify(axis)} keepDims=${keepDims}`;
          const shape = keepDims ? SHAPE.map((d, i) => (axes.includes(i) ? 1 : d)) : ref.shape;
          expect(y.shape, label).toEqual(shape);
          expect(y.dtype, label).toBe(dtype);
          const tol = dtype === 'float64' ? tolFor(dtype) : { rtol: 1e-5, atol: 1e-6 };
          expectClose(y.dataSync(), ref.values, tol, label);
        }
      }
    });
  });

  it('argmax/argmin return int32 indices of the first extreme; without an axis, into the flattened tensor', () => {
    const x = tensor([
      [1, 5, 5],
      [7, -1, 7],
    ]);
    expect(bp.argmax(x, 1).arraySync()).toEqual([1, 0]);
    expect(bp.argmin(x, 1).arraySync()).toEqual([0, 1]);
    expect(bp.argmax(x, 0).arraySync()).toEqual([1, 0, 1]);
    expect(bp.argmax(x, -2).arraySync()).toEqual([1, 0, 1]);
    expect(bp.argmax(x).arraySync()).toBe(3);
    expect(bp.argmin(x).arraySync()).toBe(4);
    expect(bp.argmax(x, 1).dtype).toBe('int32');
    expect(bp.argmax(tensor(4)).arraySync()).toBe(0);
  });

  it('argmax/argmin match a loop on random 3-D input along every axis', () => {
    const values = randomValues(rng(9), 60);
    const shape = [3, 4, 5];
    const x = tensor(values, shape, 'float64');
    for (const axis of [0, 1, 2]) {
      for (const [name, better] of [
        ['argmax', (a: number, b: number) => a > b],
        ['argmin', (a: number, b: number) => a < b],
      ] as const) {
        const ref = refReduce(values, shape, [axis], (c) =>
          c.reduce((best, v, i) => (better(v, c[best]!) ? i : best), 0),
        );
        const y = name === 'argmax' ? bp.argmax(x, axis) : bp.argmin(x, axis);
        expect(Array.from(y.dataSync()), `${name} ${axis}`).toEqual(ref.values);
      }
    }
  });

  it('NaN wins in max/min/argmax/argmin and propagates through sum/mean/logSumExp', () => {
    const x = tensor([
      [1, NaN, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(bp.max(x, 1).dataSync())).toEqual([NaN, 6]);
    expect(Array.from(bp.min(x, 1).dataSync())).toEqual([NaN, 4]);
    expect(Array.from(bp.max(tensor([NaN, 1, 2])).dataSync())).toEqual([NaN]);
    expect(Array.from(bp.max(tensor([1, NaN, 9])).dataSync())).toEqual([NaN]);
    expect(Array.from(bp.argmax(x, 1).dataSync())).toEqual([1, 2]);
    expect(Array.from(bp.argmin(tensor([3, 1, NaN, 0])).dataSync())).toEqual([2]);
    expect(Array.from(bp.sum(x, 1).dataSync())).toEqual([NaN, 15]);
    expect(Array.from(bp.mean(x, 1).dataSync())).toEqual([NaN, 5]);
    expect(Array.from(bp.logSumExp(x, 1).dataSync())[0]).toBeNaN();
  });

  it('logSumExp is stable for huge logits and exact at ±Inf', () => {
    const big = bp.logSumExp(tensor([1e4, 1e4 - 1, -1e4]));
    expectClose(big.dataSync(), [Math.fround(1e4 + Math.log1p(Math.exp(-1)))]);
    expect(Array.from(bp.logSumExp(tensor([-Infinity, -Infinity])).dataSync())).toEqual([-Infinity]);
    expect(Array.from(bp.logSumExp(tensor([Infinity, 1])).dataSync())).toEqual([Infinity]);
    expect(Array.from(bp.logSumExp(tensor([-Infinity, 0])).dataSync())).toEqual([0]);
    expectClose(bp.logSumExp(tensor([-1e4, -1e4], undefined, 'float64')).dataSync(), [-1e4 + Math.LN2], {
      rtol: 1e-15,
    });
  });

  it('sums float32 in a float64 accumulator', () => {
    const y = bp.sum(full([100000], 0.1)).dataSync()[0]!;
    // A float32 running sum drifts to ≈9998.6; a float64 one rounds to exactly this.
    expect(y).toBe(Math.fround(100000 * Math.fround(0.1)));
  });

  it('integer and bool inputs: sum/prod/max keep int32 (bool sums to int32), mean/variance give float32', () => {
    const i = tensor([1, 2, 3, 4], [2, 2], 'int32');
    expect(bp.sum(i).dtype).toBe('int32');
    expect(bp.sum(i).arraySync()).toBe(10);
    expect(bp.prod(i, 0).arraySync()).toEqual([3, 8]);
    expect(bp.max(i, 1).dtype).toBe('int32');
    expect(bp.sum(tensor([true, true, false])).dtype).toBe('int32');
    expect(bp.sum(tensor([true, true, false])).arraySync()).toBe(2);
    expect(bp.mean(i).dtype).toBe('float32');
    expect(bp.mean(i).arraySync()).toBe(2.5);
    expect(bp.variance(i).arraySync()).toBe(1.25);
  });

  it('size-0 inputs: sum is 0, prod is 1, mean is NaN, max has no identity', () => {
    const e = tensor([], [0, 3]);
    expect(bp.sum(e, 0).arraySync()).toEqual([0, 0, 0]);
    expect(bp.prod(e, 0).arraySync()).toEqual([1, 1, 1]);
    expect(bp.sum(e, 1).shape).toEqual([0]);
    expect(bp.max(e, 1).shape).toEqual([0]);
    expect(Number.isNaN(bp.mean(e).arraySync())).toBe(true);
    expect(() => bp.max(e, 0)).toThrow(ArgumentError);
    expect(() => bp.argmax(e, 0)).toThrow(/argmax: axis 0 has size 0/);
    // log of an empty sum is log 0.
    expect(Array.from(bp.logSumExp(e, 0).dataSync())).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(bp.logSumExp(e, 0, true).shape).toEqual([1, 3]);
    expect(bp.logSumExp(e, 1).shape).toEqual([0]);
  });

  it('rejects bad axes and ords', () => {
    const x = tensor([[1, 2]]);
    expect(() => bp.sum(x, 2)).toThrow(AxisError);
    expect(() => bp.sum(x, 2)).toThrow('sum: axis 2 is out of range for a tensor of rank 2 (expected -2..1)');
    expect(() => bp.mean(x, [0, -2])).toThrow('mean: axis 0 is repeated in [0,-2]');
    expect(() => bp.argmax(x, 1.5)).toThrow(AxisError);
    expect(() => bp.norm(x, 0.5)).toThrow(/norm: ord must be/);
    expect(() => bp.argmax(tensor([true]))).toThrow(/argmax: x must be numeric/);
  });

  it('is available as chainable methods', () => {
    const x = tensor([
      [1, -2],
      [3, 4],
    ]);
    const same = (a: Tensor, b: Tensor) => expect(a.arraySync()).toEqual(b.arraySync());
    same(x.sum(0), bp.sum(x, 0));
    same(x.mean(1, true), bp.mean(x, 1, true));
    same(x.max(), bp.max(x));
    same(x.min(0), bp.min(x, 0));
    same(x.prod(1), bp.prod(x, 1));
    same(x.argmax(1), bp.argmax(x, 1));
    same(x.argmin(), bp.argmin(x));
    same(x.variance(0), bp.variance(x, 0));
    same(x.std(), bp.std(x));
    same(x.logSumExp(1), bp.logSumExp(x, 1));
    same(x.norm(1, 0), bp.norm(x, 1, 0));
  });
});
