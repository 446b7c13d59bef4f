import { ArgumentError, ShapeError } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { Constant, constant, ones, zeros } from './constant';

describe('zeros, ones, constant', () => {
  it('fill the requested shape with 0, 1 or the value, float32 by default', () => {
    const z = zeros().call([2, 3]);
    expect(z.shape).toEqual([2, 3]);
    expect(z.dtype).toBe('float32');
    expect([...z.dataSync()]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...ones().call([3]).dataSync()]).toEqual([1, 1, 1]);
    expect([...constant({ value: 0.25 }).call([2, 2]).dataSync()]).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('honour the dtype argument', () => {
    expect(ones().call([2], 'int32').dtype).toBe('int32');
    const c = constant({ value: 0.1 }).call([1], 'float64');
    expect(c.dtype).toBe('float64');
    expect(c.dataSync()[0]).toBe(0.1); // not rounded through float32
  });

  it('default the constant to 0 as Keras does and report their configs', () => {
    expect(new Constant().value).toBe(0);
    expect(constant({ value: 3 }).getConfig()).toEqual({ value: 3 });
    expect(zeros().getConfig()).toEqual({});
    expect([zeros().className, ones().className, constant().className]).toEqual([
      'Zeros',
      'Ones',
      'Constant',
    ]);
  });

  it('reject a non-numeric value and a bad shape', () => {
    expect(() => constant({ value: Number.NaN })).toThrow(ArgumentError);
    expect(() => zeros().call([2, -3])).toThrow(ShapeError);
    expect(() => ones().call([2, 0.5])).toThrow(/Ones: invalid shape/);
  });
});
