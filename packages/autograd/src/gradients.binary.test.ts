import type { Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad, gradcheck } from './index';
import { FC, broadcastPairArb, rand, randAway } from './testing';

type Draw = (shape: readonly number[], seed: number) => Tensor;
const any: Draw = (s, seed) => rand(s, seed, -2, 2);

// Each binary op with the domain of each operand. Every pair of shapes is drawn so that the operands broadcast,
// which checks that the engine sums the gradient of a broadcast operand back to its own shape.
const BINARY: [string, (a: Tensor, b: Tensor) => Tensor, Draw, Draw][] = [
  ['add', T.add, any, any],
  ['sub', T.sub, any, any],
  ['mul', T.mul, any, any],
  ['div', T.div, any, (s, seed) => randAway(s, seed, 0.5, 2)],
  ['pow (both gradients; positive base)', T.pow, (s, seed) => rand(s, seed, 0.3, 2), any],
  ['maximum', T.maximum, any, any],
  ['minimum', T.minimum, any, any],
  // |a| < |b| keeps a/b in (−1, 1) \ {0}: floor(a/b) does not jump within ε.
  ['mod', T.mod, (s, seed) => randAway(s, seed, 0.2, 1.2), (s, seed) => randAway(s, seed, 1.5, 2.5)],
  ['atan2', T.atan2, (s, seed) => randAway(s, seed, 0.2, 2), (s, seed) => randAway(s, seed, 0.2, 2)],
];

describe('gradients of elementwise ops of two inputs, with broadcasting (gradcheck)', () => {
  it.each(BINARY)('%s', (_, f, drawA, drawB) => {
    fc.assert(
      fc.property(broadcastPairArb(), fc.nat(1000), ([sa, sb], seed) => {
        const report = gradcheck(f, [drawA(sa, seed), drawB(sb, seed + 7)]);
        expect(report.inputs.map((r) => r.skipped ?? false)).toEqual([false, false]);
      }),
      FC,
    );
  });

  it('where: the gradient goes to the branch that was picked; cond gets none', () => {
    const cond = tensor([
      [true, false, true],
      [false, false, true],
    ]);
    fc.assert(
      fc.property(fc.nat(1000), (seed) => {
        // a is broadcast along rows, b is a full matrix, cond is a full matrix
        const report = gradcheck(
          (c, a, b) => T.where(c, a, b),
          [cond, rand([3], seed), rand([2, 3], seed + 1)],
        );
        expect(report.inputs[0]!.skipped).toBe(true);
      }),
      { ...FC, numRuns: 4 },
    );
    const [ga, gb] = grad((a: Tensor, b: Tensor) => T.where(cond, a, b).sum())(tensor([1, 1, 1]), tensor(0));
    expect(ga!.arraySync()).toEqual([1, 0, 2]);
    expect(gb!.arraySync()).toEqual(3);
  });

  it('where broadcasts a scalar branch and sums its gradient over every picked position', () => {
    const x = rand([2, 2], 1);
    gradcheck((a, s) => T.where(T.greater(a, 0), a, s), [x, tensor(0.5, [], 'float64')]);
  });
});

describe('conventions at ties and singular points', () => {
  it('maximum/minimum send the whole gradient to the first argument on a tie (as TF)', () => {
    const a = tensor([1, 2]);
    const b = tensor([1, 3]);
    const [ga, gb] = grad((x: Tensor, y: Tensor) => T.maximum(x, y).sum())(a, b);
    expect([ga!.arraySync(), gb!.arraySync()]).toEqual([
      [1, 0],
      [0, 1],
    ]);
    const [ha, hb] = grad((x: Tensor, y: Tensor) => T.minimum(x, y).sum())(a, b);
    expect([ha!.arraySync(), hb!.arraySync()]).toEqual([
      [1, 1],
      [0, 0],
    ]);
  });

  it('pow with a negative base and an integer exponent: d/da = b·aᵇ⁻¹, and no NaN for d/db', () => {
    const [ga, gb] = grad((a: Tensor, b: Tensor) => T.pow(a, b).sum())(tensor([-2, -1]), tensor([3, 2]));
    expect(ga!.arraySync()).toEqual([12, -2]);
    // ln a is undefined for a ≤ 0: taken as 0, as PyTorch does (the sign of the zero does not matter)
    expect(Array.from(gb!.dataSync(), Math.abs)).toEqual([0, 0]);
    gradcheck((a) => T.pow(a, 3), [tensor([-1.5, -0.5, 0.7], undefined, 'float64')]);
  });

  it('pow at a zero base with exponent ≥ 1 has a finite gradient', () => {
    const g = grad((a: Tensor) => T.pow(a, 2).sum())(tensor([0, 1]));
    expect(g.arraySync()).toEqual([0, 2]);
  });

  it('a scalar operand broadcast over a tensor gets the sum of all its contributions', () => {
    const [, gs] = grad((x: Tensor, s: Tensor) => T.mul(x, s).sum())(tensor([1, 2, 3]), tensor(5));
    expect(gs!.shape).toEqual([]);
    expect(gs!.item()).toBe(6);
  });
});
