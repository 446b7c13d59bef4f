import type { Tensor } from '@backprop/core-tensor';
import { gradcheck } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy';
import { categoricalHinge, hinge, squaredHinge } from './hinge';
import { kullbackLeiblerDivergence, poisson } from './probabilistic';
import { huber, logCosh, meanAbsoluteError, meanSquaredError } from './regression';
import { f64, matrix, rng } from './testing';

// Finite differences against backpropagation, in float64, for every loss and for the options that change the
// computation. Inputs are random but kept off the kinks (|e| = δ, y·ŷ = 1, clip bounds) where one-sided
// derivatives differ and no gradient can match both.
const next = rng(42);
const REAL = f64(matrix(next, 3, 4, -2, 2));
const TARGET = f64(matrix(next, 3, 4, -2, 2));
const PROB = f64(matrix(next, 3, 4, 0.05, 0.95));
const SOFT = f64(matrix(next, 3, 4, 0.05, 0.95));
const BINARY = f64(matrix(next, 3, 4).map((r) => r.map((v) => (v > 0 ? 1 : 0))));
const ONE_HOT = f64([
  [0, 1, 0, 0],
  [1, 0, 0, 0],
  [0, 0, 0, 1],
]);
const WEIGHTS = f64([0.5, 2, 1]);

const CASES: [string, (yPred: Tensor) => Tensor, Tensor][] = [
  ['meanSquaredError', (p) => meanSquaredError(TARGET, p), REAL],
  ['meanAbsoluteError', (p) => meanAbsoluteError(TARGET, p), REAL],
  ['huber (δ = 0.5)', (p) => huber(TARGET, p, { delta: 0.5 }), REAL],
  ['logCosh', (p) => logCosh(TARGET, p), REAL],
  ['binaryCrossentropy (probabilities)', (p) => binaryCrossentropy(BINARY, p), PROB],
  [
    'binaryCrossentropy (logits, smoothing)',
    (p) => binaryCrossentropy(BINARY, p, { fromLogits: true, labelSmoothing: 0.1 }),
    REAL,
  ],
  ['categoricalCrossentropy (probabilities)', (p) => categoricalCrossentropy(ONE_HOT, p), PROB],
  [
    'categoricalCrossentropy (logits, soft labels)',
    (p) => categoricalCrossentropy(SOFT, p, { fromLogits: true }),
    REAL,
  ],
  ['sparseCategoricalCrossentropy (probabilities)', (p) => sparseCategoricalCrossentropy([1, 0, 3], p), PROB],
  [
    'sparseCategoricalCrossentropy (logits)',
    (p) => sparseCategoricalCrossentropy([1, 0, 3], p, { fromLogits: true }),
    REAL,
  ],
  ['hinge', (p) => hinge(BINARY, p), REAL],
  ['squaredHinge', (p) => squaredHinge(BINARY, p), REAL],
  ['categoricalHinge', (p) => categoricalHinge(ONE_HOT, p), REAL],
  ['kullbackLeiblerDivergence', (p) => kullbackLeiblerDivergence(SOFT, p), PROB],
  ['poisson', (p) => poisson(TARGET.abs(), p), PROB],
  [
    'meanSquaredError (sum, weighted)',
    (p) => meanSquaredError(TARGET, p, { reduction: 'sum', sampleWeight: WEIGHTS }),
    REAL,
  ],
  [
    'binaryCrossentropy (none, weighted)',
    (p) => binaryCrossentropy(BINARY, p, { reduction: 'none', sampleWeight: WEIGHTS }),
    PROB,
  ],
];

describe('gradcheck (float64 finite differences)', () => {
  it.each(CASES)('%s', (_, loss, yPred) => {
    expect(gradcheck(loss, [yPred], { atol: 1e-6, rtol: 1e-4 }).ok).toBe(true);
  });
});
