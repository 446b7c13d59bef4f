import { ArgumentError, ShapeError, StateError, tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import {
  MinMaxScaler,
  StandardScaler,
  iris,
  minMaxNormalize,
  oneHot,
  standardize,
  trainTestSplit,
} from '../src/index';
import { list } from './helpers';

const close = (a: ArrayLike<number>, b: number[], digits = 5): void => {
  expect(a.length).toBe(b.length);
  b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, digits));
};

describe('MinMaxScaler', () => {
  const train = tensor([
    [1, 10],
    [3, 30],
    [5, 20],
  ]);

  it('maps each feature of the fitted data to [0, 1] and applies the same map to new data', () => {
    const s = new MinMaxScaler().fit(train);
    close(s.transform(train).dataSync(), [0, 0, 0.5, 1, 1, 0.5]);
    // Test data may fall outside the training range: no clipping, as in scikit-learn.
    close(s.transform(tensor([[7, 0]])).dataSync(), [1.5, -0.5]);
    expect(list(s.dataMin!)).toEqual([1, 10]);
    expect(list(s.dataMax!)).toEqual([5, 30]);
  });

  it('honours featureRange, round-trips through inverseTransform and works per feature over extra axes', () => {
    const s = new MinMaxScaler({ featureRange: [-1, 1] });
    const out = s.fitTransform(train);
    close(out.dataSync(), [-1, -1, 0, 1, 1, 0]);
    close(s.inverseTransform(out).dataSync(), [1, 10, 3, 30, 5, 20]);
    const images = tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]); // 2 samples of 2×2
    const scaled = minMaxNormalize(images);
    expect(scaled.shape).toEqual([2, 2, 2]);
    close(scaled.dataSync(), [0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('a constant feature maps to the low end instead of dividing by zero', () => {
    close(minMaxNormalize(tensor([[2], [2]]), [3, 4]).dataSync(), [3, 3]);
  });

  it('errors: transform before fit, another feature shape, a bad range', () => {
    expect(() => new MinMaxScaler().transform(train)).toThrow(StateError);
    expect(() => new MinMaxScaler().fit(train).transform(tensor([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => new MinMaxScaler({ featureRange: [1, 1] })).toThrow(ArgumentError);
  });
});

describe('StandardScaler', () => {
  it('fits mean and population deviation on the training data and applies them to test data', () => {
    const train = tensor([
      [1, 100],
      [2, 100],
      [3, 100],
      [6, 100],
    ]);
    const s = new StandardScaler().fit(train);
    const mean = 3;
    const sd = Math.sqrt(((1 - 3) ** 2 + (2 - 3) ** 2 + 0 + (6 - 3) ** 2) / 4);
    close(s.mean!, [mean, 100]);
    close(s.std!, [sd, 0]);
    // The constant second feature is only centred.
    close(s.transform(tensor([[4, 101]])).dataSync(), [(4 - mean) / sd, 1]);
    const z = s.transform(train).dataSync();
    const col = [0, 1, 2, 3].map((i) => z[i * 2]!);
    expect(col.reduce((a, b) => a + b)).toBeCloseTo(0, 6);
    expect(col.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(1, 6);
    close(s.inverseTransform(s.transform(train)).dataSync(), list(train.dataSync()), 4);
  });

  it('stays accurate for a large offset (two-pass variance)', () => {
    const x = tensor(new Float64Array([1e8 + 1, 1e8 + 2, 1e8 + 3]), [3, 1]);
    const z = standardize(x);
    expect(z.dtype).toBe('float64');
    close(z.dataSync(), [-Math.sqrt(1.5), 0, Math.sqrt(1.5)], 9);
  });

  it('standardizing iris gives each feature mean 0 and deviation 1', () => {
    const z = standardize(iris().xs).dataSync();
    for (let j = 0; j < 4; j++) {
      const c = Array.from({ length: 150 }, (_, i) => z[i * 4 + j]!);
      const m = c.reduce((a, b) => a + b) / 150;
      expect(m).toBeCloseTo(0, 5);
      expect(c.reduce((a, b) => a + (b - m) ** 2, 0) / 150).toBeCloseTo(1, 5);
    }
  });
});

describe('oneHot', () => {
  it('encodes class ids as float32 rows', () => {
    const t = oneHot([0, 2, 1], 3);
    expect(t.shape).toEqual([3, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.arraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
  });

  it('takes int32 tensors of any shape and infers the class count', () => {
    const t = oneHot(tensor([[1], [3]], [2, 1], 'int32'));
    expect(t.shape).toEqual([2, 1, 4]);
    expect(list(t.dataSync())).toEqual([0, 1, 0, 0, 0, 0, 0, 1]);
  });

  it('an id out of range or fractional is an error naming its position', () => {
    expect(() => oneHot([0, 3], 3)).toThrow(/label 3 at position 1 is not a class id in \[0, 3\)/);
    expect(() => oneHot([0.5], 2)).toThrow(/position 0/);
    expect(() => oneHot([-1], 2)).toThrow(ArgumentError);
  });
});

describe('trainTestSplit', () => {
  const n = 40;
  const data = {
    xs: tensor(
      Float32Array.from({ length: n * 2 }, (_, i) => i),
      [n, 2],
    ),
    ys: tensor(
      Int32Array.from({ length: n }, (_, i) => i),
      [n],
      'int32',
    ),
  };

  it('splits rows consistently across tensors, disjoint and complete', () => {
    const { train, test } = trainTestSplit(data, { testSize: 0.25, seed: 1 });
    expect(train.xs.shape).toEqual([30, 2]);
    expect(test.ys.shape).toEqual([10]);
    const ids = [...train.ys.dataSync(), ...test.ys.dataSync()];
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    const x = train.xs.dataSync();
    train.ys.dataSync().forEach((id, k) => expect([x[2 * k], x[2 * k + 1]]).toEqual([2 * id, 2 * id + 1]));
  });

  it('is seeded, takes a sample count, and without shuffle takes the last rows', () => {
    const a = trainTestSplit(data, { seed: 5 }).test.ys.dataSync();
    expect(list(trainTestSplit(data, { seed: 5 }).test.ys.dataSync())).toEqual(list(a));
    expect(list(trainTestSplit(data, { seed: 6 }).test.ys.dataSync())).not.toEqual(list(a));
    expect(trainTestSplit(data, { testSize: 7, seed: 0 }).test.ys.shape).toEqual([7]);
    expect(list(trainTestSplit(data, { testSize: 3, shuffle: false }).test.ys.dataSync())).toEqual([
      37, 38, 39,
    ]);
  });

  it('stratify keeps class proportions in both parts', () => {
    const { train, test } = trainTestSplit(iris(), { testSize: 0.2, seed: 0, stratify: true });
    const count = (ys: ArrayLike<number>): number[] => {
      const c = [0, 0, 0];
      for (let i = 0; i < ys.length; i++) c[ys[i]!]!++;
      return c;
    };
    expect(count(test.ys.dataSync())).toEqual([10, 10, 10]);
    expect(count(train.ys.dataSync())).toEqual([40, 40, 40]);
  });

  it('errors: tensors of different lengths, bad testSize, unknown stratify key', () => {
    expect(() => trainTestSplit({ a: tensor([1, 2]), b: tensor([1, 2, 3]) })).toThrow(ShapeError);
    expect(() => trainTestSplit(data, { testSize: 0 })).toThrow(/testSize/);
    expect(() => trainTestSplit(data, { testSize: 40 })).toThrow(/testSize/);
    expect(() => trainTestSplit(data, { stratify: 'labels' })).toThrow(/'labels'/);
  });
});
