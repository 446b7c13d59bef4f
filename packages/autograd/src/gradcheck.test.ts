import type { Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { BackpropError, tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { GradcheckError, defineOp, gradcheck } from './index';
import { rand } from './testing';

// square with a deliberately wrong gradient: x instead of 2x, so the error at element i is |xᵢ|·|vᵢ|.
const halfSquare = defineOp({
  name: 'test.halfSquare',
  forward: ([x]) => T.square(x!),
  backward: (dy, { inputs: [x] }) => [T.mul(dy, x!)],
});

describe('gradcheck', () => {
  it('passes for a correct gradient and reports tiny errors for every input', () => {
    const report = gradcheck((a, b) => a.mul(b).sin(), [rand([2, 3], 1), rand([3], 2)]);
    expect(report.ok).toBe(true);
    expect(report.inputs).toHaveLength(2);
    for (const r of report.inputs) {
      expect(r.maxAbsError).toBeLessThan(1e-8);
      expect(r.maxRelError).toBeLessThan(1e-6);
      expect(r.worstIndex).toBeGreaterThanOrEqual(0);
    }
  });

  it('throws a readable GradcheckError naming the input, element, both values and the tolerances', () => {
    const x = tensor([0.5, -2, 1], undefined, 'float64');
    let error: unknown;
    try {
      gradcheck((a) => halfSquare(a), [x]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GradcheckError);
    expect(error).toBeInstanceOf(BackpropError);
    const e = error as GradcheckError;
    expect(e.message).toMatch(
      /^gradcheck: backpropagated gradients disagree with finite differences \(atol 0\.00001, rtol 0\.001\)/,
    );
    expect(e.message).toMatch(
      /input 0 \[3\]: element 1 \(index \[1\]\): analytic .* vs numeric .*max abs error/,
    );
    expect(e.report.ok).toBe(false);
    expect(e.report.inputs[0]!.worstIndex).toBe(1); // |x| is largest there
  });

  it('with throwOnFailure: false returns the failing report with exact errors', () => {
    // f = Σ halfSquare(x)·1 for a scalar x: analytic x, numeric 2x
    const report = gradcheck((a) => halfSquare(a).sum(), [tensor([3], undefined, 'float64')], {
      throwOnFailure: false,
    });
    expect(report.ok).toBe(false);
    const r = report.inputs[0]!;
    expect(r.worstIndex).toBe(0);
    // the output is projected on a random weight v: analytic 3v, numeric 6v
    expect(r.analytic / r.numeric).toBeCloseTo(0.5, 6);
    expect(r.maxAbsError).toBeCloseTo(Math.abs(r.numeric - r.analytic), 9);
    expect(r.maxRelError).toBeCloseTo(0.5, 6);
  });

  it('uses PyTorch’s defaults (eps 1e-6, atol 1e-5, rtol 1e-3), and the options change the verdict', () => {
    // With a true gradient of v (|v| ≤ 1) the tolerance is 1e-5 + 1e-3·|v|: an analytic gradient 5e-4 off
    // (relative) passes, one 5e-3 off fails, and loosening or tightening the tolerances flips those verdicts.
    const off = (delta: number) =>
      defineOp({
        name: `test.off${delta}`,
        forward: ([x]) => T.mul(x!, 1),
        backward: (dy) => [T.mul(dy, 1 + delta)],
      });
    const x = tensor([1], undefined, 'float64');
    const slightly = off(5e-4);
    const clearly = off(5e-3);
    expect(gradcheck((a) => slightly(a), [x]).ok).toBe(true);
    expect(() => gradcheck((a) => clearly(a), [x])).toThrow(GradcheckError);
    expect(gradcheck((a) => clearly(a), [x], { rtol: 1e-2 }).ok).toBe(true);
    expect(() => gradcheck((a) => slightly(a), [x], { rtol: 0, atol: 1e-4 })).toThrow(GradcheckError);
    // a huge step makes central differences of a curved function wrong
    expect(() => gradcheck((a) => a.exp(), [x], { eps: 0.5 })).toThrow(GradcheckError);
  });

  it('converts float32 inputs to float64 and passes int/bool inputs through unchecked', () => {
    const report = gradcheck(
      (x, i, m) => T.where(m, T.gather(x, i), 0),
      [tensor([1, 2, 3]), tensor([2, 0], undefined, 'int32'), tensor([true, false])],
    );
    expect(report.inputs.map((r) => r.skipped ?? false)).toEqual([false, true, true]);
  });

  it('rejects an f that computes in float32 (differences of 1e-6 would be rounding noise)', () => {
    expect(() => gradcheck((x: Tensor) => x.cast('float32').square(), [tensor([1, 2])])).toThrow(
      /f returned float32 for float64 inputs/,
    );
  });

  it('checks non-scalar outputs through a random projection (every output element matters)', () => {
    // the wrong gradient only in the second output element's path is still found
    const wrongOnSecond = defineOp({
      name: 'test.wrongOnSecond',
      forward: ([x]) => T.mul(x!, 2),
      backward: (dy) => [T.mul(dy, tensor([2, 0], undefined, 'float64'))],
    });
    expect(() => gradcheck((a) => wrongOnSecond(a), [tensor([1, 1], undefined, 'float64')])).toThrow(
      /element 1/,
    );
  });
});
