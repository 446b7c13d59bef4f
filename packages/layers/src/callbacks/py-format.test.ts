import { describe, expect, it } from 'vitest';
import { pyExp, pyFixed } from './py-format';

// Reference strings printed by CPython 3 (`f"{v:.4f}"`, `f"{v:.4e}"`, `f"{v:.0f}"`), the formatter Keras uses.
const PYTHON: [number, string, string, string][] = [
  [0.00012, '0.0001', '1.2000e-04', '0'],
  [0.0, '0.0000', '0.0000e+00', '0'],
  [-0.0, '-0.0000', '-0.0000e+00', '-0'],
  [2.5, '2.5000', '2.5000e+00', '2'],
  [3.5, '3.5000', '3.5000e+00', '4'],
  [0.03125, '0.0312', '3.1250e-02', '0'],
  [-1.03125, '-1.0312', '-1.0312e+00', '-1'],
  [1e22, '10000000000000000000000.0000', '1.0000e+22', '10000000000000000000000'],
  [123.456789, '123.4568', '1.2346e+02', '123'],
  [0.0010000001, '0.0010', '1.0000e-03', '0'],
  [NaN, 'nan', 'nan', 'nan'],
  [Infinity, 'inf', 'inf', 'inf'],
  [-Infinity, '-inf', '-inf', '-inf'],
  [5e-324, '0.0000', '4.9407e-324', '0'],
  [0.99999999, '1.0000', '1.0000e+00', '1'],
  [-0.5, '-0.5000', '-5.0000e-01', '-0'],
];

describe('Python number formatting', () => {
  it.each(PYTHON)('%s prints as CPython does', (v, fixed4, exp4, fixed0) => {
    expect(pyFixed(v, 4)).toBe(fixed4);
    expect(pyExp(v, 4)).toBe(exp4);
    expect(pyFixed(v, 0)).toBe(fixed0);
  });
});
