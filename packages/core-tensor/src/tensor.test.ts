import { describe, expect, it } from 'vitest';
import { ShapeError, StateError, memory, scope, tensor, zeros } from './index';

describe('Tensor', () => {
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

  it('rejects ragged arrays and size mismatches with a ShapeError naming the op', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/tensor: 3 values cannot fill shape \[2,2\]/);
  });

  it('prints like NumPy, eliding large tensors', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).toString(),
    ).toBe('Tensor([[1., 2.],\n        [3., 4.]], dtype=float32)');
    expect(tensor([0.5, -1.25]).toString()).toBe('Tensor([ 0.5000, -1.2500], dtype=float32)');
    expect(zeros([2000]).toString()).toBe('Tensor([0., 0., 0., ..., 0., 0., 0.], dtype=float32)');
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
