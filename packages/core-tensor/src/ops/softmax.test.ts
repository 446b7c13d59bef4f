import { describe, expect, it } from 'vitest';
import * as bp from '../index';
import { AxisError, DTypeError, tensor } from '../index';
import { describeBackends, expectClose, randomValues, rng } from '../testing/assert';
import { numel, ravel, unravel } from '../testing/reference';

/** Softmax along `axis` by gathering each lane explicitly and normalizing it in float64. */
function refSoftmax(values: ArrayLike<number>, shape: number[], axis: number, log: boolean): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < numel(shape); i++) {
    const idx = unravel(i, shape);
    if (idx[axis] !== 0) continue;
    const lane = Array.from({ length: shape[axis]! }, (_, k) =>
      ravel(
        idx.map((v, d) => (d === axis ? k : v)),
        shape,
      ),
    );
    const m = Math.max(...lane.map((p) => values[p]!));
    const z = lane.reduce((s, p) => s + Math.exp(values[p]! - m), 0);
    for (const p of lane) out[p] = log ? values[p]! - m - Math.log(z) : Math.exp(values[p]! - m) / z;
  }
  return out;
}

describeBackends('softmax', () => {
  describe.each(['float64', 'float32'] as const)('%s', (dtype) => {
    it.each([0, 1, 2, -1, -2])('softmax and logSoftmax along axis %i match a per-lane reference', (axis) => {
      const shape = [2, 3, 4];
      const x = tensor(randomValues(rng(31), 24, -10, 10), shape, dtype);
      const ax = axis < 0 ? axis + 3 : axis;
      const tol = dtype === 'float64' ? { rtol: 1e-12, atol: 1e-15 } : { rtol: 1e-5, atol: 1e-7 };
      const sm = bp.softmax(x, axis);
      expect(sm.shape).toEqual(shape);
      expect(sm.dtype).toBe(dtype);
      expectClose(sm.dataSync(), refSoftmax(x.dataSync(), shape, ax, false), tol, 'softmax');
      expectClose(
        bp.logSoftmax(x, axis).dataSync(),
        refSoftmax(x.dataSync(), shape, ax, true),
        tol,
        'logSoftmax',
      );
    });
  });

  it('is stable for logits 1e4 apart and for huge magnitudes', () => {
    expect(Array.from(bp.softmax(tensor([0, 1e4])).dataSync())).toEqual([0, 1]);
    expect(Array.from(bp.logSoftmax(tensor([0, 1e4])).dataSync())).toEqual([-1e4, 0]);
    expectClose(bp.softmax(tensor([1e30, 1e30])).dataSync(), [0.5, 0.5]);
    expectClose(bp.logSoftmax(tensor([-1e4, -1e4 - 1], undefined, 'float64')).dataSync(), [
      -Math.log1p(Math.exp(-1)),
      -1 - Math.log1p(Math.exp(-1)),
    ]);
    expect(Array.from(bp.softmax(tensor([-Infinity, 0])).dataSync())).toEqual([0, 1]);
    expect(Array.from(bp.logSoftmax(tensor([-Infinity, 0])).dataSync())).toEqual([-Infinity, 0]);
    expect(Array.from(bp.softmax(tensor([NaN, 0])).dataSync())).toEqual([NaN, NaN]);
  });

  it('rows sum to one and methods match the functions', () => {
    const x = tensor(randomValues(rng(2), 12, -50, 50), [3, 4], 'float64');
    expectClose(bp.sum(x.softmax(1), 1).dataSync(), [1, 1, 1], { rtol: 1e-14 });
    expect(x.logSoftmax(0).arraySync()).toEqual(bp.logSoftmax(x, 0).arraySync());
  });

  it('validates axis and dtype', () => {
    expect(() => bp.softmax(tensor([1, 2]), 1)).toThrow(AxisError);
    expect(() => bp.softmax(tensor(1))).toThrow(/softmax: axis -1 is out of range for a tensor of rank 0/);
    expect(() => bp.logSoftmax(tensor([1, 2], undefined, 'int32'))).toThrow(DTypeError);
    expect(() => bp.logSoftmax(tensor([1, 2], undefined, 'int32'))).toThrow(
      /logSoftmax: x must be float32 or float64/,
    );
  });
});
