/** Test-only helpers (not exported from the package): sample moments and the tolerances they are checked with. */
import { expect } from 'vitest';

export interface Moments {
  n: number;
  mean: number;
  variance: number;
  min: number;
  max: number;
}

/** Mean and (population) variance in float64, by two passes so large means don't swamp the variance. */
export function moments(values: ArrayLike<number>): Moments {
  const n = values.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i]! - mean) ** 2;
  return { n, mean, variance: sq / n, min, max };
}

/**
 * Checks sample moments against the formula. The mean may be off by 5 standard errors (σ/√n); the variance by
 * `varRtol` relative (its standard error is √(2/n) ≈ 0.45 % for normal samples at n = 1e5, less for uniform).
 */
export function expectMoments(
  values: ArrayLike<number>,
  expected: { mean: number; variance: number },
  varRtol = 0.025,
): Moments {
  const m = moments(values);
  expect(m.n).toBeGreaterThanOrEqual(100_000);
  const meanTol = (5 * Math.sqrt(expected.variance)) / Math.sqrt(m.n);
  expect(Math.abs(m.mean - expected.mean), `mean ${m.mean} vs ${expected.mean}`).toBeLessThan(meanTol);
  expect(
    Math.abs(m.variance / expected.variance - 1),
    `variance ${m.variance} vs ${expected.variance}`,
  ).toBeLessThan(varRtol);
  return m;
}
