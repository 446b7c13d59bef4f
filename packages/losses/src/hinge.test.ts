import { tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { categoricalHinge, hinge, squaredHinge } from './hinge';
import { F32, F64, expectClose, f32, f64, gradOf, matrix, rng, values } from './testing';

const next = rng(3);
const Y = matrix(next, 4, 3).map((r) => r.map((v) => (v > 0 ? 1 : -1)));
const P = matrix(next, 4, 3, -2, 2);
const N = 4;
const D = 3;

/** max(1 − y·p, 0) per element, from the formula. */
const margin = (y: number, p: number): number => Math.max(1 - y * p, 0);
const rowMean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('hinge', () => {
  it('is mean(max(1 − y·ŷ, 0)) per sample with gradient −y/(N·D) inside the margin', () => {
    const ref = Y.map((r, i) => rowMean(r.map((y, j) => margin(y, P[i]![j]!))));
    expectClose(values(hinge(f64(Y), f64(P), { reduction: 'none' })), ref, F64);
    const g = gradOf((p) => hinge(f64(Y), p), f64(P));
    expectClose(
      g,
      Y.flatMap((r, i) => r.map((y, j) => (margin(y, P[i]![j]!) > 0 ? -y / (N * D) : 0))),
      F64,
    );
  });

  it('turns 0/1 labels into −1/1', () => {
    const zeroOne = Y.map((r) => r.map((y) => (y + 1) / 2));
    expectClose(values(hinge(f64(zeroOne), f64(P))), values(hinge(f64(Y), f64(P))), F64);
  });

  it('leaves labels alone when they are not all 0 or 1', () => {
    // Labels [0, 0.5]: not binary, so 0 stays 0 (margin 1) and 0.5 gives max(1 − 0.5·2, 0) = 0.
    expectClose(values(hinge([[0, 0.5]], f64([[3, 2]]), { reduction: 'none' })), [0.5], F64);
  });

  it('has zero gradient once every sample meets the margin, also exactly at y·ŷ = 1', () => {
    const g = gradOf((p) => hinge([[1, -1, 1]], p), f64([[1, -1, 5]]));
    expectClose(g, [0, 0, 0], { rtol: 0, atol: 0 });
  });

  it('agrees in float32', () => {
    const ref = Y.map((r, i) => rowMean(r.map((y, j) => margin(y, P[i]![j]!))));
    expectClose(values(hinge(f32(Y), f32(P), { reduction: 'none' })), ref, F32);
  });
});

describe('squaredHinge', () => {
  it('is mean(max(1 − y·ŷ, 0)²) per sample with gradient −2y·max(1 − y·ŷ, 0)/(N·D)', () => {
    const ref = Y.map((r, i) => rowMean(r.map((y, j) => margin(y, P[i]![j]!) ** 2)));
    expectClose(values(squaredHinge(f64(Y), f64(P), { reduction: 'none' })), ref, F64);
    const g = gradOf((p) => squaredHinge(f64(Y), p), f64(P));
    expectClose(
      g,
      Y.flatMap((r, i) => r.map((y, j) => (-2 * y * margin(y, P[i]![j]!)) / (N * D))),
      F64,
    );
  });
});

describe('categoricalHinge', () => {
  const T = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [0, 1, 0],
  ];
  /** Keras' formula: max(max((1 − y)·ŷ) − Σ y·ŷ + 1, 0). */
  function ref(t: number[][], p: number[][]): number[] {
    return t.map((r, i) => {
      const pos = r.reduce((s, y, j) => s + y * p[i]![j]!, 0);
      const neg = Math.max(...r.map((y, j) => (1 - y) * p[i]![j]!));
      return Math.max(neg - pos + 1, 0);
    });
  }

  it('matches the formula, with gradient +1 on the best wrong class and −1 on the true one', () => {
    expectClose(values(categoricalHinge(f64(T), f64(P), { reduction: 'none' })), ref(T, P), F64);
    const expected = T.flatMap((r, i) => {
      const active = ref([r], [P[i]!])[0]! > 0;
      const scores = r.map((y, j) => (1 - y) * P[i]![j]!);
      const best = scores.indexOf(Math.max(...scores));
      return r.map((y, j) => (active ? (j === best ? 1 : 0) - y : 0) / N);
    });
    expectClose(
      gradOf((p) => categoricalHinge(f64(T), p), f64(P)),
      expected,
      F64,
    );
  });

  it('is zero, with zero gradient, once the true class wins by a margin of 1', () => {
    const yPred = f64([[3, 1.5, -2]]);
    expect(values(categoricalHinge([[1, 0, 0]], yPred))).toEqual([0]);
    expectClose(
      gradOf((p) => categoricalHinge([[1, 0, 0]], p), yPred),
      [0, 0, 0],
      { rtol: 0, atol: 0 },
    );
  });
});

describe('hinge losses against values from the Keras documentation', () => {
  const yTrue = [
    [0, 1],
    [0, 0],
  ];
  const yPred = tensor([
    [0.6, 0.4],
    [0.4, 0.6],
  ]);
  it('hinge 1.3, squared hinge 1.86, categorical hinge 1.4', () => {
    expect(hinge(yTrue, yPred).item()).toBeCloseTo(1.3, 5);
    expect(squaredHinge(yTrue, yPred).item()).toBeCloseTo(1.86, 5);
    expect(categoricalHinge(yTrue, yPred).item()).toBeCloseTo(1.4, 5);
  });
});
