import type { Tensor } from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { huber, logCosh, meanAbsoluteError, meanSquaredError } from './regression';
import { F32, F64, expectClose, expectFinite, f32, f64, gradOf, matrix, rng, values } from './testing';

type Fn = (t: number, p: number) => number;
interface Case {
  name: string;
  loss: (yTrue: Tensor, yPred: Tensor) => Tensor;
  /** Elementwise loss and its derivative with respect to p, written from the formulas. */
  value: Fn;
  deriv: Fn;
}

const DELTA = 0.7;
const CASES: Case[] = [
  {
    name: 'meanSquaredError',
    loss: (t, p) => meanSquaredError(t, p, { reduction: 'none' }),
    value: (t, p) => (p - t) ** 2,
    deriv: (t, p) => 2 * (p - t),
  },
  {
    name: 'meanAbsoluteError',
    loss: (t, p) => meanAbsoluteError(t, p, { reduction: 'none' }),
    value: (t, p) => Math.abs(p - t),
    deriv: (t, p) => Math.sign(p - t),
  },
  {
    name: 'huber',
    loss: (t, p) => huber(t, p, { reduction: 'none', delta: DELTA }),
    value: (t, p) => {
      const e = Math.abs(p - t);
      return e <= DELTA ? 0.5 * e * e : DELTA * e - 0.5 * DELTA * DELTA;
    },
    deriv: (t, p) => (Math.abs(p - t) <= DELTA ? p - t : DELTA * Math.sign(p - t)),
  },
  {
    name: 'logCosh',
    loss: (t, p) => logCosh(t, p, { reduction: 'none' }),
    value: (t, p) => Math.log(Math.cosh(p - t)),
    deriv: (t, p) => Math.tanh(p - t),
  },
];

/** Per-sample reference: the elementwise loss averaged over each row. */
function reference(t: number[][], p: number[][], f: Fn): number[] {
  return t.map((row, i) => row.reduce((s, ti, j) => s + f(ti, p[i]![j]!), 0) / row.length);
}

const next = rng(7);
const T = matrix(next, 4, 3, -2, 2);
const P = matrix(next, 4, 3, -2, 2);

describe.each(CASES)('$name', ({ loss, value, deriv }) => {
  it('gives per-sample losses (mean over the last axis) equal to the float64 reference', () => {
    expectClose(values(loss(f64(T), f64(P))), reference(T, P, value), F64);
  });

  it('agrees with the reference in float32 too', () => {
    const out = loss(f32(T), f32(P));
    expect(out.dtype).toBe('float32');
    expectClose(values(out), reference(T, P, value), F32);
  });

  it("has gradient dL/dŷ = f'(ŷ − y) / (N·D) under the 'mean' reduction", () => {
    const g = gradOf((p) => loss(f64(T), p).mean(), f64(P));
    const expected = T.flatMap((row, i) =>
      row.map((ti, j) => deriv(ti, P[i]![j]!) / (T.length * row.length)),
    );
    expectClose(g, expected, F64);
  });

  it('stays finite for errors of 1e4 in float32', () => {
    const yTrue = f32([[0, 0]]);
    const yPred = f32([[1e4, -1e4]]);
    expectFinite(values(loss(yTrue, yPred)), 'loss');
    expectFinite(
      gradOf((p) => loss(yTrue, p).sum(), yPred),
      'grad',
    );
  });
});

describe('regression losses against values from the Keras documentation', () => {
  const yTrue = [
    [0, 1],
    [0, 0],
  ];
  it('mse and mae of [[1,1],[1,0]] are 0.5', () => {
    const yPred = tensor([
      [1, 1],
      [1, 0],
    ]);
    expect(meanSquaredError(yTrue, yPred).item()).toBeCloseTo(0.5, 6);
    expect(meanAbsoluteError(yTrue, yPred).item()).toBeCloseTo(0.5, 6);
  });
  it('huber of [[0.6,0.4],[0.4,0.6]] is 0.155', () => {
    const yPred = tensor([
      [0.6, 0.4],
      [0.4, 0.6],
    ]);
    expect(huber(yTrue, yPred).item()).toBeCloseTo(0.155, 6);
  });
  it('logCosh of [[1,1],[0,0]] is 0.108', () => {
    const yPred = tensor([
      [1, 1],
      [0, 0],
    ]);
    expect(logCosh(yTrue, yPred).item()).toBeCloseTo(0.10844, 4);
  });
});

describe('huber', () => {
  it('defaults to δ = 1: quadratic up to an error of 1, linear beyond', () => {
    const out = huber([[0], [0]], f64([[1], [3]]), { reduction: 'none' });
    expectClose(values(out), [0.5, 3 - 0.5], F64);
  });
  it('rejects a non-positive delta', () => {
    expect(() => huber([[0]], f64([[1]]), { delta: 0 })).toThrow(/huber: delta must be a number in/);
  });
});

describe('logCosh', () => {
  it('is |e| − log 2 for huge errors where cosh itself would overflow', () => {
    const out = logCosh([[0, 0]], f64([[1e4, -800]]), { reduction: 'none' });
    expectClose(values(out), [(1e4 - Math.LN2 + 800 - Math.LN2) / 2], F64);
  });
});
