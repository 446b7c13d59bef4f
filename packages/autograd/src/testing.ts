/**
 * Helpers for this package's tests (not exported from the package): seeded float64 inputs for gradcheck and
 * fast-check arbitraries for shapes. Every input is drawn from a fixed seed, so a failure reproduces exactly.
 */
import type { Tensor } from '@backprop/core-tensor';
import { Generator, tensor } from '@backprop/core-tensor';
import fc from 'fast-check';

/** float64 samples uniform in [lo, hi), from `seed`. */
export function rand(shape: readonly number[], seed: number, lo = -1, hi = 1): Tensor {
  const g = new Generator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Float64Array.from({ length: n }, () => lo + (hi - lo) * g.uniform()),
    shape,
    'float64',
  );
}

/**
 * float64 samples with |x| in [gap, hi), random sign: inputs kept away from a kink or pole at 0 (abs, relu,
 * log|x|, 1/x), where a central difference straddling it would be meaningless.
 */
export function randAway(shape: readonly number[], seed: number, gap = 0.2, hi = 1.5): Tensor {
  const g = new Generator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Float64Array.from({ length: n }, () => (g.uniform() < 0.5 ? -1 : 1) * (gap + (hi - gap) * g.uniform())),
    shape,
    'float64',
  );
}

/**
 * float64 values at least `gap` apart, in random order: no ties for max/min rules. With the default offset no two
 * have the same magnitude either (for the ∞-norm), since k·gap + offset = −(m·gap + offset) has no solution.
 */
export function distinct(shape: readonly number[], seed: number, gap = 0.1, offset = 0.033): Tensor {
  const g = new Generator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => (i - Math.floor(n / 2)) * gap + offset);
  for (let i = n - 1; i > 0; i--) {
    const j = g.int(0, i + 1);
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return tensor(Float64Array.from(values), shape, 'float64');
}

/** Shapes of rank 0…maxRank with dimensions 1…maxDim (small: gradcheck perturbs every element). */
export const shapeArb = (maxRank = 3, maxDim = 3): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: 0, maxLength: maxRank });

/**
 * Two shapes that broadcast together: the second drops some leading axes of the first and has size 1 on
 * others (sometimes the first has the 1s instead), so every kind of broadcast is drawn.
 */
export const broadcastPairArb = (): fc.Arbitrary<[number[], number[]]> =>
  fc
    .tuple(shapeArb(3, 3), fc.nat(3), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.boolean())
    .map(([full, drop, ones, swap]) => {
      const rest = full.slice(Math.min(drop, full.length));
      const other = rest.map((d, i) => (ones[i] ? 1 : d));
      return swap ? [other, full] : [full, other];
    });

/** fast-check settings for property tests: a fixed seed, so every run draws the same cases. */
export const FC = { seed: 20240605, numRuns: 12 } as const;
