import { tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { kullbackLeiblerDivergence, poisson } from './probabilistic';
import { F32, F64, expectClose, expectFinite, f64, gradOf, matrix, rng, values } from './testing';

const EPS = 1e-7;
const next = rng(5);
const T = matrix(next, 3, 4, 0.05, 0.95);
const P = matrix(next, 3, 4, 0.05, 0.95);
const COUNTS = matrix(next, 3, 4, 0, 5).map((r) => r.map(Math.round));

describe('kullbackLeiblerDivergence', () => {
  const clip = (x: number): number => Math.min(Math.max(x, EPS), 1);

  it('is Σ y·log(y/ŷ) over the last axis (a sum, not a mean) with gradient −y/(ŷ·N)', () => {
    const ref = T.map((r, i) => r.reduce((s, y, j) => s + clip(y) * Math.log(clip(y) / clip(P[i]![j]!)), 0));
    expectClose(values(kullbackLeiblerDivergence(f64(T), f64(P), { reduction: 'none' })), ref, F64);
    const g = gradOf((p) => kullbackLeiblerDivergence(f64(T), p), f64(P));
    expectClose(
      g,
      T.flatMap((r, i) => r.map((y, j) => -y / P[i]![j]! / T.length)),
      F64,
    );
  });

  it('is zero for identical distributions', () => {
    expectClose(values(kullbackLeiblerDivergence(f64(P), f64(P), { reduction: 'none' })), [0, 0, 0], F64);
  });

  it.each(['float32', 'float64'] as const)('is finite for probabilities of exactly 0 and 1 (%s)', (dtype) => {
    const yTrue = [[0, 1, 0.5, 0]];
    const yPred = tensor([[1, 0, 0.5, 0]], undefined, dtype);
    const out = values(kullbackLeiblerDivergence(yTrue, yPred));
    expectFinite(out, 'loss');
    // The 1 · log(1/ε) term dominates: log(1e7) ≈ 16.1.
    expectClose(out, [Math.log(1 / EPS) + EPS * Math.log(EPS) + 2 * EPS * Math.log(EPS)], F32);
    expectFinite(
      gradOf((p) => kullbackLeiblerDivergence(yTrue, p), yPred),
      'grad',
    );
  });

  it('is 0.458 on the Keras documentation example', () => {
    const yPred = tensor([
      [0.6, 0.4],
      [0.4, 0.6],
    ]);
    expect(
      kullbackLeiblerDivergence(
        [
          [0, 1],
          [0, 0],
        ],
        yPred,
      ).item(),
    ).toBeCloseTo(0.45814, 4);
  });
});

describe('poisson', () => {
  it('is mean(ŷ − y·log(ŷ + ε)) over the last axis with gradient (1 − y/(ŷ + ε))/(N·D)', () => {
    const ref = COUNTS.map(
      (r, i) => r.reduce((s, y, j) => s + P[i]![j]! - y * Math.log(P[i]![j]! + EPS), 0) / 4,
    );
    expectClose(values(poisson(f64(COUNTS), f64(P), { reduction: 'none' })), ref, F64);
    const g = gradOf((p) => poisson(f64(COUNTS), p), f64(P));
    expectClose(
      g,
      COUNTS.flatMap((r, i) => r.map((y, j) => (1 - y / (P[i]![j]! + EPS)) / 12)),
      F64,
    );
  });

  it('is finite at a predicted rate of exactly 0', () => {
    const yPred = tensor([[0, 0]]);
    expectFinite(values(poisson([[0, 3]], yPred)), 'loss');
    expectFinite(
      gradOf((p) => poisson([[0, 3]], p), yPred),
      'grad',
    );
  });

  it('is 0.5 on the Keras documentation example', () => {
    const yPred = tensor([
      [1, 1],
      [0, 0],
    ]);
    expect(
      poisson(
        [
          [0, 1],
          [0, 0],
        ],
        yPred,
      ).item(),
    ).toBeCloseTo(0.5, 5);
  });
});
