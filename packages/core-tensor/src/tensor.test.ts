import { describe, expect, it } from 'vitest';
import { ShapeError, StateError, arange, memory, scalar, scope, tensor, zeros } from './index';
import { describeBackends } from './testing/assert';

describeBackends('Tensor', () => {
  it('infers shape and dtype from nested arrays and reads back the same values', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.size).toBe(6);
    expect(t.rank).toBe(2);
    expect(t.arraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
  });

  it('has a frozen shape and unique increasing ids', () => {
    const a = zeros([2]);
    const b = zeros([2]);
    expect(Object.isFrozen(a.shape)).toBe(true);
    expect(b.id).toBeGreaterThan(a.id);
  });

  it('reads data as typed arrays (copies), nested arrays, booleans for bool and a number for scalars', async () => {
    const t = tensor([1.5, 2.5], undefined, 'float64');
    const d = t.dataSync();
    expect(d).toBeInstanceOf(Float64Array);
    d[0] = 99;
    expect(t.dataSync()[0]).toBe(1.5);
    expect(await t.data()).toEqual(new Float64Array([1.5, 2.5]));
    expect(await t.array()).toEqual([1.5, 2.5]);
    expect(tensor([[true], [false]]).arraySync()).toEqual([[true], [false]]);
    expect(tensor([true]).dataSync()).toBeInstanceOf(Uint8Array);
    expect(scalar(7).arraySync()).toBe(7);
    expect(tensor([], [2, 0]).arraySync()).toEqual([[], []]);
  });

  it('rejects ragged arrays and size mismatches with a ShapeError naming the op', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/tensor: 3 values cannot fill shape \[2,2\]/);
  });

  describe('toString', () => {
    it('prints like NumPy: fixed point, a trailing dot for whole floats, aligned columns', () => {
      expect(
        tensor([
          [1, 2],
          [3, 4],
        ]).toString(),
      ).toBe('Tensor([[1., 2.],\n        [3., 4.]], dtype=float32)');
      expect(tensor([0.5, -1.25]).toString()).toBe('Tensor([ 0.5000, -1.2500], dtype=float32)');
      expect(scalar(5).toString()).toBe('Tensor(5., dtype=float32)');
      expect(tensor([1, -2, 30], undefined, 'int32').toString()).toBe('Tensor([ 1, -2, 30], dtype=int32)');
      expect(tensor([true, false]).toString()).toBe('Tensor([ true, false], dtype=bool)');
    });

    it('switches to scientific notation for tiny or huge magnitudes and spells NaN and Inf', () => {
      expect(tensor([1e-5, 1]).toString()).toBe('Tensor([1.0000e-05, 1.0000e+00], dtype=float32)');
      expect(tensor([1e9, 1], undefined, 'float64').toString()).toBe(
        'Tensor([1.0000e+09, 1.0000e+00], dtype=float64)',
      );
      expect(tensor([NaN, Infinity, -Infinity, 1.5]).toString()).toBe(
        'Tensor([   nan,    inf,   -inf, 1.5000], dtype=float32)',
      );
    });

    it('separates 3-D blocks with a blank line and prints empty tensors', () => {
      expect(arange(8).reshape([2, 2, 2]).toString()).toBe(
        'Tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]], dtype=int32)',
      );
      expect(tensor([]).toString()).toBe('Tensor([], dtype=float32)');
    });

    it('elides tensors over 1000 elements, keeping three items at each end of every axis', () => {
      expect(zeros([2000]).toString()).toBe('Tensor([0., 0., 0., ..., 0., 0., 0.], dtype=float32)');
      expect(arange(2000).reshape([2, 1000]).toString()).toBe(
        'Tensor([[   0,    1,    2, ...,  997,  998,  999],\n        [1000, 1001, 1002, ..., 1997, 1998, 1999]], dtype=int32)',
      );
      const rows = zeros([40, 40]).toString().split('\n');
      expect(rows).toHaveLength(7);
      expect(rows[3]).toBe('        ...,');
      expect(zeros([10, 100]).toString()).not.toContain('...');
      // Only the shown elements are formatted (a spread over all of them overflowed the stack at ~120k).
      expect(zeros([1000, 1000]).toString()).toBe(zeros([40, 40]).toString());
      const big = arange(300000).toString();
      expect(big).toBe('Tensor([     0,      1,      2, ..., 299997, 299998, 299999], dtype=int32)');
    });
  });

  it('scope disposes temporaries and memory() sees them go', () => {
    const before = memory();
    const kept = scope(() => {
      const a = tensor([1, 2, 3]);
      const b = a.mul(2).add(1);
      return b.sum();
    });
    expect(kept.item()).toBe(15);
    expect(memory().numTensors).toBe(before.numTensors + 1);
    kept.dispose();
    expect(memory().numTensors).toBe(before.numTensors);
    expect(memory().numBytes).toBe(before.numBytes);
    expect(() => kept.dataSync()).toThrow(StateError);
  });
});
