import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  arange,
  eye,
  full,
  linspace,
  ones,
  onesLike,
  scalar,
  tensor,
  zeros,
  zerosLike,
} from '../index';
import { describeBackends } from '../testing/assert';

describeBackends('factories', () => {
  describe('tensor', () => {
    it('infers shape from nested arrays, dtype float32 by default and bool for booleans', () => {
      const t = tensor([
        [[1], [2]],
        [[3], [4]],
      ]);
      expect(t.shape).toEqual([2, 2, 1]);
      expect(t.dtype).toBe('float32');
      expect(tensor([[true], [false]]).dtype).toBe('bool');
      expect(tensor(true).shape).toEqual([]);
      expect(tensor(5).arraySync()).toBe(5);
    });

    it('keeps the dtype of typed arrays and copies them (later writes do not leak in)', () => {
      const src = new Float64Array([1, 2, 3]);
      const t = tensor(src);
      src[0] = 99;
      expect(t.dtype).toBe('float64');
      expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
      expect(tensor(new Uint8Array([0, 1])).dtype).toBe('bool');
      expect(tensor(new Int32Array([1, 2, 3, 4]), [2, 2]).shape).toEqual([2, 2]);
    });

    it('gives size-0 shapes for empty arrays', () => {
      expect(tensor([]).shape).toEqual([0]);
      expect(tensor([[], []]).shape).toEqual([2, 0]);
      expect(tensor([], [0, 5]).size).toBe(0);
    });

    it('rounds float32 storage to the nearest float32', () => {
      expect(tensor([0.1]).dataSync()[0]).toBe(Math.fround(0.1));
      expect(tensor([0.1], undefined, 'float64').dataSync()[0]).toBe(0.1);
    });

    it('converts to int32 and bool with the same rules as cast (truncate, saturate, NaN → 0; bool is x ≠ 0)', () => {
      expect(Array.from(tensor([1.9, -1.9, 3e9, -3e9, NaN], undefined, 'int32').dataSync())).toEqual([
        1, -1, 2147483647, -2147483648, 0,
      ]);
      expect(Array.from(tensor([0, 2, -0.5, NaN], undefined, 'bool').dataSync())).toEqual([0, 1, 1, 1]);
    });

    it('scalar() is rank 0', () => {
      const s = scalar(3, 'int32');
      expect(s.shape).toEqual([]);
      expect(s.rank).toBe(0);
      expect(s.size).toBe(1);
      expect(s.item()).toBe(3);
    });
  });

  describe('full, zeros, ones and the *Like forms', () => {
    it('fills every element and honours the dtype', () => {
      expect(Array.from(full([2, 2], 7).dataSync())).toEqual([7, 7, 7, 7]);
      expect(full([1], true).dtype).toBe('bool');
      expect(zeros([3], 'int32').dtype).toBe('int32');
      expect(Array.from(ones([2], 'float64').dataSync())).toEqual([1, 1]);
      expect(zeros([0, 3]).size).toBe(0);
      expect(zeros([]).shape).toEqual([]);
    });

    it('stores a number in a bool or int32 tensor with cast semantics', () => {
      expect(Array.from(full([2], 5, 'bool').dataSync())).toEqual([1, 1]);
      expect(Array.from(full([1], 3e9, 'int32').dataSync())).toEqual([2147483647]);
      expect(Array.from(full([1], -2.7, 'int32').dataSync())).toEqual([-2]);
    });

    it('zerosLike/onesLike copy shape and dtype', () => {
      const x = tensor([[1, 2, 3]], undefined, 'float64');
      expect(zerosLike(x).shape).toEqual([1, 3]);
      expect(onesLike(x).dtype).toBe('float64');
      expect(Array.from(onesLike(x).dataSync())).toEqual([1, 1, 1]);
    });
  });

  describe('arange', () => {
    it('follows NumPy: half-open, int32 for integer arguments, negative steps', () => {
      expect(Array.from(arange(5).dataSync())).toEqual([0, 1, 2, 3, 4]);
      expect(arange(5).dtype).toBe('int32');
      expect(Array.from(arange(2, 11, 3).dataSync())).toEqual([2, 5, 8]);
      expect(Array.from(arange(5, 0, -2).dataSync())).toEqual([5, 3, 1]);
      expect(arange(3, 3).shape).toEqual([0]);
      expect(arange(3, 0).shape).toEqual([0]);
    });

    it('uses float32 for fractional steps with ceil((stop − start)/step) elements', () => {
      const t = arange(0, 1, 0.25);
      expect(t.dtype).toBe('float32');
      expect(Array.from(t.dataSync())).toEqual([0, 0.25, 0.5, 0.75]);
      expect(arange(0, 1.1, 0.5).size).toBe(3);
    });
  });

  describe('linspace', () => {
    it('includes both ends and spaces evenly', () => {
      const v = linspace(-1, 1, 5, 'float64').dataSync();
      expect(Array.from(v)).toEqual([-1, -0.5, 0, 0.5, 1]);
      expect(Array.from(linspace(2, 3, 1).dataSync())).toEqual([2]);
      expect(linspace(0, 1, 0).shape).toEqual([0]);
      const w = linspace(0, 1, 7, 'float64').dataSync();
      for (let i = 0; i < 7; i++) expect(w[i]).toBeCloseTo(i / 6, 15);
    });
  });

  describe('eye', () => {
    it('puts ones on the (shifted) diagonal of an n×m matrix', () => {
      expect(eye(2).arraySync()).toEqual([
        [1, 0],
        [0, 1],
      ]);
      expect(eye(2, 3, 1).arraySync()).toEqual([
        [0, 1, 0],
        [0, 0, 1],
      ]);
      expect(eye(3, 2, -1).arraySync()).toEqual([
        [0, 0],
        [1, 0],
        [0, 1],
      ]);
    });
  });

  describe('validation', () => {
    it('rejects bad shapes, counts and dtypes with typed errors naming the op', () => {
      expect(() => zeros([2, -1])).toThrow(ShapeError);
      expect(() => zeros([1.5])).toThrow(/^zeros: invalid shape \[1.5\]/);
      expect(() => tensor([1, 2], [3])).toThrow(ShapeError);
      expect(() => tensor([1, [2]] as never)).toThrow(/tensor: ragged/);
      expect(() => tensor(['a'] as never)).toThrow(ArgumentError);
      expect(() => zeros([2], 'float16' as never)).toThrow(DTypeError);
      expect(() => arange(0, 5, 1, 'complex' as never)).toThrow(/arange: unknown dtype/);
      expect(() => linspace(0, 1, 3, 'x' as never)).toThrow(/linspace: unknown dtype/);
      expect(() => eye(2, 2, 0, 'x' as never)).toThrow(/eye: unknown dtype/);
      expect(() => arange(0, 5, 0)).toThrow(/arange: step must be a finite non-zero number/);
      expect(() => linspace(0, 1, -1)).toThrow(ArgumentError);
      expect(() => eye(-1)).toThrow(/eye: invalid shape/);
    });
  });
});
