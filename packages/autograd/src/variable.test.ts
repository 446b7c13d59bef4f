import * as T from '@backprop/core-tensor';
import { DTypeError, ShapeError, memory, scope, tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { Variable, noGrad, variable, zeroGrad } from './index';
import { gradInfo } from './tape';

describe('Variable', () => {
  it('is a Tensor with a name, trainable flag and an empty gradient', () => {
    const w = variable([[1, 2]], { name: 'kernel' });
    expect(w).toBeInstanceOf(Variable);
    expect(w).toBeInstanceOf(T.Tensor);
    expect([w.name, w.trainable, w.grad, w.shape, w.dtype]).toEqual([
      'kernel',
      true,
      null,
      [1, 2],
      'float32',
    ]);
    expect(variable(1).name).toMatch(/^variable_\d+$/);
    expect(variable([1], { dtype: 'float64' }).dtype).toBe('float64');
    expect(variable(tensor([1, 2]), { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('assign replaces the value in place, keeping identity, gradient and graph role', () => {
    const w = variable([1, 2]);
    w.mul(3).sum().backward();
    w.assign(tensor([5, 6]));
    expect(w.arraySync()).toEqual([5, 6]);
    expect(w.grad!.arraySync()).toEqual([3, 3]);
    w.square().sum().backward();
    expect(w.grad!.arraySync()).toEqual([3 + 10, 3 + 12]);
    w.assign([[7, 8]].flat());
    expect(w.arraySync()).toEqual([7, 8]);
  });

  it('assign checks shape and dtype', () => {
    const w = variable([1, 2]);
    expect(() => w.assign(tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => w.assign(tensor([1, 2], undefined, 'float64'))).toThrow(DTypeError);
  });

  it('an SGD step: forward, backward, then an update inside noGrad that records nothing', () => {
    const w = variable([1, -1]);
    const x = tensor([2, 3]);
    const loss = w.mul(x).sum().square(); // L = (w·x)², dL/dw = 2(w·x)x = -2·[2,3]
    loss.backward();
    const next = noGrad(() => w.sub(w.grad!.mul(0.1)));
    expect(gradInfo(next)).toBeUndefined();
    w.assign(next);
    const [w0, w1] = Array.from(w.dataSync());
    expect(w0).toBeCloseTo(1.4, 6);
    expect(w1).toBeCloseTo(-0.4, 6);
  });

  it('zeroGrad(variables) clears every gradient', () => {
    const a = variable([1]);
    const b = variable([2]);
    a.mul(b).sum().backward();
    zeroGrad([a, b]);
    expect([a.grad, b.grad]).toEqual([null, null]);
  });

  it('accumulateGrad adds a contribution and rejects a wrong shape', () => {
    const w = variable([1, 2]);
    w.accumulateGrad(tensor([1, 1]));
    w.accumulateGrad(tensor([2, 3]));
    expect(w.grad!.arraySync()).toEqual([3, 4]);
    expect(() => w.accumulateGrad(tensor([1]))).toThrow(/"variable_\d+" has shape \[2\], gradient has \[1\]/);
  });

  it('survives scope() (so does its gradient); the step’s temporaries do not', () => {
    const w = variable([1, 2]);
    const before = memory().numTensors;
    scope(() => {
      w.exp().sum().backward();
    });
    expect(w.isDisposed).toBe(false);
    expect(w.grad!.isDisposed).toBe(false);
    expect(memory().numTensors).toBe(before + 1); // + the gradient
  });
});
