import fc from 'fast-check';
import { it } from 'vitest';
import type { DType } from '../index';
import * as bp from '../index';
import { ArgumentError, AxisError, DTypeError, ShapeError } from '../index';
import { describeBackends } from '../testing/assert';
import {
  broadcastRead,
  numel,
  pySliceIndices,
  ravel,
  refBroadcastShape,
  refTranspose,
} from '../testing/reference';
import type { Expected, Spec } from './harness';
import { dtypeArb, expectOutcome, indices, make, params, shapeArb, specArb } from './harness';

const spec = specArb(shapeArb(6, 36), dtypeArb);
const withRank = <T>(f: (rank: number, s: Spec) => fc.Arbitrary<T>) =>
  spec.chain((s) => fc.tuple(fc.constant(s), f(s.shape.length, s)));
const ok = (s: Spec, shape: number[], values: number[]): Expected => ({ shape, dtype: s.dtype, values });

/** An axis index: usually in range for `rank`, sometimes just outside it or not an integer. */
const axisFor = (lo: number, hi: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: lo, max: Math.max(lo, hi) }) },
    { weight: 1, arbitrary: fc.constantFrom(lo - 1, hi + 1, 0.5) },
  );
const validAxis = (a: number, rank: number) => Number.isInteger(a) && a >= -rank && a < rank;
const norm = (a: number, rank: number) => (a < 0 ? a + rank : a);

describeBackends('property: movement ops', () => {
  it('reshape: any target of the same size (one -1 inferred) keeps the elements; others are typed errors', () => {
    const dims = fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom(-1, -1, -2, 1.5)), {
      maxLength: 6,
    });
    fc.assert(
      fc.property(spec, dims, fc.boolean(), (s, random, useFactor) => {
        // Half the time a valid target: the shape's dims reversed with one of them replaced by -1.
        const target =
          useFactor && s.shape.length > 0 ? [...s.shape].reverse().map((d, i) => (i === 0 ? -1 : d)) : random;
        const call = () => bp.reshape(make(s), target);
        const infer = target.filter((d) => d === -1).length;
        if (infer > 1) return expectOutcome('reshape', call, { error: ShapeError });
        if (target.some((d) => d !== -1 && (!Number.isInteger(d) || d < 0)))
          return expectOutcome('reshape', call, { error: ArgumentError });
        const known = target.reduce((n, d) => (d === -1 ? n : n * d), 1);
        const size = s.values.length;
        if (infer === 1 ? known === 0 || size % known !== 0 : known !== size)
          return expectOutcome('reshape', call, { error: ShapeError });
        const out = target.map((d) => (d === -1 ? size / known : d));
        expectOutcome('reshape', call, ok(s, out, s.values));
        expectOutcome('flatten', () => bp.flatten(make(s)), ok(s, [size], s.values));
      }),
      params(),
    );
  });

  for (const name of ['transpose', 'permute'] as const) {
    it(`${name}: any permutation (negative axes too) matches index arithmetic; bad perms are typed errors`, () => {
      const arb = withRank((r) =>
        fc.oneof(
          fc
            .shuffledSubarray([...Array(r).keys()], { minLength: r, maxLength: r })
            .map((p) => p.map((a) => (a % 2 ? a - r : a))),
          fc.array(axisFor(-r, r - 1), { maxLength: r + 1 }),
        ),
      );
      fc.assert(
        fc.property(arb, ([s, perm]) => {
          const r = s.shape.length;
          const call = () => bp[name](make(s), perm);
          if (perm.length !== r) return expectOutcome(name, call, { error: ShapeError });
          if (perm.some((a) => !validAxis(a, r))) return expectOutcome(name, call, { error: AxisError });
          const p = perm.map((a) => norm(a, r));
          if (new Set(p).size !== r) return expectOutcome(name, call, { error: ShapeError });
          expectOutcome(
            name,
            call,
            ok(
              s,
              p.map((a) => s.shape[a]!),
              refTranspose(s.values, s.shape, p),
            ),
          );
        }),
        params(),
      );
    });
  }

  it('expandDims / squeeze: insert or drop size-1 axes; AxisError out of range, ShapeError for a non-1 axis', () => {
    const arb = withRank((r) =>
      fc.tuple(
        axisFor(-r - 1, r),
        fc.oneof(fc.constant(undefined), axisFor(-r, r - 1), fc.array(axisFor(-r, r - 1), { maxLength: 3 })),
      ),
    );
    fc.assert(
      fc.property(arb, ([s, [ea, sq]]) => {
        const r = s.shape.length;
        const e = () => bp.expandDims(make(s), ea);
        if (!validAxis(ea, r + 1)) expectOutcome('expandDims', e, { error: AxisError });
        else {
          const shape = [...s.shape];
          shape.splice(norm(ea, r + 1), 0, 1);
          expectOutcome('expandDims', e, ok(s, shape, s.values));
        }
        const q = () => bp.squeeze(make(s), sq);
        const list =
          sq === undefined
            ? s.shape.flatMap((d, i) => (d === 1 ? [i] : []))
            : typeof sq === 'number'
              ? [sq]
              : sq;
        if (list.some((a) => !validAxis(a, r))) return expectOutcome('squeeze', q, { error: AxisError });
        const axes = list.map((a) => norm(a, r));
        if (new Set(axes).size !== axes.length) return expectOutcome('squeeze', q, { error: AxisError });
        if (axes.some((a) => s.shape[a] !== 1)) return expectOutcome('squeeze', q, { error: ShapeError });
        expectOutcome(
          'squeeze',
          q,
          ok(
            s,
            s.shape.filter((_, i) => !axes.includes(i)),
            s.values,
          ),
        );
      }),
      params(),
    );
  });

  it('broadcastTo: repeats size-1 and leading dims; anything else (incl. bad dims) is a ShapeError', () => {
    const arb = withRank((r, s) =>
      fc.oneof(
        fc
          .tuple(
            fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
            fc.array(fc.integer({ min: 1, max: 3 }), { minLength: r, maxLength: r }),
          )
          .map(([lead, rep]) => [...lead, ...s.shape.map((d, i) => (d === 1 ? rep[i]! : d))]),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 1.5, NaN)), { maxLength: 5 }),
      ),
    );
    fc.assert(
      fc.property(arb, ([s, target]) => {
        const call = () => bp.broadcastTo(make(s), target);
        const valid = target.every((d) => Number.isInteger(d) && d >= 0);
        const out = valid ? refBroadcastShape(s.shape, target) : undefined;
        if (!out || out.join() !== target.join() || numel(target) > 4096)
          return expectOutcome('broadcastTo', call, { error: ShapeError });
        const values = indices(target).map((idx) => broadcastRead(s.values, s.shape, idx));
        expectOutcome('broadcastTo', call, ok(s, target, values));
      }),
      params(),
    );
  });

  it('slice: Python slicing per axis (negative indices and steps, clamping) against CPython’s rule', () => {
    const idx = fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 5 }), fc.constant(0.5));
    const step = fc.oneof(fc.constant(null), fc.constantFrom(1, 2, -1, -2, 3), fc.constantFrom(0, 1.5));
    const arb = withRank((r) =>
      fc.tuple(
        fc.array(idx, { maxLength: r + 1 }),
        fc.array(idx, { maxLength: r }),
        fc.array(step, { maxLength: r }),
      ),
    );
    fc.assert(
      fc.property(arb, ([s, [begin, end, steps]]) => {
        const r = s.shape.length;
        const call = () => bp.slice(make(s), begin, end, steps);
        if (begin.length > r) return expectOutcome('slice', call, { error: ShapeError });
        const bad = (v: number | null) => v !== null && !Number.isInteger(v);
        if (steps.some((v) => bad(v) || v === 0) || begin.some(bad) || end.some(bad))
          return expectOutcome('slice', call, { error: ArgumentError });
        const picks = s.shape.map((n, i) =>
          pySliceIndices(n, begin[i] ?? null, end[i] ?? null, steps[i] ?? 1),
        );
        const shape = picks.map((p) => p.length);
        const values = indices(shape).map(
          (o) =>
            s.values[
              ravel(
                o.map((k, d) => picks[d]![k]!),
                s.shape,
              )
            ]!,
        );
        expectOutcome('slice', call, ok(s, shape, values));
      }),
      params(),
    );
  });

  it('concat / stack / split: join and cut along any axis; mismatched shapes, dtypes and axes are typed errors', () => {
    const arb = spec.chain((s) =>
      fc.tuple(
        fc.constant(s),
        axisFor(-s.shape.length - 1, s.shape.length),
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 2 }),
            fc.boolean(),
            fc.oneof({ weight: 5, arbitrary: fc.constant(s.dtype) }, { weight: 1, arbitrary: dtypeArb }),
          ),
          {
            maxLength: 2,
          },
        ),
      ),
    );
    fc.assert(
      fc.property(arb, ([s, axis, others]) => {
        const r = s.shape.length;
        // Each other operand: along `axis` of size k (or, when `same`, s's shape exactly), of some dtype.
        const ax = validAxis(axis, r) ? norm(axis, r) : 0;
        const parts: Spec[] = [s];
        for (const [k, same, dtype] of others) {
          const shape = same || r === 0 ? [...s.shape] : s.shape.map((d, i) => (i === ax ? k : d));
          parts.push({
            shape,
            dtype,
            values: Array.from({ length: numel(shape) }, (_, i) => (dtype === 'bool' ? i % 2 : i - 3)),
          });
        }
        const tensors = () => parts.map(make);
        // concat
        const c = () => bp.concat(tensors(), axis);
        if (!validAxis(axis, r)) expectOutcome('concat', c, { error: AxisError });
        else {
          let want: Expected | undefined;
          for (const [i, p] of parts.entries()) {
            if (p.shape.some((d, j) => j !== ax && d !== s.shape[j])) {
              want = { error: ShapeError };
              break;
            }
            if (p.dtype !== s.dtype) {
              want = { error: DTypeError };
              break;
            }
            void i;
          }
          if (!want) {
            const shape = s.shape.map((d, j) => (j === ax ? parts.reduce((n, p) => n + p.shape[ax]!, 0) : d));
            const values = indices(shape).map((o) => {
              let k = o[ax]!;
              for (const p of parts) {
                if (k < p.shape[ax]!)
                  return p.values[
                    ravel(
                      o.map((v, j) => (j === ax ? k : v)),
                      p.shape,
                    )
                  ]!;
                k -= p.shape[ax]!;
              }
              return NaN;
            });
            want = { shape, dtype: s.dtype, values };
          }
          expectOutcome(
            'concat',
            c,
            want,
            `${parts.map((p) => JSON.stringify(p.shape) + p.dtype).join(' ')} axis ${axis}`,
          );
        }
        // stack: all parts must share s's shape and dtype
        const st = () => bp.stack(tensors(), axis);
        if (!validAxis(axis, r + 1)) return expectOutcome('stack', st, { error: AxisError });
        const sax = norm(axis, r + 1);
        const firstBad = parts.findIndex((p) => p.shape.join() !== s.shape.join() || p.dtype !== s.dtype);
        if (firstBad >= 0) {
          const p = parts[firstBad]!;
          return expectOutcome('stack', st, {
            error: p.shape.join() !== s.shape.join() ? ShapeError : DTypeError,
          });
        }
        const shape = [...s.shape];
        shape.splice(sax, 0, parts.length);
        const values = indices(shape).map(
          (o) =>
            parts[o[sax]!]!.values[
              ravel(
                o.filter((_, j) => j !== sax),
                s.shape,
              )
            ]!,
        );
        expectOutcome('stack', st, { shape, dtype: s.dtype, values });
        // split s into two along ax at every possible cut, and into equal parts
        if (r === 0) return expectOutcome('split', () => bp.split(make(s), 1), { error: AxisError });
        const n = s.shape[ax]!;
        for (let cut = 0; cut <= n; cut++) {
          const sizes = [cut, cut === 0 ? -1 : n - cut];
          const list: Expected[] = [
            [0, cut],
            [cut, n],
          ].map(([a, b]) => {
            const shape = s.shape.map((d, j) => (j === ax ? b! - a! : d));
            return {
              shape,
              dtype: s.dtype,
              values: indices(shape).map(
                (o) =>
                  s.values[
                    ravel(
                      o.map((v, j) => (j === ax ? v + a! : v)),
                      s.shape,
                    )
                  ]!,
              ),
            };
          });
          expectOutcome('split', () => bp.split(make(s), sizes, ax), { list });
        }
        expectOutcome('split', () => bp.split(make(s), [n + 1], ax), { error: ShapeError });
        expectOutcome('split', () => bp.split(make(s), 0, ax), { error: ArgumentError });
      }),
      params(),
    );
  });

  it('pad / tile: shapes and values by index arithmetic; wrong lengths and non-integer or negative counts fail', () => {
    const count = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 2 }) },
      { weight: 1, arbitrary: fc.constantFrom(-1, 0.5) },
    );
    const arb = withRank((r) =>
      fc.tuple(
        fc.array(fc.tuple(count, count), { minLength: Math.max(0, r - 1), maxLength: r + (r > 3 ? 0 : 1) }),
        fc.array(count, { minLength: Math.max(0, r - 1), maxLength: r + 1 }),
        fc.double({ min: -5, max: 5, noNaN: true }),
      ),
    );
    fc.assert(
      fc.property(arb, ([s, [pads, reps, value]]) => {
        const r = s.shape.length;
        const bad = (v: number) => !Number.isInteger(v) || v < 0;
        const p = () => bp.pad(make(s), pads, value);
        if (pads.length !== r) expectOutcome('pad', p, { error: ShapeError });
        else if (pads.some(([a, b]) => bad(a) || bad(b))) expectOutcome('pad', p, { error: ArgumentError });
        else {
          const shape = s.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
          const fill =
            s.dtype === 'bool'
              ? value !== 0
                ? 1
                : 0
              : s.dtype === 'int32'
                ? Math.trunc(value)
                : s.dtype === 'float32'
                  ? Math.fround(value)
                  : value;
          const values = indices(shape).map((o) => {
            const src = o.map((v, i) => v - pads[i]![0]);
            return src.every((v, i) => v >= 0 && v < s.shape[i]!) ? s.values[ravel(src, s.shape)]! : fill;
          });
          expectOutcome('pad', p, ok(s, shape, values));
        }
        const t = () => bp.tile(make(s), reps);
        if (reps.length !== r) return expectOutcome('tile', t, { error: ShapeError });
        if (reps.some(bad)) return expectOutcome('tile', t, { error: ArgumentError });
        const shape = s.shape.map((d, i) => d * reps[i]!);
        const values = indices(shape).map(
          (o) =>
            s.values[
              ravel(
                o.map((v, i) => v % s.shape[i]!),
                s.shape,
              )
            ]!,
        );
        expectOutcome('tile', t, ok(s, shape, values));
      }),
      params(),
    );
  });

  it('gather / oneHot / scatterAdd: integer indices of any shape along any axis; bad indices are typed errors', () => {
    const arb = withRank((r, s) =>
      fc.tuple(
        axisFor(-r, r - 1),
        fc.array(
          fc.oneof(
            { weight: 8, arbitrary: fc.integer({ min: 0, max: Math.max(0, Math.max(...s.shape, 1) - 1) }) },
            { weight: 1, arbitrary: fc.constantFrom(-1, 3, 0.5) },
          ),
          {
            maxLength: 4,
          },
        ),
        fc.boolean(),
        fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 2.5)),
      ),
    );
    fc.assert(
      fc.property(arb, ([s, [axis, idx, asMatrix, depth]]) => {
        const r = s.shape.length;
        const ishape = asMatrix && idx.length % 2 === 0 ? [2, idx.length / 2] : [idx.length];
        const nested = ishape.length === 2 ? [idx.slice(0, ishape[1]), idx.slice(ishape[1])] : idx;
        const g = () => bp.gather(make(s), nested, axis);
        const ax = norm(axis, r);
        if (idx.some((v) => !Number.isInteger(v))) expectOutcome('gather', g, { error: ArgumentError });
        else if (!validAxis(axis, r)) expectOutcome('gather', g, { error: AxisError });
        else if (idx.some((v) => v < 0 || v >= s.shape[ax]!))
          expectOutcome('gather', g, { error: ArgumentError });
        else {
          const shape = [...s.shape.slice(0, ax), ...ishape, ...s.shape.slice(ax + 1)];
          const k = ishape.length;
          const values = indices(shape).map((o) => {
            const at = idx[ravel(o.slice(ax, ax + k), ishape)]!;
            return s.values[ravel([...o.slice(0, ax), at, ...o.slice(ax + k)], s.shape)]!;
          });
          expectOutcome('gather', g, ok(s, shape, values));
          // scatterAdd is gather's adjoint: <gather(x), u> = <x, scatterAdd(u)> for float64 data.
          const u = values.map((_, i) => i + 1);
          const sc = bp.scatterAdd(bp.tensor(u, shape, 'float64'), nested, axis, s.shape).dataSync();
          const want = new Array<number>(s.values.length).fill(0);
          indices(shape).forEach((o, i) => {
            const at = idx[ravel(o.slice(ax, ax + k), ishape)]!;
            want[ravel([...o.slice(0, ax), at, ...o.slice(ax + k)], s.shape)]! += u[i]!;
          });
          expectOutcome('scatterAdd', () => bp.tensor(sc, s.shape, 'float64'), {
            shape: s.shape,
            dtype: 'float64',
            values: want,
          });
        }
        const h = () => bp.oneHot(nested, depth);
        if (idx.some((v) => !Number.isInteger(v)))
          return expectOutcome('oneHot', h, { error: ArgumentError });
        if (!Number.isInteger(depth) || depth < 1)
          return expectOutcome('oneHot', h, { error: ArgumentError });
        const values = idx.flatMap((v) => Array.from({ length: depth }, (_, j) => (j === v ? 1 : 0)));
        expectOutcome('oneHot', h, { shape: [...ishape, depth], dtype: 'float32' as DType, values });
      }),
      params(),
    );
  });
});
