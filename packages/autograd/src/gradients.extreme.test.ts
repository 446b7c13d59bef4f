import type { Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { grad, gradcheck } from './index';

const finite = (t: Tensor): boolean => Array.from(t.dataSync()).every(Number.isFinite);

/** Expects `got` to match the analytic `want` elementwise within atol + rtol·|want|. */
function expectClose(got: Tensor, want: number[], atol: number, rtol = 1e-6): void {
  const g = Array.from(got.dataSync());
  g.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(atol + rtol * Math.abs(want[i]!)));
}

// Saturating inputs: the derivative is tiny but must be finite and right, not NaN from ∞/∞ or 0·∞.
const XS = [-30, -10, 0, 10, 30];

describe('gradients at extreme but finite inputs', () => {
  it.each(['float32', 'float64'] as const)(
    'sigmoid at ±30 (%s): finite and equal to e^-|x| / (1 + e^-|x|)²',
    (dtype) => {
      const g = grad((x: Tensor) => T.sigmoid(x).sum())(tensor(XS, undefined, dtype));
      expect(finite(g)).toBe(true);
      const analytic = XS.map((x) => Math.exp(-Math.abs(x)) / (1 + Math.exp(-Math.abs(x))) ** 2);
      // float32 rounds σ(30) to exactly 1, so its derivative there is 0 instead of 9e-14: right within float32 ulps.
      expectClose(g, analytic, dtype === 'float32' ? 1e-7 : 1e-15);
    },
  );

  it.each(['float32', 'float64'] as const)('tanh at ±30 (%s): finite and equal to 1/cosh²', (dtype) => {
    const g = grad((x: Tensor) => T.tanh(x).sum())(tensor(XS, undefined, dtype));
    expect(finite(g)).toBe(true);
    expectClose(
      g,
      XS.map((x) => 1 / Math.cosh(x) ** 2),
      dtype === 'float32' ? 1e-7 : 1e-15,
    );
  });

  it('softplus at ±100 has gradient σ(x) (≈ 4e-44 and 1), no overflow', () => {
    const g = grad((x: Tensor) => T.softplus(x).sum())(tensor([-100, 100]));
    expect(finite(g)).toBe(true);
    expectClose(g, [Math.exp(-100) / (1 + Math.exp(-100)), 1], 1e-45);
  });

  it('elu far below 0 has gradient alpha·eˣ → 0, and far above 1 (the unused exp branch never overflows)', () => {
    const g = grad((x: Tensor) => T.elu(x).sum())(tensor([-100, 100]));
    expect(g.arraySync()).toEqual([0, 1]);
  });

  it('logSoftmax of logits 1e4 apart: finite gradient, one-hot softmax', () => {
    const x = tensor([[0, 1e4, -1e4]]);
    const w = tensor([[1, 2, 3]]);
    const g = grad((a: Tensor) => T.logSoftmax(a).mul(w).sum())(x);
    expect(finite(g)).toBe(true);
    // d/dx Σ wᵢ·logSoftmax(x)ᵢ = w − softmax(x)·Σw = [1, 2−6, 3]
    expect(g.arraySync()).toEqual([[1, -4, 3]]);
  });

  it('softmax of logits 1e4 apart: finite gradient (exactly 0 where the output saturates)', () => {
    const g = grad((a: Tensor) =>
      T.softmax(a)
        .mul(tensor([1, 2, 3]))
        .sum(),
    )(tensor([0, 1e4, -1e4]));
    expect(finite(g)).toBe(true);
    expect(Array.from(g.dataSync(), Math.abs)).toEqual([0, 0, 0]);
  });

  it('logSumExp of huge logits: its gradient (softmax) is as exact as softmax itself', () => {
    // exp(x − lse) would lose float32 precision here: lse ≈ 1e4 is rounded to 1e-3 before the subtraction.
    const g = grad((a: Tensor) => T.logSumExp(a))(tensor([1e4, 1e4, -1e4]));
    expect(g.arraySync()).toEqual([0.5, 0.5, 0]);
    const h = grad((a: Tensor) => T.logSumExp(a, [0, 1]))(
      tensor([
        [1e4, -1e4],
        [1e4, 1e4],
      ]),
    );
    expect(h.arraySync()).toEqual(
      [
        [1 / 3, 0],
        [1 / 3, 1 / 3],
      ].map((r) => r.map(Math.fround)),
    );
  });

  it('gradcheck holds for saturated sigmoid/tanh/logSoftmax in float64', () => {
    const x = tensor([-30, -5, 5, 30], undefined, 'float64');
    gradcheck((a) => T.sigmoid(a), [x]);
    gradcheck((a) => T.tanh(a), [x]);
    gradcheck((a) => T.logSoftmax(a), [tensor([0, 50, -50, 100], undefined, 'float64')]);
  });

  it('log near 0 and sqrt of tiny values give large but finite gradients', () => {
    const g = grad((x: Tensor) => T.log(x).add(T.sqrt(x)).sum())(tensor([1e-30], undefined, 'float64'));
    expect(finite(g)).toBe(true);
    expect(g.item()).toBeCloseTo(1e30 + 0.5 / 1e-15, -16);
  });

  it('norm of huge values: finite gradient x/‖x‖', () => {
    const g = grad((x: Tensor) => T.norm(x))(tensor([3e20, 4e20], undefined, 'float64'));
    expectClose(g, [0.6, 0.8], 1e-12);
  });
});
