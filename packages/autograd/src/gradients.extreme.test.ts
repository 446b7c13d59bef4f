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

// Closed-form float64 derivatives, written independently of the engine, for the checks below.
const f64 = (v: number[]): Tensor => tensor(v, undefined, 'float64');
const sigma = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const normalPdf = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
// Φ(x) in the tails, where 1 + erf(x/√2) would cancel: the asymptotic series φ(x)/|x|·(1 − 1/x² + 3/x⁴ − …).
const normalCdfTail = (x: number): number => {
  const lower = (normalPdf(x) / Math.abs(x)) * (1 - 1 / x ** 2 + 3 / x ** 4 - 15 / x ** 6 + 105 / x ** 8);
  return x < 0 ? lower : 1 - lower;
};
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const TAILS = [-100, -60, -30, -10, 10, 30, 60, 100];

describe('gradients at extreme but finite inputs (float64, against closed forms and gradcheck)', () => {
  it('exp and expm1 near 80 (e⁸⁰ ≈ 5.5e34): exact to float64 precision, and gradcheck holds', () => {
    const xs = [78, 79.5, 80, 81];
    const x = f64(xs);
    for (const f of [T.exp, T.expm1]) {
      expectClose(grad((a: Tensor) => f(a).sum())(x), xs.map(Math.exp), 0, 1e-14);
      gradcheck(f, [x]);
    }
  });

  it('expm1 near 0 (±1e-10): gradient eˣ to float64 precision', () => {
    const xs = [-1e-10, 1e-12, 3e-9];
    expectClose(grad((a: Tensor) => T.expm1(a).sum())(f64(xs)), xs.map(Math.exp), 0, 1e-15);
  });

  it.each([
    [0.8, 40],
    [1.2, 60],
    [1.3, 50],
    [0.9, 80],
    [0.8, -40],
    [1.2, -60],
    [1.01, 700],
  ])('pow(%d, %d), a large exponent: d/da = b·aᵇ⁻¹, d/db = aᵇ·ln a', (a, b) => {
    // one element per check: with several, the finite differences of the large ones would swamp the small
    const [ga, gb] = grad((x: Tensor, y: Tensor) => T.pow(x, y).sum())(f64([a]), f64([b]));
    expectClose(ga!, [b * a ** (b - 1)], 0, 1e-12);
    expectClose(gb!, [a ** b * Math.log(a)], 0, 1e-12);
    gradcheck((x, y) => T.pow(x, y), [f64([a]), f64([b])], { eps: 1e-6 * Math.min(1, 1 / Math.abs(b)) });
  });

  it('div by tiny denominators (1e-6, gradients up to 1e12): exact, and gradcheck with a step to match', () => {
    const a = [1, -2, 0.5];
    const b = [1e-6, -2e-6, 3e-6];
    const [ga, gb] = grad((x: Tensor, y: Tensor) => T.div(x, y).sum())(f64(a), f64(b));
    expectClose(
      ga!,
      b.map((v) => 1 / v),
      0,
      1e-15,
    );
    expectClose(
      gb!,
      a.map((v, i) => -v / b[i]! ** 2),
      0,
      1e-15,
    );
    // the step must be small next to the denominator, or the difference quotient itself is off by (ε/b)²
    gradcheck((x, y) => T.div(x, y), [f64(a), f64(b)], { eps: 1e-12 });
  });

  // Each activation's derivative in its tails, as a closed form; tolerance atol + rtol·|want|.
  const TAIL_CASES: [string, (x: Tensor) => Tensor, (x: number) => number, number, number][] = [
    ['erf', T.erf, (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x), 0, 1e-12],
    ['silu', T.silu, (x) => sigma(x) * (1 + x * sigma(-x)), 0, 1e-12],
    [
      'swish (β = 1.5)',
      (x) => T.swish(x, 1.5),
      (x) => sigma(1.5 * x) * (1 + 1.5 * x * sigma(-1.5 * x)),
      0,
      1e-12,
    ],
    ['softplus', T.softplus, sigma, 0, 1e-12],
    // selu's rule writes alpha·eˣ as y + alpha and gelu's forward 1 + erf(x/√2), both of which cancel in the far
    // negative tail: there the gradients are right to 1e-15 absolute, not to the last digit.
    ['selu', T.selu, (x) => (x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x)), 1e-15, 1e-12],
    ['gelu', (x) => T.gelu(x), (x) => normalCdfTail(x) + x * normalPdf(x), 1e-15, 1e-12],
  ];
  it.each(TAIL_CASES)(
    '%s at ±10…±100: finite, equal to its closed form, and gradcheck holds',
    (_, f, df, atol, rtol) => {
      const x = f64(TAILS);
      const g = grad((a: Tensor) => f(a).sum())(x);
      expect(finite(g)).toBe(true);
      expectClose(g, TAILS.map(df), atol, rtol);
      gradcheck(f, [x]);
    },
  );

  it('gelu (tanh form) at ±10…±100: finite, 0 below and 1 above, and gradcheck holds', () => {
    const x = f64(TAILS);
    const g = grad((a: Tensor) => T.gelu(a, true).sum())(x);
    expectClose(
      g,
      TAILS.map((v) => (v > 0 ? 1 : 0)),
      1e-15,
    );
    gradcheck((a) => T.gelu(a, true), [x]);
  });

  it('atan2 of huge and of tiny arguments (1e±100): gradients b/r² and −a/r² to float64 precision', () => {
    for (const s of [1e100, 1e-100]) {
      const a = [3 * s, -1 * s, 5 * s];
      const b = [4 * s, 2 * s, -12 * s];
      // r² = s²·(a/s)² + s²·(b/s)²: scaled so the reference itself neither overflows nor underflows
      const r2 = a.map((v, i) => (v / s) ** 2 + (b[i]! / s) ** 2);
      const [ga, gb] = grad((x: Tensor, y: Tensor) => T.atan2(x, y).sum())(f64(a), f64(b));
      expectClose(
        ga!,
        b.map((v, i) => v / s / r2[i]! / s),
        0,
        1e-14,
      );
      expectClose(
        gb!,
        a.map((v, i) => -v / s / r2[i]! / s),
        0,
        1e-14,
      );
    }
    // gradcheck needs steps on the scale of the arguments: at 1e3 the default step still resolves them
    gradcheck(T.atan2, [f64([3e3, -1e3]), f64([4e3, 2e3])]);
  });

  it('prod over values from 1e-150 to 1e150: Π_{j≠i} xⱼ for each i, without overflow or underflow', () => {
    const xs = [1e150, 1e-150, 3, -1e100, 2e-90];
    const g = grad((a: Tensor) => T.prod(a))(f64(xs));
    const others = xs.map((_, i) => xs.reduce((p, v, j) => (j === i ? p : p * v), 1));
    expectClose(g, others, 0, 1e-14);
    // prod is linear in each input, so a large step is exact and keeps the differences above rounding
    gradcheck((a) => T.prod(a), [f64(xs)], { eps: 1e-2 });
  });

  it('prod of 100 factors in [0.8, 1.2] per row (gradcheck)', () => {
    const x = T.add(T.mul(T.randomUniform([2, 100], { seed: 3, dtype: 'float64' }), 0.4), 0.8);
    gradcheck((a) => T.prod(a, 1), [x]);
  });

  it('variance and std of values near 1e4 and 1e8: 2(x − mean)/n without cancellation', () => {
    for (const [offset, eps] of [
      [1e4, 1e-6],
      // at 1e8 an ε of 1e-6 is only 67 ulps; variance is quadratic, so a large step is exact
      [1e8, 1e-2],
    ] as const) {
      const x = T.add(T.randomUniform([3, 5], { seed: 3, dtype: 'float64' }), offset);
      const rows = x.arraySync() as number[][];
      const means = rows.map((r) => r.reduce((s, v) => s + (v - offset), 0) / r.length + offset);
      const want = rows.flatMap((r, i) => r.map((v) => (2 * (v - means[i]!)) / r.length));
      expectClose(grad((a: Tensor) => T.variance(a, 1).sum())(x), want, 1e-9, 1e-6);
      gradcheck((a) => T.variance(a, 1), [x], { eps });
      if (offset === 1e4) gradcheck((a) => T.std(a, 1), [x]);
    }
  });
});

describe('quotient rules where squaring an argument would leave the float range', () => {
  const f32 = (v: number[]): Tensor => tensor(v);
  const rel = (got: Tensor, want: number[], rtol: number): void => {
    const g = Array.from(got.dataSync());
    g.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(rtol * Math.abs(want[i]!)));
  };

  it('atan2 at 1e200 and 3e-200 (float64): a² + b² would overflow or underflow, the gradients do not', () => {
    for (const s of [1e200, 1e-200]) {
      const [ga, gb] = grad((x: Tensor, y: Tensor) => T.atan2(x, y).sum())(f64([3 * s]), f64([4 * s]));
      // b/(a²+b²) = 4s/(25s²) = 0.16/s, and −a/(a²+b²) = −0.12/s
      rel(ga!, [0.16 / s], 1e-14);
      rel(gb!, [-0.12 / s], 1e-14);
    }
  });

  it('atan2 at 1e25 and 1e-25 (float32)', () => {
    for (const s of [1e25, 1e-25]) {
      const [ga, gb] = grad((x: Tensor, y: Tensor) => T.atan2(x, y).sum())(f32([3 * s]), f32([4 * s]));
      rel(ga!, [0.16 / s], 1e-5);
      rel(gb!, [-0.12 / s], 1e-5);
    }
  });

  it('div d/db = −a/b² with b² out of the float32 range: 1e-30/1e-25 and 1e30/1e20', () => {
    const cases: [number, number][] = [
      [1e-30, 1e-25],
      [1e30, 1e20],
    ];
    for (const [a, b] of cases) {
      const [ga, gb] = grad((x: Tensor, y: Tensor) => T.div(x, y).sum())(f32([a]), f32([b]));
      rel(ga!, [1 / b], 1e-5);
      rel(gb!, [-a / b / b], 1e-5);
    }
  });
});
