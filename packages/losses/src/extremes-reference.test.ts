import type { Tensor } from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import { describe, it } from 'vitest';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy';
import { categoricalHinge, hinge, squaredHinge } from './hinge';
import { kullbackLeiblerDivergence, poisson } from './probabilistic';
import { huber, logCosh, meanAbsoluteError, meanSquaredError } from './regression';
import {
  F64,
  expectClose,
  gradOf,
  values,
  EXTREME_LABELS as LABELS,
  EXTREME_PROBS as PROBS,
  EXTREME_SCORES as SCORES,
} from './testing';

// extremes.test.ts shows every loss stays finite at the inputs where naive formulas overflow or take log(0).
// Here the values themselves are checked, loss and gradient, against float64 references written from each
// formula element by element (plain JS, no tensor op), at the same inputs: scores of ±1e4 and probabilities of
// exactly 0 and 1. Conventions the references state: a subgradient of 0 at a kink (|e| = 0, a met margin), ties
// of a max sharing its gradient equally, clip passing the gradient at its bounds and blocking it outside.
// Probability rows that mix exact 0s and 1s with interior values, so the clipped and unclipped paths meet.
const MIXED = [
  [0, 0.3, 0.7],
  [1, 0, 0],
  [0.2, 0.8, 0],
  [0, 0, 1],
];
const SPARSE = [0, 1, 2, 1];
const EPS = 1e-7;
const N = 4;

/**
 * Keras' clip bounds [ε, 1 − ε] as the dtype holds them: in float32, 1 − 1e-7 rounds to 1 − 1.19e-7, so a
 * clipped probability of 1 costs −log(1.19e-7) ≈ 15.9 there rather than −log(1e-7) ≈ 16.1 (Keras alike).
 */
interface Bounds {
  lo: number;
  hi: number;
}
const BOUNDS: Record<'float32' | 'float64', Bounds> = {
  float32: { lo: Math.fround(EPS), hi: Math.fround(1 - EPS) },
  float64: { lo: EPS, hi: 1 - EPS },
};

/** One sample: its loss and d(loss)/d(prediction) for each element of the row. */
type Reference = (y: number[], p: number[], row: number, b: Bounds) => { loss: number; grad: number[] };

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const clipP = (p: number, lo: number, hi: number): number => Math.min(Math.max(p, lo), hi);
const inside = (p: number, lo: number, hi: number): boolean => p >= lo && p <= hi;

/** A loss that is the mean over the last axis of an elementwise loss ℓ(y, p) with derivative ℓ'(y, p). */
const elementwise =
  (
    loss: (y: number, p: number, b: Bounds) => number,
    dLoss: (y: number, p: number, b: Bounds) => number,
  ): Reference =>
  (y, p, _, b) => ({
    loss: mean(y.map((v, j) => loss(v, p[j]!, b))),
    grad: y.map((v, j) => dLoss(v, p[j]!, b) / y.length),
  });

/** Hinge labels: every label here is 0 or 1, so they become −1 / 1. */
const pm = (y: number): number => 2 * y - 1;

const REFERENCES: [string, (yPred: Tensor) => Tensor, number[][], Reference][] = [
  [
    'meanSquaredError',
    (p) => meanSquaredError(LABELS, p),
    SCORES,
    elementwise(
      (y, p) => (p - y) ** 2,
      (y, p) => 2 * (p - y),
    ),
  ],
  [
    'meanAbsoluteError',
    (p) => meanAbsoluteError(LABELS, p),
    SCORES,
    elementwise(
      (y, p) => Math.abs(p - y),
      (y, p) => sign(p - y),
    ),
  ],
  [
    'huber (δ = 1)',
    (p) => huber(LABELS, p),
    SCORES,
    elementwise(
      (y, p) => (Math.abs(p - y) <= 1 ? 0.5 * (p - y) ** 2 : Math.abs(p - y) - 0.5),
      (y, p) => clipP(p - y, -1, 1),
    ),
  ],
  [
    'logCosh',
    (p) => logCosh(LABELS, p),
    SCORES,
    // log cosh e = |e| + log1p(e^−2|e|) − log 2, which never overflows
    elementwise(
      (y, p) => Math.abs(p - y) + Math.log1p(Math.exp(-2 * Math.abs(p - y))) - Math.LN2,
      (y, p) => Math.tanh(p - y),
    ),
  ],
  [
    'hinge',
    (p) => hinge(LABELS, p),
    SCORES,
    elementwise(
      (y, p) => Math.max(1 - pm(y) * p, 0),
      (y, p) => (1 - pm(y) * p > 0 ? -pm(y) : 0),
    ),
  ],
  [
    'squaredHinge',
    (p) => squaredHinge(LABELS, p),
    SCORES,
    elementwise(
      (y, p) => Math.max(1 - pm(y) * p, 0) ** 2,
      (y, p) => -2 * pm(y) * Math.max(1 - pm(y) * p, 0),
    ),
  ],
  [
    'categoricalHinge',
    (p) => categoricalHinge(LABELS, p),
    SCORES,
    (y, p) => {
      const wrong = y.map((v, j) => (1 - v) * p[j]!);
      const best = Math.max(...wrong);
      const ties = wrong.filter((w) => w === best).length;
      const loss = Math.max(best - y.reduce((s, v, j) => s + v * p[j]!, 0) + 1, 0);
      const grad = y.map((v, j) => (loss > 0 ? (wrong[j] === best ? (1 - v) / ties : 0) - v : 0));
      return { loss, grad };
    },
  ],
  [
    'binaryCrossentropy from logits',
    (p) => binaryCrossentropy(LABELS, p, { fromLogits: true }),
    SCORES,
    // −y log σ(x) − (1 − y) log(1 − σ(x)) = log(1 + eˣ) − x·y, with log(1 + eˣ) = max(x, 0) + log1p(e^−|x|)
    elementwise(
      (y, x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))) - x * y,
      (y, x) => sigmoid(x) - y,
    ),
  ],
  [
    'binaryCrossentropy from probabilities 0 and 1',
    (p) => binaryCrossentropy(LABELS, p),
    MIXED,
    elementwise(
      (y, p, b) => {
        const q = clipP(p, b.lo, b.hi);
        return -y * Math.log(q) - (1 - y) * Math.log(1 - q);
      },
      (y, p, b) => (inside(p, b.lo, b.hi) ? -y / p + (1 - y) / (1 - p) : 0),
    ),
  ],
  [
    'sparseCategoricalCrossentropy from logits',
    (p) => sparseCategoricalCrossentropy(SPARSE, p, { fromLogits: true }),
    SCORES,
    (_, x, row) => {
      const m = Math.max(...x);
      const lse = m + Math.log(x.reduce((s, v) => s + Math.exp(v - m), 0));
      const label = SPARSE[row]!;
      return { loss: lse - x[label]!, grad: x.map((v, j) => Math.exp(v - lse) - (j === label ? 1 : 0)) };
    },
  ],
  [
    'categoricalCrossentropy from logits',
    (p) => categoricalCrossentropy(LABELS, p, { fromLogits: true }),
    SCORES,
    (y, x) => {
      const m = Math.max(...x);
      const lse = m + Math.log(x.reduce((s, v) => s + Math.exp(v - m), 0));
      const total = y.reduce((a, b) => a + b, 0);
      return {
        loss: y.reduce((s, v, j) => s + v * (lse - x[j]!), 0),
        grad: x.map((v, j) => Math.exp(v - lse) * total - y[j]!),
      };
    },
  ],
  ...[PROBS, MIXED].map((probs, k): [string, (yPred: Tensor) => Tensor, number[][], Reference] => [
    `categoricalCrossentropy from probabilities 0 and 1${k === 1 ? ' mixed with interior ones' : ''}`,
    (p) => categoricalCrossentropy(LABELS, p),
    probs,
    // Keras: q = clip(p / Σp, ε, 1 − ε), loss −Σ y·log q. Through the normalization each p_j affects every q_c:
    // ∂q_c/∂p_j = (δ_jc − q_c)/Σp where the clip passes, 0 where it does not.
    (y, p, _, b) => {
      const s = p.reduce((a, v) => a + v, 0);
      const q = p.map((v) => v / s);
      const loss = -y.reduce((acc, v, c) => acc + v * Math.log(clipP(q[c]!, b.lo, b.hi)), 0);
      const grad = p.map((_, j) =>
        y.reduce(
          (acc, v, c) =>
            inside(q[c]!, b.lo, b.hi) ? acc - (v / q[c]!) * (((j === c ? 1 : 0) - q[c]!) / s) : acc,
          0,
        ),
      );
      return { loss, grad };
    },
  ]),
  [
    'kullbackLeiblerDivergence at probabilities 0 and 1',
    (p) => kullbackLeiblerDivergence(LABELS, p),
    MIXED,
    // Σ y·log(y/p) with both clipped to [ε, 1]; d/dp = −y/p where p's clip passes
    (y, p, _, b) => {
      const yc = y.map((v) => clipP(v, b.lo, 1));
      const pc = p.map((v) => clipP(v, b.lo, 1));
      return {
        loss: yc.reduce((s, v, j) => s + v * Math.log(v / pc[j]!), 0),
        grad: p.map((v, j) => (inside(v, b.lo, 1) ? -yc[j]! / v : 0)),
      };
    },
  ],
  [
    'poisson at rate 0',
    (p) => poisson(LABELS, p),
    MIXED,
    // Keras: p − y·log(p + ε); at p = 0 and y = 1 that is −log ε ≈ 16.1 with gradient 1 − y/ε ≈ −1e7
    elementwise(
      (y, p, b) => p - y * Math.log(p + b.lo),
      (y, p, b) => 1 - y / (p + b.lo),
    ),
  ],
];

// float32 follows the float64 reference (with float32's clip bounds) to its own precision: the relative error
// of a few composed ops, and an absolute one near zero.
const TOL = { float32: { rtol: 1e-6, atol: 2e-6 }, float64: F64 } as const;

describe.each(['float64', 'float32'] as const)(
  'losses at extreme inputs against float64 references (%s)',
  (dtype) => {
    it.each(REFERENCES)('%s: loss and gradient', (name, loss, input, reference) => {
      const rows = input.map((p, i) => reference(LABELS[i]!, p, i, BOUNDS[dtype]));
      const yPred = tensor(input, undefined, dtype);
      const tol = TOL[dtype];
      expectClose(values(loss(yPred)), [mean(rows.map((r) => r.loss))], tol, `${name} loss`);
      // the default 'mean' reduction divides each sample's gradient by the number of samples
      expectClose(
        gradOf(loss, yPred),
        rows.flatMap((r) => r.grad.map((g) => g / N)),
        tol,
        `${name} gradient`,
      );
    });
  },
);
