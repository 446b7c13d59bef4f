import type { Tensor } from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import { describe, it } from 'vitest';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy';
import { categoricalHinge, hinge, squaredHinge } from './hinge';
import { kullbackLeiblerDivergence, poisson } from './probabilistic';
import { huber, logCosh, meanAbsoluteError, meanSquaredError } from './regression';
import {
  expectFinite,
  gradOf,
  values,
  EXTREME_LABELS as LABELS,
  EXTREME_PROBS as PROBS,
  EXTREME_SCORES as SCORES,
} from './testing';

// Every loss, in both float dtypes, at the inputs where naive formulas overflow or take log(0): scores of ±1e4
// for the losses that take logits or raw scores, probabilities of exactly 0 and 1 for those that take
// probabilities. Loss and gradient must both be finite everywhere.
const SPARSE = [0, 1, 2, 1];

type Case = [string, (yPred: Tensor) => Tensor, number[][]];
const CASES: Case[] = [
  ['meanSquaredError', (p) => meanSquaredError(LABELS, p), SCORES],
  ['meanAbsoluteError', (p) => meanAbsoluteError(LABELS, p), SCORES],
  ['huber', (p) => huber(LABELS, p), SCORES],
  ['logCosh', (p) => logCosh(LABELS, p), SCORES],
  ['binaryCrossentropy (logits)', (p) => binaryCrossentropy(LABELS, p, { fromLogits: true }), SCORES],
  ['binaryCrossentropy (probabilities)', (p) => binaryCrossentropy(LABELS, p), PROBS],
  [
    'categoricalCrossentropy (logits)',
    (p) => categoricalCrossentropy(LABELS, p, { fromLogits: true }),
    SCORES,
  ],
  ['categoricalCrossentropy (probabilities)', (p) => categoricalCrossentropy(LABELS, p), PROBS],
  [
    'sparseCategoricalCrossentropy (logits)',
    (p) => sparseCategoricalCrossentropy(SPARSE, p, { fromLogits: true }),
    SCORES,
  ],
  ['sparseCategoricalCrossentropy (probabilities)', (p) => sparseCategoricalCrossentropy(SPARSE, p), PROBS],
  ['hinge', (p) => hinge(LABELS, p), SCORES],
  ['squaredHinge', (p) => squaredHinge(LABELS, p), SCORES],
  ['categoricalHinge', (p) => categoricalHinge(LABELS, p), SCORES],
  ['kullbackLeiblerDivergence', (p) => kullbackLeiblerDivergence(LABELS, p), PROBS],
  ['poisson', (p) => poisson(LABELS, p), PROBS],
];

describe.each(['float32', 'float64'] as const)('extreme inputs in %s', (dtype) => {
  it.each(CASES)('%s: finite loss and finite gradient', (name, loss, input) => {
    const yPred = tensor(input, undefined, dtype);
    expectFinite(values(loss(yPred)), `${name} loss`);
    expectFinite(gradOf(loss, yPred), `${name} gradient`);
  });
});
