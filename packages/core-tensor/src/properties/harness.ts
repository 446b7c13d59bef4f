/**
 * Shared pieces of the property tests: arbitraries for shapes (rank 0 to 7, size-0 dims), dtypes and data (NaN,
 * ±Inf, ±0, extremes), the dtype rules written out independently of src/dtype.ts, and `expectOutcome`, which
 * holds a call to one of two outcomes: the documented typed error naming the op, or a result whose shape, dtype
 * and values match an independent reference. Any other exception fails the property.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { DType, Tensor } from '../index';
import { BackpropError, tensor } from '../index';
import { numel } from '../testing/reference';

/** Every property runs this many cases per backend unless it says otherwise; the seed makes runs repeatable. */
export const RUNS = 100;
export const params = (numRuns = RUNS): fc.Parameters<unknown> => ({
  numRuns,
  // PROPERTY_SEED explores other cases locally; CI always runs the same ones.
  seed: Number(process.env.PROPERTY_SEED ?? 20261201),
  endOnFailure: true,
});

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];
export const dtypeArb = fc.constantFrom(...DTYPES);
export const floatDTypeArb = fc.constantFrom<DType>('float32', 'float64');

/** Shapes of rank 0…maxRank with dims 0…3 (1 and 2 most often) and at most `maxSize` elements. */
export function shapeArb(maxRank = 7, maxSize = 48, minRank = 0): fc.Arbitrary<number[]> {
  const dim = fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.constant(1) },
    { weight: 4, arbitrary: fc.integer({ min: 2, max: 3 }) },
  );
  return fc.array(dim, { minLength: minRank, maxLength: maxRank }).filter((s) => numel(s) <= maxSize);
}

const specialFloats = [NaN, Infinity, -Infinity, 0, -0, 1e30, -1e30, 1e-30, 3e38, -3e38, 1e-40];

/** One element of `dtype`: mostly small values, sometimes specials (floats) or the int32 extremes. */
export function elementArb(dtype: DType, specials = true): fc.Arbitrary<number> {
  if (dtype === 'bool') return fc.integer({ min: 0, max: 1 });
  if (dtype === 'int32') {
    return specials
      ? fc.oneof(
          { weight: 9, arbitrary: fc.integer({ min: -20, max: 20 }) },
          { weight: 1, arbitrary: fc.constantFrom(2147483647, -2147483648) },
        )
      : fc.integer({ min: -20, max: 20 });
  }
  const small = fc
    .double({ min: -10, max: 10, noNaN: true })
    .map((v) => (dtype === 'float32' ? Math.fround(v) : v));
  return specials
    ? fc.oneof({ weight: 8, arbitrary: small }, { weight: 1, arbitrary: fc.constantFrom(...specialFloats) })
    : small;
}

/** What a tensor is made of: shape, dtype and its values as the dtype stores them. */
export interface Spec {
  shape: number[];
  dtype: DType;
  values: number[];
}

export function specArb(
  shape: fc.Arbitrary<number[]> = shapeArb(),
  dtype: fc.Arbitrary<DType> = dtypeArb,
  specials = true,
): fc.Arbitrary<Spec> {
  return fc
    .tuple(shape, dtype)
    .chain(([s, d]) =>
      fc
        .array(elementArb(d, specials), { minLength: numel(s), maxLength: numel(s) })
        .map((v) => ({ shape: s, dtype: d, values: v.map((x) => store(x, d)) })),
    );
}

export const make = (s: Spec): Tensor => tensor(s.values, s.shape, s.dtype);

/** How a dtype stores a float64 value (written from the README's rules, not from src/dtype.ts). */
export function store(v: number, dtype: DType): number {
  switch (dtype) {
    case 'float64':
      return v;
    case 'float32':
      return Math.fround(v);
    case 'bool':
      return v !== 0 ? 1 : 0; // NaN ≠ 0 is true
    case 'int32':
      if (Number.isNaN(v)) return 0;
      // An integer has no −0: the `|| 0` turns it into +0, as an Int32Array store does.
      return v >= 2147483647 ? 2147483647 : v <= -2147483648 ? -2147483648 : Math.trunc(v) || 0;
  }
}

/** How an op's result wraps into int32 (modulo 2³², as typed arrays and NumPy do), or rounds into a float dtype. */
export function wrapInto(v: number, dtype: DType): number {
  if (dtype === 'int32') return Number.isFinite(v) ? v | 0 : 0;
  return store(v, dtype);
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };
/** bool < int32 < float32 < float64. */
export const promote = (a: DType, b: DType): DType => (RANK[a] >= RANK[b] ? a : b);
export const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64';

/** The dtype a plain number takes next to a tensor of dtype `like` (the README's "weak" scalar rule). */
export function weakDType(x: number, like: DType): DType {
  const fitsInt = Number.isInteger(x) && x >= -2147483648 && x <= 2147483647;
  return like === 'bool' || (like === 'int32' && !fitsInt) ? 'float32' : like;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** What a call must do: throw `error` with a message starting `op:`, or return a matching tensor (or list). */
export type Expected =
  | { error: ErrorClass; prefix?: string }
  | { shape: readonly number[]; dtype: DType; values: ArrayLike<number>; rtol?: number; atol?: number }
  | { list: Expected[] };

/** Values agree: NaN with NaN, ±Inf exactly, finite within atol + rtol·|expected| (the sign of zero is ignored). */
export function valuesAgree(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol = 0,
  atol = 0,
): string {
  if (actual.length !== expected.length) return `length ${actual.length}, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok = Number.isNaN(e)
      ? Number.isNaN(a)
      : !Number.isFinite(e)
        ? a === e
        : Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) return `[${i}] got ${a}, expected ${e}`;
  }
  return '';
}

function check(op: string, got: unknown, want: Expected, where: string): void {
  if ('list' in want) {
    expect(Array.isArray(got), `${where}: a list`).toBe(true);
    const list = got as Tensor[];
    expect(list.length, `${where}: list length`).toBe(want.list.length);
    want.list.forEach((w, i) => check(op, list[i], w, `${where}[${i}]`));
    return;
  }
  if ('error' in want) throw new Error('unreachable');
  const t = got as Tensor;
  expect([...t.shape], `${where}: shape`).toEqual([...want.shape]);
  expect(t.dtype, `${where}: dtype`).toBe(want.dtype);
  const mismatch = valuesAgree(t.dataSync(), want.values, want.rtol ?? 0, want.atol ?? 0);
  expect(mismatch, `${where}: values`).toBe('');
}

/** Runs `call` and holds it to `want`; `label` describes the case in a failure. */
export function expectOutcome(op: string, call: () => unknown, want: Expected, label = ''): void {
  let got: unknown;
  let thrown: unknown;
  try {
    got = call();
  } catch (e) {
    thrown = e;
  }
  const where = `${op} ${label}`;
  if ('error' in want) {
    expect(thrown, `${where}: should throw ${want.error.name}`).toBeInstanceOf(want.error);
    expect((thrown as Error).message.startsWith(`${want.prefix ?? op}:`), `${where}: ${String(thrown)}`).toBe(
      true,
    );
    return;
  }
  if (thrown !== undefined) {
    // A typed error the reference did not expect is a failure too, but name it clearly.
    const kind = thrown instanceof BackpropError ? 'unexpected typed error' : 'UNTYPED exception';
    const text = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : JSON.stringify(thrown);
    expect.fail(`${where}: ${kind}: ${text}`);
  }
  check(op, got, want, where);
}

/** A flat row-major list of multi-indices of `shape`. */
export function indices(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  const n = numel(shape);
  for (let i = 0; i < n; i++) {
    const idx = new Array<number>(shape.length);
    let r = i;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = r % shape[d]!;
      r = Math.floor(r / shape[d]!);
    }
    out.push(idx);
  }
  return out;
}

/** Axis arguments, valid and not: undefined, in range, negative, out of range, non-integer, repeated lists. */
export function axisArb(rank: number): fc.Arbitrary<number | number[] | undefined> {
  const one = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -rank, max: Math.max(rank - 1, -rank) }) },
    { weight: 1, arbitrary: fc.constantFrom(rank, -rank - 1, 0.5, NaN) },
  );
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: one },
    { weight: 3, arbitrary: fc.array(one, { maxLength: Math.min(rank + 1, 4) }) },
  );
}

/** The normalized, sorted axes, or 'invalid' when an axis is not an integer, out of range or repeated. */
export function refAxes(axis: number | number[] | undefined, rank: number): number[] | 'invalid' {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out: number[] = [];
  for (const a of list) {
    if (!Number.isInteger(a) || a < -rank || a >= rank) return 'invalid';
    const n = a < 0 ? a + rank : a;
    if (out.includes(n)) return 'invalid';
    out.push(n);
  }
  return out.sort((x, y) => x - y);
}
