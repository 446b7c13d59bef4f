/**
 * Test-only helpers (not exported from the package): numeric comparison with stated tolerances, a PRNG
 * independent of the library's Generator, and the per-backend suite wrapper.
 */
import { beforeEach, describe, expect } from 'vitest';
import type { DType } from '../dtype';
import { listBackends, setBackend } from '../index';

export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** Default tolerances: one float32 op rounds once (≈6e-8 relative); float64 references are near exact. */
export function tolFor(dtype: DType): Required<Tolerance> {
  return dtype === 'float64' ? { rtol: 1e-12, atol: 1e-14 } : { rtol: 2e-6, atol: 1e-7 };
}

/**
 * Elementwise |actual − expected| ≤ atol + rtol·|expected|. NaN must match NaN and ±Inf must match exactly; the
 * first mismatches are reported with their flat index so a failure says where.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance = {},
  label = '',
): void {
  const rtol = tol.rtol ?? 2e-6;
  const atol = tol.atol ?? 1e-7;
  expect(actual.length, `${label} length`).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length && bad.length < 5; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok = Number.isNaN(e)
      ? Number.isNaN(a)
      : !Number.isFinite(e)
        ? a === e
        : Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) bad.push(`[${i}] got ${a}, expected ${e}`);
  }
  if (bad.length > 0) expect.fail(`${label} mismatch (rtol ${rtol}, atol ${atol}): ${bad.join('; ')}`);
}

/** mulberry32: a tiny seeded PRNG for test inputs, deliberately not the library's xoshiro Generator. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` uniform values in [lo, hi). */
export function randomValues(next: () => number, n: number, lo = -1, hi = 1): number[] {
  return Array.from({ length: n }, () => lo + (hi - lo) * next());
}

/** Random integers in [lo, hi). */
export function randomInts(next: () => number, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => lo + Math.floor((hi - lo) * next()));
}

/**
 * The op suite runs once per registered backend: `describeBackends('matmul', …)` becomes one describe block per
 * backend, each selecting its backend before every test. A new backend registered in index.ts runs every suite.
 */
export function describeBackends(title: string, body: (backend: string) => void): void {
  describe.each(listBackends())(`${title} [%s backend]`, (name) => {
    beforeEach(() => {
      setBackend(name);
    });
    body(name);
  });
}
