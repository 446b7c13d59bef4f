import type { Axis, NormOrd, Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradcheck } from './index';
import { axisArb, dimsArb, oneAxisArb } from './testing.arbitraries';
import { FC, distinct, rand, randAway } from './testing';

// The fixed-shape tests (gradients.reduce/linalg.test.ts) pin down every option on one shape; these draw the
// rank, the dimensions, the axes and the batch dimensions at random, so that an index computation that only
// works for [2,3,4] cannot hide. Shapes stay small: gradcheck evaluates f twice per input element.
const RUNS = { ...FC, numRuns: 16 } as const;

type Draw = (shape: readonly number[], seed: number) => Tensor;
type Reduce = (x: Tensor, axis: Axis | undefined, keepDims: boolean) => Tensor;

// Each reduction with where its input is drawn and the shapes it is drawn over: std needs at least two reduced
// elements (the derivative of √ at a zero variance is infinite), hence dimensions ≥ 2 there.
const REDUCTIONS: [string, Reduce, Draw, fc.Arbitrary<number[]>][] = [
  ['sum', T.sum, (s, seed) => rand(s, seed), dimsArb(0, 3)],
  ['mean', T.mean, (s, seed) => rand(s, seed), dimsArb(0, 3)],
  ['max', T.max, (s, seed) => distinct(s, seed), dimsArb(0, 3)],
  ['min', T.min, (s, seed) => distinct(s, seed), dimsArb(0, 3)],
  ['prod', T.prod, (s, seed) => randAway(s, seed, 0.5, 1.5), dimsArb(0, 3)],
  ['variance', T.variance, (s, seed) => rand(s, seed), dimsArb(0, 3)],
  ['std', T.std, (s, seed) => rand(s, seed), dimsArb(1, 3, 2, 3)],
  ['logSumExp', T.logSumExp, (s, seed) => rand(s, seed, -3, 3), dimsArb(0, 3)],
];

const reductionCase = (shapes: fc.Arbitrary<number[]>) =>
  shapes.chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      axis: axisArb(shape.length),
      keepDims: fc.boolean(),
      seed: fc.nat(1000),
    }),
  );

describe('reductions over random shapes, axes and keepDims (gradcheck)', () => {
  it.each(REDUCTIONS)('%s', (_, f, draw, shapes) => {
    fc.assert(
      fc.property(reductionCase(shapes), ({ shape, axis, keepDims, seed }) => {
        expect(gradcheck((x) => f(x, axis, keepDims), [draw(shape, seed)]).ok).toBe(true);
      }),
      RUNS,
    );
  });

  // ord 1 has a kink at 0 and ∞ one at ties of |x|: their inputs avoid both (distinct values have distinct
  // magnitudes); every other order is drawn away from 0, where |x| has its kink.
  const ORDS: [NormOrd, Draw][] = [
    ['euclidean', (s, seed) => randAway(s, seed)],
    [1, (s, seed) => randAway(s, seed)],
    [Infinity, (s, seed) => distinct(s, seed)],
    [3, (s, seed) => randAway(s, seed)],
    [1.5, (s, seed) => randAway(s, seed)],
  ];
  it.each(ORDS)('norm of order %s', (ord, draw) => {
    fc.assert(
      fc.property(reductionCase(dimsArb(1, 3)), ({ shape, axis, keepDims, seed }) => {
        expect(gradcheck((x) => T.norm(x, ord, axis, keepDims), [draw(shape, seed)]).ok).toBe(true);
      }),
      RUNS,
    );
  });
});

const softmaxCase = dimsArb(1, 3).chain((shape) =>
  fc.record({ shape: fc.constant(shape), axis: oneAxisArb(shape.length), seed: fc.nat(1000) }),
);

describe('softmax and logSoftmax over random shapes and axes (gradcheck)', () => {
  it.each([
    ['softmax', T.softmax],
    ['logSoftmax', T.logSoftmax],
  ] as const)('%s', (_, f) => {
    fc.assert(
      fc.property(softmaxCase, ({ shape, axis, seed }) => {
        expect(gradcheck((x) => f(x, axis), [rand(shape, seed, -3, 3)]).ok).toBe(true);
      }),
      RUNS,
    );
  });
});

/**
 * Two batch shapes that broadcast against each other (rank ≤ 2, each dimension equal, or 1 on one side, or
 * missing on one side), for matmul's leading axes.
 */
const batchPairArb: fc.Arbitrary<[number[], number[]]> = fc
  .tuple(
    fc.array(fc.tuple(fc.integer({ min: 1, max: 2 }), fc.constantFrom('both', 'aOne', 'bOne')), {
      maxLength: 2,
    }),
    fc.nat(2),
    fc.boolean(),
  )
  .map(([axes, drop, fromA]) => {
    const a = axes.map(([d, k]) => (k === 'aOne' ? 1 : d));
    const b = axes.map(([d, k]) => (k === 'bOne' ? 1 : d));
    // leading axes missing on one side: the other side's batch broadcasts over them
    const cut = Math.min(drop, axes.length);
    return fromA ? [a.slice(cut), b] : [a, b.slice(cut)];
  });

const matmulCase = fc.record({
  batch: batchPairArb,
  m: fc.integer({ min: 1, max: 3 }),
  k: fc.integer({ min: 1, max: 3 }),
  n: fc.integer({ min: 1, max: 3 }),
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  // sometimes one operand is a vector (then it has no batch axes and is never transposed)
  vector: fc.constantFrom('none', 'none', 'a', 'b'),
  seed: fc.nat(1000),
});

describe('matmul over random batch dimensions, sizes and transposes (gradcheck)', () => {
  it('matrix and batched products, with broadcast batch axes', () => {
    fc.assert(
      fc.property(matmulCase, ({ batch: [ba, bb], m, k, n, transposeA, transposeB, vector, seed }) => {
        const tA = vector !== 'a' && transposeA;
        const tB = vector !== 'b' && transposeB;
        const sa = vector === 'a' ? [k] : [...ba, ...(tA ? [k, m] : [m, k])];
        const sb = vector === 'b' ? [k] : [...bb, ...(tB ? [n, k] : [k, n])];
        const report = gradcheck(
          (a, b) => T.matmul(a, b, { transposeA: tA, transposeB: tB }),
          [rand(sa, seed), rand(sb, seed + 1)],
        );
        expect(report.ok).toBe(true);
      }),
      { ...RUNS, numRuns: 32 },
    );
  });

  it('dot of vectors and of matrices, and outer, over random sizes', () => {
    const sizes = fc.tuple(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 4 }),
      fc.nat(1000),
    );
    fc.assert(
      fc.property(sizes, ([m, k, n, seed]) => {
        expect(gradcheck((a, b) => T.dot(a, b), [rand([k], seed), rand([k], seed + 1)]).ok).toBe(true);
        expect(gradcheck((a, b) => T.dot(a, b), [rand([m, k], seed), rand([k, n], seed + 1)]).ok).toBe(true);
        expect(gradcheck((a, b) => T.outer(a, b), [rand([m], seed), rand([n], seed + 1)]).ok).toBe(true);
      }),
      RUNS,
    );
  });
});
