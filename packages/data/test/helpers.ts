import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The shared data folder (real MNIST, Fashion-MNIST and scikit-learn files): `$BACKPROP_SHARED_DATA`, else
 * `../shared/data` beside the repository. Tests that need it are skipped where it is absent.
 */
export const SHARED_DATA: string =
  process.env.BACKPROP_SHARED_DATA ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
export const hasShared = (sub: string): boolean => existsSync(`${SHARED_DATA}/${sub}`);

/**
 * Pearson's chi-square statistic of observed counts against equal expected counts.
 * Critical values used in the tests (upper 0.1 % quantiles): 9 dof 27.88, 20 dof 45.31, 119 dof ≈ 172.5.
 */
export function chiSquareUniform(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const expected = total / counts.length;
  let chi = 0;
  for (let i = 0; i < counts.length; i++) chi += (counts[i]! - expected) ** 2 / expected;
  return chi;
}

/** Numbers out of a typed array, for `toEqual` against plain arrays. */
export const list = (a: ArrayLike<number>): number[] => Array.from(a);
