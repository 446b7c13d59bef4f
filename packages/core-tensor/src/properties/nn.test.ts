import fc from 'fast-check';
import { it } from 'vitest';
import * as bp from '../index';
import { ArgumentError, AxisError, DTypeError, ShapeError } from '../index';
import { describeBackends } from '../testing/assert';
import type { Pad } from '../testing/conv-reference';
import {
  refConv2d,
  refConvFilterGrad,
  refConvInputGrad,
  refGeometry,
  refPool,
  refPoolGrad,
} from '../testing/conv-reference';
import { dtypeArb, expectOutcome, indices, make, params, shapeArb, specArb } from './harness';

describeBackends('property: softmax and logSoftmax', () => {
  for (const name of ['softmax', 'logSoftmax'] as const) {
    it(`${name}: any axis, stable for huge logits, rows of the reference; DTypeError for ints, AxisError for bad axes`, () => {
      const arb = specArb(shapeArb(5, 36), dtypeArb).chain((s) =>
        fc.tuple(
          fc.constant(s),
          fc.oneof(
            fc.integer({ min: -s.shape.length, max: Math.max(-s.shape.length, s.shape.length - 1) }),
            fc.constantFrom(s.shape.length, -s.shape.length - 1, 0.5),
          ),
        ),
      );
      fc.assert(
        fc.property(arb, ([s, axis]) => {
          const call = () => bp[name](make(s), axis);
          if (s.dtype !== 'float32' && s.dtype !== 'float64')
            return expectOutcome(name, call, { error: DTypeError });
          const r = s.shape.length;
          if (!Number.isInteger(axis) || axis < -r || axis >= r)
            return expectOutcome(name, call, { error: AxisError });
          const ax = axis < 0 ? axis + r : axis;
          // Reference row by row in float64: subtract the max (an infinite max is replaced by 0), exponentiate.
          const out = new Array<number>(s.values.length);
          const groups = new Map<string, number[]>();
          indices(s.shape).forEach((idx, i) => {
            const key = idx.filter((_, d) => d !== ax).join();
            groups.set(key, [...(groups.get(key) ?? []), i]);
          });
          for (const cell of groups.values()) {
            const v = cell.map((i) => s.values[i]!);
            const m = v.some(Number.isNaN) ? NaN : Math.max(...v);
            const shift = Number.isFinite(m) ? m : 0;
            const sumExp = v.reduce((a, x) => a + Math.exp(x - shift), 0);
            cell.forEach((i, k) => {
              out[i] =
                name === 'softmax' ? Math.exp(v[k]! - shift) / sumExp : v[k]! - shift - Math.log(sumExp);
            });
          }
          const values = out.map((v) => (s.dtype === 'float32' ? Math.fround(v) : v));
          const tol = s.dtype === 'float32' ? { rtol: 1e-5, atol: 1e-6 } : { rtol: 1e-12, atol: 1e-14 };
          expectOutcome(name, call, { shape: s.shape, dtype: s.dtype, values, ...tol });
        }),
        params(),
      );
    });
  }
});

const pad = fc.oneof(
  fc.constantFrom<Pad>('valid', 'same'),
  fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)).map(([a, b, c, d]): Pad => [
    [a, b],
    [c, d],
  ]),
);
const geometry = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  h: fc.integer({ min: 1, max: 5 }),
  w: fc.integer({ min: 1, max: 5 }),
  c: fc.integer({ min: 1, max: 2 }),
  f: fc.integer({ min: 1, max: 2 }),
  kh: fc.integer({ min: 1, max: 3 }),
  kw: fc.integer({ min: 1, max: 3 }),
  s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  pad,
  filterC: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }),
});
const vals = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => Math.fround(Math.sin(seed + i * 1.7) * 3));

describeBackends('property: conv2d, pooling and their gradient ops', () => {
  it('conv2d and both backprop ops match the naive loops for any stride, dilation and padding; typed errors', () => {
    fc.assert(
      fc.property(geometry, fc.nat(100), (g, seed) => {
        const xs: [number, number, number, number] = [g.n, g.h, g.w, g.c];
        const ws: [number, number, number, number] = [g.kh, g.kw, g.c + g.filterC, g.f];
        const x = bp.tensor(vals(g.n * g.h * g.w * g.c, seed), xs);
        const w = bp.tensor(vals(ws[0] * ws[1] * ws[2] * ws[3], seed + 1), ws);
        const o = { strides: g.s, dilations: g.d, padding: g.pad };
        const call = () => bp.conv2d(x, w, o);
        if (g.filterC) return expectOutcome('conv2d', call, { error: ShapeError });
        const geo = refGeometry([g.h, g.w], [g.kh, g.kw], g.s, g.d, g.pad);
        if (geo.out[0] < 1 || geo.out[1] < 1) return expectOutcome('conv2d', call, { error: ShapeError });
        const k = { xs, ws, s: g.s, d: g.d, geo };
        const tol = { rtol: 1e-5, atol: 1e-5 };
        const ys = [g.n, geo.out[0], geo.out[1], g.f];
        expectOutcome('conv2d', call, {
          shape: ys,
          dtype: 'float32',
          values: refConv2d(x.dataSync(), w.dataSync(), k),
          ...tol,
        });
        const dy = bp.tensor(
          vals(
            ys.reduce((a, b) => a * b, 1),
            seed + 2,
          ),
          ys,
        );
        expectOutcome('conv2dBackpropInput', () => bp.conv2dBackpropInput(dy, w, xs, o), {
          shape: xs,
          dtype: 'float32',
          values: refConvInputGrad(dy.dataSync(), w.dataSync(), k),
          ...tol,
        });
        expectOutcome('conv2dBackpropFilter', () => bp.conv2dBackpropFilter(x, dy, ws, o), {
          shape: ws,
          dtype: 'float32',
          values: refConvFilterGrad(x.dataSync(), dy.dataSync(), k),
          ...tol,
        });
        // A dy of the wrong shape, and a rank-3 input, are ShapeErrors naming the op.
        expectOutcome(
          'conv2dBackpropInput',
          () => bp.conv2dBackpropInput(x, w, xs, o),
          ys.join() === xs.join()
            ? { shape: xs, dtype: 'float32', values: refConvInputGrad(x.dataSync(), w.dataSync(), k), ...tol }
            : { error: ShapeError },
        );
        expectOutcome('conv2d', () => bp.conv2d(bp.reshape(x, [g.n * g.h, g.w, g.c]), w, o), {
          error: ShapeError,
        });
      }),
      params(),
    );
  });

  for (const kind of ['max', 'avg'] as const) {
    it(`${kind}Pool2d and its gradient op match the window loops; bad windows and paddings are typed errors`, () => {
      fc.assert(
        fc.property(geometry, fc.nat(100), fc.boolean(), (g, seed, intInput) => {
          const name = `${kind}Pool2d`;
          const xs: [number, number, number, number] = [g.n, g.h, g.w, g.c];
          const x = bp.tensor(vals(g.n * g.h * g.w * g.c, seed), xs, intInput ? 'int32' : 'float32');
          const k: [number, number] = [g.kh, g.kw];
          const o = { poolSize: k, strides: g.s, padding: g.pad };
          const call = () => bp[`${kind}Pool2d`](x, o);
          if (intInput) return expectOutcome(name, call, { error: DTypeError });
          const geo = refGeometry([g.h, g.w], k, g.s, [1, 1], g.pad);
          if (geo.out[0] < 1 || geo.out[1] < 1) return expectOutcome(name, call, { error: ShapeError });
          if (geo.pads[0] >= k[0] || geo.pads[1] >= k[0] || geo.pads[2] >= k[1] || geo.pads[3] >= k[1])
            return expectOutcome(name, call, { error: ArgumentError });
          const p = { xs, k, s: g.s, geo };
          const ys = [g.n, geo.out[0], geo.out[1], g.c];
          expectOutcome(name, call, {
            shape: ys,
            dtype: 'float32',
            values: refPool(kind, x.dataSync(), p).map(Math.fround),
            rtol: 1e-6,
            atol: 1e-6,
          });
          const dy = bp.tensor(
            vals(
              ys.reduce((a, b) => a * b, 1),
              seed + 3,
            ),
            ys,
          );
          const grad = kind === 'max' ? bp.maxPool2dBackprop : bp.avgPool2dBackprop;
          expectOutcome(`${name}Backprop`, () => grad(dy, x, o), {
            shape: xs,
            dtype: 'float32',
            values: refPoolGrad(kind, dy.dataSync(), x.dataSync(), p),
            rtol: 1e-5,
            atol: 1e-6,
          });
        }),
        params(),
      );
    });
  }
});
