/**
 * fast-check arbitraries for the random-shape gradient tests (not exported from the package): shapes, axes,
 * permutations and slices small enough that gradcheck, which perturbs every element twice, stays fast.
 */
import type { Axis } from '@backprop/core-tensor';
import fc from 'fast-check';

/** Shapes of rank minRank…maxRank with dimensions minDim…maxDim. */
export const dimsArb = (minRank: number, maxRank: number, minDim = 1, maxDim = 3): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });

/** An axis of a tensor of rank `rank` ≥ 1, written positive or negative. */
export const oneAxisArb = (rank: number): fc.Arbitrary<number> => fc.integer({ min: -rank, max: rank - 1 });

/**
 * Any valid `axis` argument of a reduction over a tensor of rank `rank`: undefined (all axes), one axis, or a
 * non-empty set of distinct axes in any order, each written positive or negative at random.
 */
export const axisArb = (rank: number): fc.Arbitrary<Axis | undefined> => {
  if (rank === 0) return fc.constant(undefined);
  const all = Array.from({ length: rank }, (_, i) => i);
  const several = fc
    .tuple(
      fc.shuffledSubarray(all, { minLength: 1 }),
      fc.array(fc.boolean(), { minLength: rank, maxLength: rank }),
    )
    .map(([axes, negative]) => axes.map((a, i) => (negative[i] ? a - rank : a)));
  return fc.oneof(fc.constant(undefined), oneAxisArb(rank), several);
};

/** The positive axes that `axis` names on a tensor of rank `rank` (all of them for undefined). */
export function axesOf(axis: Axis | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  return (typeof axis === 'number' ? [axis] : [...axis]).map((a) => (a < 0 ? a + rank : a));
}

/** A permutation of 0…rank−1. */
export const permArb = (rank: number): fc.Arbitrary<number[]> =>
  fc.shuffledSubarray(
    Array.from({ length: rank }, (_, i) => i),
    { minLength: rank, maxLength: rank },
  );

/** Python-style slice arguments for `shape`: per axis a begin, an end (either may be null or negative) and a step. */
export const sliceArb = (
  shape: readonly number[],
): fc.Arbitrary<{ begin: (number | null)[]; end: (number | null)[]; step: number[] }> => {
  const bound = (n: number): fc.Arbitrary<number | null> =>
    fc.oneof(fc.constant(null), fc.integer({ min: -n - 1, max: n + 1 }));
  const axis = (n: number) =>
    fc.tuple(bound(n), bound(n), fc.constantFrom(-2, -1, 1, 1, 2, 3)).map(([b, e, s]) => ({ b, e, s }));
  return fc.tuple(...shape.map(axis)).map((axes) => ({
    begin: axes.map((a) => a.b),
    end: axes.map((a) => a.e),
    step: axes.map((a) => a.s),
  }));
};
