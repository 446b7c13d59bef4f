/**
 * Test-only helpers (not exported from the package): float64 tensors from nested arrays, gradients through
 * autograd, and comparison with stated tolerances. References themselves live in each test, as plain JS loops.
 */
import type { Tensor } from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import { grad } from '@backprop/autograd';
import { expect } from 'vitest';

/** A float64 tensor (the dtype references are computed in). */
export function f64(values: number[] | number[][] | number[][][]): Tensor {
  return tensor(values, undefined, 'float64');
}

/** A float32 tensor. */
export function f32(values: number[] | number[][] | number[][][]): Tensor {
  return tensor(values, undefined, 'float32');
}

/** The values of a tensor as a plain array. */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

/** d loss(yPred) / d yPred through autograd, flattened. */
export function gradOf(loss: (yPred: Tensor) => Tensor, yPred: Tensor): number[] {
  return values(grad(loss)(yPred));
}

/** |actual − expected| ≤ atol + rtol·|expected| everywhere; reports the first mismatches by flat index. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: { rtol?: number; atol?: number } = {},
  label = '',
): void {
  const rtol = tol.rtol ?? 1e-12;
  const atol = tol.atol ?? 1e-14;
  expect(actual.length, `${label} length`).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length && bad.length < 5; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) bad.push(`[${i}] got ${a}, expected ${e}`);
  }
  if (bad.length > 0) expect.fail(`${label} mismatch (rtol ${rtol}, atol ${atol}): ${bad.join('; ')}`);
}

/** Every element finite (no NaN, no ±Inf). */
export function expectFinite(xs: ArrayLike<number>, label = ''): void {
  const bad = Array.from(xs).findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) expect.fail(`${label}: element ${bad} is ${xs[bad]}`);
}

/** Float32 tolerance for results of a few composed ops. */
export const F32 = { rtol: 2e-5, atol: 1e-6 } as const;
/** Float64 tolerance: references and ops differ only by rounding order. */
export const F64 = { rtol: 1e-10, atol: 1e-12 } as const;

/** mulberry32, so test inputs are reproducible without the library's own generator. */
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

/** An `rows × cols` matrix of uniform values in [lo, hi). */
export function matrix(next: () => number, rows: number, cols: number, lo = -1, hi = 1): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => lo + (hi - lo) * next()));
}

/**
 * The extreme inputs both extremes test files use: one-hot labels, scores of ±1e4 (where naive formulas overflow)
 * and probabilities of exactly 0 and 1 (where they take log(0)).
 */
export const EXTREME_LABELS = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
  [0, 1, 0],
];
/** Scores (logits or raw outputs) of ±1e4, row by row against {@link EXTREME_LABELS}. */
export const EXTREME_SCORES = [
  [1e4, -1e4, 0],
  [1e4, -1e4, 1e4],
  [-1e4, -1e4, -1e4],
  [-1e4, 1e4, -1e4],
];
/** Probabilities of exactly 0 and 1, right and wrong, against {@link EXTREME_LABELS}. */
export const EXTREME_PROBS = [
  [0, 1, 0],
  [1, 0, 0],
  [0, 0, 1],
  [0, 1, 0],
];
