import fc from 'fast-check';
import { it } from 'vitest';
import type { DType, Tensor } from '../index';
import * as bp from '../index';
import { ArgumentError, AxisError, DTypeError } from '../index';
import { describeBackends } from '../testing/assert';
import { refReduce } from '../testing/reference';
import type { Spec } from './harness';
import {
  axisArb,
  dtypeArb,
  expectOutcome,
  isFloat,
  make,
  params,
  refAxes,
  shapeArb,
  specArb,
  wrapInto,
} from './harness';

/** A tensor (moderate magnitudes plus NaN/±Inf: extremes are the elementwise tests' business) and an axis. */
const withAxis = specArb(shapeArb(6, 36), dtypeArb).chain((s) =>
  fc.tuple(fc.constant(s), axisArb(s.shape.length), fc.boolean()),
);
const moderate = (s: Spec): Spec => ({
  ...s,
  values: s.values.map((v) => (Number.isFinite(v) && Math.abs(v) > 100 ? Math.sign(v) * 7 : v)),
});

const keep = (shape: number[], axes: number[], keepDims: boolean): number[] =>
  keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));

const nanMax = (c: number[]) => (c.some(Number.isNaN) ? NaN : Math.max(...c));
const nanMin = (c: number[]) => (c.some(Number.isNaN) ? NaN : Math.min(...c));
const mean = (c: number[]) => c.reduce((a, b) => a + b, 0) / c.length;
const variance = (c: number[]) => {
  const m = mean(c);
  return mean(c.map((v) => (v - m) ** 2));
};
function logSumExp(c: number[]): number {
  if (c.length === 0) return -Infinity;
  if (c.some(Number.isNaN)) return NaN;
  const m = Math.max(...c);
  if (!Number.isFinite(m)) return m;
  return m + Math.log(c.reduce((a, v) => a + Math.exp(v - m), 0));
}

type Fold = (cell: number[]) => number;
// name: [fold, result dtype for an input dtype, needs a non-empty reduced axis, tolerance class]
const REDUCE: Record<string, [Fold, (d: DType) => DType, boolean, 'sum' | 'exact' | 'float']> = {
  sum: [(c) => c.reduce((a, b) => a + b, 0), (d) => (d === 'bool' ? 'int32' : d), false, 'sum'],
  prod: [(c) => c.reduce((a, b) => a * b, 1), (d) => (d === 'bool' ? 'int32' : d), false, 'sum'],
  max: [nanMax, (d) => (d === 'bool' ? 'int32' : d), true, 'exact'],
  min: [nanMin, (d) => (d === 'bool' ? 'int32' : d), true, 'exact'],
  mean: [mean, (d) => (d === 'float64' ? d : 'float32'), false, 'float'],
  variance: [variance, (d) => (d === 'float64' ? d : 'float32'), false, 'float'],
  std: [(c) => Math.sqrt(variance(c)), (d) => (d === 'float64' ? d : 'float32'), false, 'float'],
  logSumExp: [logSumExp, (d) => (isFloat(d) ? d : 'float32'), false, 'float'],
};

function tol(
  kind: 'sum' | 'exact' | 'float',
  dtype: DType,
  cells: number[][],
): { rtol: number; atol: number } {
  if (kind === 'exact' || dtype === 'int32') return { rtol: 0, atol: 0 };
  // Accumulation order may differ between backends: bound by the cell's Σ|x| at the dtype's precision.
  const mag = Math.max(
    1,
    ...cells.map((c) => c.reduce((a, v) => (Number.isFinite(v) ? a + Math.abs(v) : a), 0)),
  );
  const eps = dtype === 'float64' ? 1e-13 : 2e-6;
  return { rtol: 8 * eps, atol: 8 * eps * mag * (kind === 'sum' ? 1 : 10) };
}

describeBackends('property: reductions', () => {
  for (const [name, [fold, outType, needsCells, kind]] of Object.entries(REDUCE)) {
    it(`${name}: any axes (negative, lists), keepDims; AxisError for bad axes`, () => {
      fc.assert(
        fc.property(withAxis, ([raw, axis, keepDims]) => {
          const s = moderate(raw);
          const fn = (bp as unknown as Record<string, (x: Tensor, a: unknown, k: boolean) => Tensor>)[name]!;
          const call = () => fn(make(s), axis, keepDims);
          const axes = refAxes(axis, s.shape.length);
          if (axes === 'invalid') return expectOutcome(name, call, { error: AxisError });
          if (needsCells && axes.some((a) => s.shape[a] === 0) && s.values.length === 0)
            return expectOutcome(name, call, { error: ArgumentError });
          const dtype = outType(s.dtype);
          // Integer and bool inputs of float results are read as float32, as the op casts them.
          const input = isFloat(dtype) && !isFloat(s.dtype) ? s.values.map(Math.fround) : s.values;
          const cells: number[][] = [];
          const ref = refReduce(input, s.shape, axes, (c) => (cells.push(c), fold(c)));
          expectOutcome(
            name,
            call,
            {
              shape: keep(s.shape, axes, keepDims),
              dtype,
              values: ref.values.map((v) => wrapInto(v, dtype)),
              ...tol(kind, dtype, cells),
            },
            `${JSON.stringify(s.shape)} ${s.dtype} axis ${JSON.stringify(axis)}`,
          );
        }),
        params(),
      );
    });
  }

  for (const name of ['argmax', 'argmin'] as const) {
    it(`${name}: first extreme (NaN wins) along one axis or the flattened tensor; typed errors otherwise`, () => {
      const arb = specArb(shapeArb(5, 36), dtypeArb).chain((s) =>
        fc.tuple(
          fc.constant(s),
          fc.oneof(
            fc.constant(undefined),
            fc.integer({ min: -s.shape.length - 1, max: s.shape.length }),
            fc.constant(1.5),
          ),
        ),
      );
      fc.assert(
        fc.property(arb, ([s, axis]) => {
          const call = () => bp[name](make(s), axis);
          if (s.dtype === 'bool') return expectOutcome(name, call, { error: DTypeError });
          const shape = axis === undefined ? [s.values.length] : s.shape;
          const axes = refAxes(axis ?? 0, shape.length);
          if (axes === 'invalid') return expectOutcome(name, call, { error: AxisError });
          const ax = axes[0]!;
          if (shape[ax] === 0) return expectOutcome(name, call, { error: ArgumentError });
          const better =
            name === 'argmax' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
          const ref = refReduce(
            s.values.map((_, i) => i), // reduce over positions, then look the values up
            shape,
            [ax],
            (cell) => {
              let best = 0;
              for (let i = 1; i < cell.length; i++) {
                const b = s.values[cell[best]!]!;
                const v = s.values[cell[i]!]!;
                if (Number.isNaN(b)) break;
                if (Number.isNaN(v) || better(v, b)) best = i;
              }
              return best;
            },
          );
          expectOutcome(name, call, { shape: ref.shape, dtype: 'int32', values: ref.values });
        }),
        params(),
      );
    });
  }

  it('norm: ord euclidean/1/Infinity/p over any axes; ArgumentError for ord < 1, AxisError for bad axes', () => {
    const ord = fc.constantFrom<bp.NormOrd>('euclidean', 'fro', 1, 2, 3, Infinity, 0.5, 'nuc' as 'fro');
    fc.assert(
      fc.property(withAxis, ord, ([raw, axis, keepDims], o) => {
        const s = moderate(raw);
        const call = () => bp.norm(make(s), o, axis, keepDims);
        if (!(o === 'euclidean' || o === 'fro' || (typeof o === 'number' && o >= 1)))
          return expectOutcome('norm', call, { error: ArgumentError });
        const axes = refAxes(axis, s.shape.length);
        if (axes === 'invalid') return expectOutcome('norm', call, { error: AxisError });
        const p = o === 'euclidean' || o === 'fro' ? 2 : o;
        const f: Fold = (c) =>
          p === Infinity
            ? c.length === 0
              ? 0
              : nanMax(c.map(Math.abs))
            : c.reduce((a, v) => a + Math.abs(v) ** p, 0) ** (1 / p);
        const dtype: DType =
          p === 1 || p === Infinity
            ? s.dtype === 'bool'
              ? 'int32'
              : s.dtype
            : isFloat(s.dtype)
              ? s.dtype
              : 'float32';
        const cells: number[][] = [];
        const ref = refReduce(s.values, s.shape, axes, (c) => (cells.push(c), f(c)));
        expectOutcome(
          'norm',
          call,
          {
            shape: keep(s.shape, axes, keepDims),
            dtype,
            values: ref.values.map((v) => wrapInto(v, dtype)),
            ...tol('float', dtype, cells),
          },
          `${JSON.stringify(s.shape)} ${s.dtype} ord ${String(o)} axis ${JSON.stringify(axis)}`,
        );
      }),
      params(),
    );
  });
});
