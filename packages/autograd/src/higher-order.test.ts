import type { Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { StateError, tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { grad, gradcheck, variable, variableGrads } from './index';
import { distinct, rand } from './testing';

/** Hessian-vector product H(x)·v of scalar f, by differentiating ∇f(x)·v once more (forward-over-reverse-free). */
const hvp = (f: (x: Tensor) => Tensor, x: Tensor, v: Tensor): Tensor =>
  grad((y: Tensor) => grad(f)(y).mul(v).sum())(x);

describe('gradients of gradients', () => {
  it('the second derivative of x³ is 6x', () => {
    const d2 = grad((a: Tensor) => grad((b: Tensor) => b.mul(b).mul(b).sum())(a).sum())(tensor([1, 2, 3]));
    expect(d2.arraySync()).toEqual([6, 12, 18]);
  });

  it('the third derivative of x⁴ is 24x', () => {
    const d1 = grad((x: Tensor) => x.pow(4).sum());
    const d2 = grad((x: Tensor) => d1(x).sum());
    const d3 = grad((x: Tensor) => d2(x).sum());
    expect(d3(tensor([1, 2])).arraySync()).toEqual([24, 48]);
  });

  it('a Hessian-vector product through matmul: f(x) = ½xᵀAx + Σx³ has H = (A + Aᵀ)/2 + diag(6x)', () => {
    const A = tensor(
      [
        [2, 1, 0],
        [3, -1, 4],
        [0, 5, 1],
      ],
      undefined,
      'float64',
    );
    const x = tensor([0.5, -1, 2], undefined, 'float64');
    const v = tensor([1, 2, -1], undefined, 'float64');
    const f = (y: Tensor): Tensor => T.matmul(y, T.matmul(A, y)).mul(0.5).add(y.pow(3).sum());
    const H = T.add(T.add(A, T.transpose(A)).mul(0.5), T.mul(T.eye(3, 3, 0, 'float64'), x.mul(6)));
    const expected = Array.from(T.matmul(H, v).dataSync());
    const got = Array.from(hvp(f, x, v).dataSync());
    got.forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 10));
  });

  // gradcheck of x ↦ ∇f(x) checks every second derivative numerically.
  const SECOND: [string, (x: Tensor) => Tensor, () => Tensor][] = [
    ['tanh·exp·sin (elementwise)', (x) => T.tanh(x).mul(T.exp(x)).add(T.sin(x)).sum(), () => rand([2, 3], 1)],
    [
      'sigmoid, softplus, erf',
      (x) => T.sigmoid(x).add(T.softplus(x)).mul(T.erf(x)).sum(),
      () => rand([4], 2),
    ],
    [
      'log, sqrt, div, pow',
      (x) => T.log(x).mul(T.sqrt(x)).div(x.add(1)).add(T.pow(x, x)).sum(),
      () => rand([4], 3, 0.5, 2),
    ],
    ['gelu and elu (traced and ruled)', (x) => T.gelu(x).add(T.elu(x)).square().sum(), () => rand([5], 4)],
    [
      'sum / mean over axes',
      (x) => T.sum(x, 1).square().add(T.mean(x, 0).exp().sum()).sum(),
      () => rand([2, 3], 5),
    ],
    ['max / min', (x) => T.max(x, 0).square().sum().add(T.min(x).exp()), () => distinct([3, 2], 6)],
    ['prod', (x) => T.prod(x, 1).sum(), () => rand([2, 3], 7, 0.5, 1.5)],
    ['variance / std', (x) => T.variance(x, 0).add(T.std(x, 0)).sum(), () => rand([3, 2], 8)],
    ['norm', (x) => T.norm(x).add(T.norm(x, 3, 1).sum()), () => rand([2, 3], 9, 0.3, 1)],
    [
      'logSumExp / softmax / logSoftmax',
      (x) =>
        T.logSumExp(x, 1)
          .sum()
          .add(T.softmax(x).mul(T.logSoftmax(x, 0)).sum()),
      () => rand([2, 3], 10),
    ],
    [
      'matmul with a transposed operand',
      (x) => T.matmul(x, T.tanh(x), { transposeA: true }).square().sum(),
      () => rand([3, 2], 11),
    ],
    [
      'movement: slice, concat, transpose, gather',
      (x) =>
        T.concat([T.slice(x, [0], [null], [-1]), T.transpose(x)], 0)
          .square()
          .sum()
          .add(
            T.gather(x, tensor([0, 0], undefined, 'int32'))
              .exp()
              .sum(),
          ),
      () => rand([2, 2], 12),
    ],
  ];
  it.each(SECOND)('second derivatives are right: %s', (_, f, x) => {
    gradcheck((y) => grad(f)(y), [x()]);
  });

  it('conv2d and avgPool2d are twice differentiable (a gradient penalty through them)', () => {
    const w = rand([2, 2, 1, 2], 13);
    const f = (x: Tensor): Tensor =>
      T.avgPool2d(T.tanh(T.conv2d(x, w, { padding: 'same' })))
        .square()
        .sum();
    gradcheck((x) => grad(f)(x), [rand([1, 4, 4, 1], 14)]);
  });

  it('maxPool2d says clearly that it is not twice differentiable', () => {
    const f = (x: Tensor): Tensor => T.maxPool2d(x).square().sum();
    const x = distinct([1, 2, 2, 1], 15);
    expect(() => grad((y: Tensor) => grad(f)(y).sum())(x)).toThrow(StateError);
    expect(() => grad((y: Tensor) => grad(f)(y).sum())(x)).toThrow(/maxPool2d is not twice differentiable/);
  });

  it('a gradient penalty: variableGrads through a grad() computed inside it', () => {
    const w = variable([1, 2, 3]);
    const x = tensor([0.5, -1, 2]);
    // P(w) = ‖∂/∂x Σ(w·x)²‖² = ‖2(w·x)w‖² = 4(w·x)²‖w‖²
    const { value, grads } = variableGrads(() => {
      const gx = grad((y: Tensor) => y.mul(w).sum().square())(x);
      return gx.square().sum();
    });
    const s = 0.5 - 2 + 6; // w·x
    expect(value.item()).toBeCloseTo(4 * s * s * 14, 3);
    // dP/dw = 8(w·x)‖w‖²·x + 8(w·x)²·w
    const want = [1, 2, 3].map((wi, i) => 8 * s * 14 * [0.5, -1, 2][i]! + 8 * s * s * wi);
    Array.from(grads.get(w)!.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 2));
  });

  it('a gradient with respect to a computed tensor stays differentiable for loss.backward()', () => {
    const w = variable([1, 2]);
    const h = w.mul(3); // has history: its gradient must be recorded to reach w
    const gh = grad((y: Tensor) => y.square().sum())(h); // 2h = 6w
    gh.sum().backward();
    expect(w.grad!.arraySync()).toEqual([6, 6]);
  });
});

describe('when a gradient records its own backward pass', () => {
  it('not for a bare Variable argument at top level (a training step records nothing extra)', () => {
    const w = variable([1, 2]);
    const g = grad((p: Tensor) => p.square().sum())(w);
    expect(g.arraySync()).toEqual([2, 4]);
    expect(() => g.sum().backward()).toThrow(/does not depend on any trainable Variable/);
  });

  it('but yes inside variableGrads: a gradient penalty on the parameters themselves', () => {
    const w = variable([1, 2]);
    // P(w) = ‖∇(Σw³)‖² = Σ(3w²)², dP/dw = 36w³
    const { grads } = variableGrads(() =>
      grad((p: Tensor) => p.pow(3).sum())(w)
        .square()
        .sum(),
    );
    expect(grads.get(w)!.arraySync()).toEqual([36, 288]);
  });
});
