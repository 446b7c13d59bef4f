import type { Tensor } from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { grad, variable } from './index';

describe('backward', () => {
  it('computes dL/dw of a linear model by the chain rule', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const w = variable(tensor([[0.5], [-1]]));
    const loss = x.matmul(w).square().mean();
    loss.backward();
    // L = mean((xw)²) → dL/dw = xᵀ · (2·xw / 2) = xᵀ · [-1.5, -2.5]
    expect(loss.item()).toBeCloseTo(4.25, 6);
    expect(w.grad!.arraySync()).toEqual([[-9], [-13]]);
  });

  it('nested grad gives the second derivative', () => {
    const d2 = grad((a: Tensor) => grad((b: Tensor) => b.mul(b).mul(b).sum())(a).sum())(tensor([1, 2, 3]));
    expect(d2.arraySync()).toEqual([6, 12, 18]);
  });
});
