import { ShapeError } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { computeFans } from './fans';

describe('computeFans (the Keras rules)', () => {
  it('treats a scalar as one input and one output', () => {
    expect(computeFans([])).toEqual({ fanIn: 1, fanOut: 1 });
  });

  it('uses the length of a vector for both fans', () => {
    expect(computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
  });

  it('reads a Dense kernel [in, out] directly', () => {
    expect(computeFans([784, 128])).toEqual({ fanIn: 784, fanOut: 128 });
  });

  it('multiplies the channels of an HWIO conv kernel by the receptive field', () => {
    expect(computeFans([3, 3, 16, 32])).toEqual({ fanIn: 3 * 3 * 16, fanOut: 3 * 3 * 32 });
    expect(computeFans([5, 4, 8])).toEqual({ fanIn: 20, fanOut: 40 }); // Conv1D [k, in, out]
    expect(computeFans([2, 3, 3, 4, 5])).toEqual({ fanIn: 72, fanOut: 90 }); // Conv3D
  });

  it('rejects negative or fractional dimensions', () => {
    expect(() => computeFans([3, -1])).toThrow(ShapeError);
    expect(() => computeFans([1.5])).toThrow(/computeFans: invalid shape/);
  });
});
