import { availableParallelism } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendData, TensorInfo } from '../../backend';
import * as bp from '../../index';
import { registerBackend, scope, setBackend, tensor } from '../../index';
import { expectClose, randomValues, rng } from '../../testing/assert';
import { createJsBackend } from '../js/index';
import type { WasmBackend, WasmData } from './index';
import { createWasmBackend, wasmSimdSupported } from './index';

// One thread each: the reference the threaded runs are compared with.
const simd = createWasmBackend({ relaxedSimd: false, threads: 1 });
// Enables V8's relaxed-SIMD flag on Node 20 where needed; falls back to the plain build where it cannot.
const relaxed = createWasmBackend({ relaxedSimd: true, threads: 1 });
const js = createJsBackend();

function info(be: WasmBackend, values: Float32Array, shape: number[]): TensorInfo {
  return { data: be.fromArray(values.slice(), 'float32'), shape, dtype: 'float32' };
}

function f32(next: () => number, n: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from(randomValues(next, n, lo, hi));
}

/** float64 C = op(A)·op(B) plus Σ|a||b| per element, for a float32-accumulation error bound. */
function refGemm(
  a: Float32Array,
  b: Float32Array,
  M: number,
  K: number,
  N: number,
  ta: boolean,
  tb: boolean,
) {
  const c = new Float64Array(M * N);
  const mag = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let m = 0;
      for (let p = 0; p < K; p++) {
        const x = a[ta ? p * M + i : i * K + p]!;
        const y = b[tb ? j * K + p : p * N + j]!;
        s += x * y;
        m += Math.abs(x * y);
      }
      c[i * N + j] = s;
      mag[i * N + j] = m;
    }
  }
  return { c, mag };
}

describe('wasm backend', () => {
  it('validates SIMD here and reports which kernels it built', () => {
    expect(wasmSimdSupported()).toBe(true);
    expect(simd.variant).toBe('simd');
    expect(['simd', 'relaxed-simd']).toContain(relaxed.variant);
  });

  describe.each([
    ['simd', simd],
    ['relaxed', relaxed],
  ] as const)('GEMM (%s kernels)', (_name, be) => {
    const next = rng(5);
    // Sizes straddle the kernel's blocking: tile edges (5/6 rows × 8 columns), KC = 256, MC = 120/144, NC = 512.
    const SHAPES: [number, number, number][] = [
      [1, 1, 1],
      [3, 5, 7],
      [6, 17, 9],
      [13, 300, 31],
      [150, 70, 530],
      [64, 513, 64],
    ];
    for (const [M, K, N] of SHAPES) {
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        it(`${M}×${K}×${N} ${ta ? 't' : 'n'}${tb ? 't' : 'n'}`, () => {
          const a = f32(next, M * K);
          const b = f32(next, K * N);
          const out = be.matmul(
            info(be, a, ta ? [K, M] : [M, K]),
            info(be, b, tb ? [N, K] : [K, N]),
            ta,
            tb,
            [M, N],
          );
          const got = be.readSync(out);
          const { c, mag } = refGemm(a, b, M, K, N, ta, tb);
          // float32 accumulation: |error| ≤ K·u·Σ|a||b| (u = 2⁻²⁴) bounds any summation order.
          for (let i = 0; i < M * N; i++) {
            const bound = (K + 2) * 2 ** -24 * mag[i]! + 1e-30;
            if (Math.abs(got[i]! - c[i]!) > bound) {
              expect.fail(`[${i}] got ${got[i]}, expected ${c[i]} ± ${bound}`);
            }
          }
        });
      }
    }

    it('batched matmul with broadcast batch dims matches per-batch products', () => {
      const [M, K, N] = [7, 19, 11];
      const a = f32(next, 2 * 1 * M * K);
      const b = f32(next, 3 * K * N);
      const out = be.readSync(
        be.matmul(info(be, a, [2, 1, M, K]), info(be, b, [3, K, N]), false, false, [2, 3, M, N]),
      );
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 3; j++) {
          const { c, mag } = refGemm(a.subarray(i * M * K), b.subarray(j * K * N), M, K, N, false, false);
          const got = out.subarray((i * 3 + j) * M * N, (i * 3 + j + 1) * M * N);
          for (let t = 0; t < M * N; t++) {
            expect(Math.abs(got[t]! - c[t]!)).toBeLessThanOrEqual((K + 2) * 2 ** -24 * mag[t]! + 1e-30);
          }
        }
      }
    });

    it('K = 0 gives zeros even in reused memory', () => {
      const junk = be.fromArray(new Float32Array(64).fill(7), 'float32');
      be.dispose(junk);
      const out = be.matmul(
        info(be, new Float32Array(0), [4, 0]),
        info(be, new Float32Array(0), [0, 5]),
        false,
        false,
        [4, 5],
      );
      expect(Array.from(be.readSync(out))).toEqual(new Array(20).fill(0));
    });
  });

  describe('elementwise', () => {
    const next = rng(9);
    const CASES: [number[], number[]][] = [
      [[37], [37]],
      [[5, 9], [9]],
      [
        [5, 9],
        [5, 1],
      ],
      [[1], [4, 6]],
      [
        [3, 1, 5],
        [1, 4, 1],
      ],
      [
        [2, 3, 4, 5],
        [3, 1, 5],
      ],
      [[], []],
      [[0, 3], [3]],
      // Rows against one row of b in whole vectors (binaryRows' bias path), also below an outer JS loop.
      [[6, 8], [8]],
      [
        [3, 5, 8],
        [3, 1, 8],
      ],
      [[2, 3, 4, 8], [8]],
      [
        [4, 1],
        [4, 8],
      ],
      [
        [7, 12],
        [7, 1],
      ],
    ];
    for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const) {
      it(`${op} with broadcasting equals the js backend bit for bit`, () => {
        for (const [as, bs] of CASES) {
          const outShape = bp.broadcastShapes(op, as, bs);
          const av = f32(
            next,
            as.reduce((p, d) => p * d, 1),
          );
          const bv = f32(
            next,
            bs.reduce((p, d) => p * d, 1),
          );
          if (av.length > 2) av[1] = NaN;
          if (bv.length > 3) bv[2] = 0;
          const got = simd.readSync(
            simd.binary(op, info(simd, av, as), info(simd, bv, bs), outShape, 'float32'),
          );
          const ja = { data: js.fromArray(av, 'float32'), shape: as, dtype: 'float32' as const };
          const jb = { data: js.fromArray(bv, 'float32'), shape: bs, dtype: 'float32' as const };
          const want = js.readSync(js.binary(op, ja, jb, outShape, 'float32'));
          expect(Array.from(got), `${op} ${JSON.stringify(as)} ${JSON.stringify(bs)}`).toEqual(
            Array.from(want),
          );
        }
      });
    }

    const SPECIAL = [
      0,
      -0,
      1,
      -1,
      1e-40,
      -1e-40,
      1e-30,
      88.7,
      89,
      -87,
      -103,
      -104,
      1e30,
      -1e30,
      Infinity,
      -Infinity,
      NaN,
    ];
    const UNARY: [string, (x: number) => number, number, number][] = [
      ['exp', Math.exp, -90, 90],
      ['log', Math.log, 1e-6, 1e6],
      ['tanh', Math.tanh, -10, 10],
      ['sigmoid', (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))), -30, 30],
      ['sqrt', Math.sqrt, 0, 100],
      ['rsqrt', (x) => 1 / Math.sqrt(x), 1e-3, 100],
      ['reciprocal', (x) => 1 / x, -10, 10],
      ['neg', (x) => -x, -10, 10],
      ['abs', Math.abs, -10, 10],
      ['square', (x) => x * x, -10, 10],
      ['floor', Math.floor, -10, 10],
      ['ceil', Math.ceil, -10, 10],
    ];
    for (const [op, f, lo, hi] of UNARY) {
      it(`${op} is within 2 ulp of float64 over a range and at special values`, () => {
        const x = Float32Array.from([...randomValues(next, 1001, lo, hi), ...SPECIAL]);
        const got = simd.readSync(simd.unary(op as never, info(simd, x, [x.length])));
        expectClose(
          got,
          Array.from(x, (v) => Math.fround(f(v))),
          { rtol: 2.5e-7, atol: 1e-37 },
          op,
        );
      });
    }
    it('log(1 + tiny) and tanh(tiny) keep their relative accuracy', () => {
      const x = Float32Array.from([1 + 2 ** -20, 1 - 2 ** -20, 1e-5, -3e-4]);
      const l = simd.readSync(simd.unary('log', info(simd, x.subarray(0, 2), [2])));
      expectClose(l, [Math.log(x[0]!), Math.log(x[1]!)], { rtol: 2.5e-7, atol: 0 });
      const t = simd.readSync(simd.unary('tanh', info(simd, x.subarray(2), [2])));
      expectClose(t, [Math.tanh(x[2]!), Math.tanh(x[3]!)], { rtol: 2.5e-7, atol: 0 });
    });
  });

  describe('reductions', () => {
    const next = rng(11);
    const CASES: [number[], number[]][] = [
      [[1000], [0]],
      [[7, 33], [1]],
      [[33, 7], [0]],
      [[4, 9, 6], [1]],
      [
        [4, 9, 6],
        [0, 1],
      ],
      [
        [4, 9, 6],
        [1, 2],
      ],
      [
        [4, 9, 6],
        [0, 2],
      ],
      [[4, 1, 6], [1]],
      [
        [3, 4, 5, 6],
        [0, 3],
      ],
      // Column sums of up to 16 columns in registers (a conv bias gradient): 4, 8, 12 and 16 columns.
      [[37, 4], [0]],
      [
        [3, 5, 7, 8],
        [0, 1, 2],
      ],
      [[29, 12], [0]],
      [
        [2, 13, 16],
        [0, 1],
      ],
    ];
    for (const op of ['sum', 'max', 'min'] as const) {
      it(`${op} over axis patterns matches the js backend`, () => {
        for (const [shape, axes] of CASES) {
          const v = f32(
            next,
            shape.reduce((p, d) => p * d, 1),
            -3,
            3,
          );
          const got = simd.readSync(simd.reduce(op, info(simd, v, shape), axes));
          const want = js.readSync(
            js.reduce(op, { data: js.fromArray(v, 'float32'), shape, dtype: 'float32' }, axes),
          );
          // Sums accumulate in float64 in both; only the order differs.
          expectClose(
            got,
            want,
            { rtol: 1e-6, atol: 1e-6 },
            `${op} ${JSON.stringify(shape)} ${JSON.stringify(axes)}`,
          );
        }
      });
    }
    it('max propagates NaN', () => {
      const v = Float32Array.from([1, NaN, 3, 4, 5, 6, 7, 8, 9]);
      expect(Number.isNaN(simd.readSync(simd.reduce('max', info(simd, v, [9]), [0]))[0])).toBe(true);
    });
  });

  describe('conv2d on im2col + GEMM', () => {
    const next = rng(21);
    // [x NHWC, filter HWIO, strides, dilations, pads [top, bottom, left, right]]
    const CASES: [number[], number[], number[], number[], number[]][] = [
      [
        [2, 7, 6, 3],
        [3, 3, 3, 4],
        [1, 1],
        [1, 1],
        [1, 1, 1, 1],
      ],
      [
        [1, 9, 8, 2],
        [3, 2, 2, 5],
        [2, 3],
        [1, 1],
        [0, 1, 1, 0],
      ],
      [
        [2, 9, 9, 3],
        [2, 3, 3, 2],
        [1, 1],
        [2, 2],
        [0, 0, 0, 0],
      ],
      [
        [3, 5, 4, 6],
        [1, 1, 6, 7],
        [1, 1],
        [1, 1],
        [0, 0, 0, 0],
      ], // pointwise: no im2col
      // Whole filter rows copied as one run of KW·C floats: vectors plus a tail (C = 5), C = 1 as in the bench's
      // first layer, and dilation or stride across columns (tap by tap).
      [
        [2, 8, 7, 5],
        [3, 3, 5, 4],
        [1, 1],
        [1, 1],
        [1, 0, 2, 1],
      ],
      [
        [2, 10, 10, 1],
        [3, 3, 1, 8],
        [1, 1],
        [1, 1],
        [0, 0, 0, 0],
      ],
      [
        [1, 7, 9, 4],
        [2, 3, 4, 3],
        [1, 2],
        [1, 2],
        [1, 1, 2, 2],
      ],
      [
        [1, 6, 6, 4],
        [1, 1, 4, 3],
        [2, 2],
        [1, 1],
        [0, 0, 0, 0],
      ],
      // im2col's interior fast path: border pixels on both sides with stride 2, and a width with no interior.
      [
        [2, 6, 7, 1],
        [3, 3, 1, 2],
        [2, 2],
        [1, 1],
        [1, 1, 1, 1],
      ],
      [
        [1, 4, 1, 2],
        [3, 3, 2, 3],
        [1, 1],
        [1, 1],
        [1, 1, 1, 1],
      ],
      [
        [1, 3, 2, 2],
        [3, 3, 2, 2],
        [1, 2],
        [1, 1],
        [1, 1, 0, 1],
      ], // the only window overhangs the right edge: W − KW + left padding < 0
    ];
    for (const [xs, ws, strides, dilations, pads] of CASES) {
      it(`forward and both gradients match the js backend: x ${JSON.stringify(xs)} w ${JSON.stringify(ws)} s ${strides.join()} d ${dilations.join()} pads ${pads.join()}`, () => {
        const oh =
          Math.floor((xs[1]! + pads[0]! + pads[1]! - (ws[0]! - 1) * dilations[0]! - 1) / strides[0]!) + 1;
        const ow =
          Math.floor((xs[2]! + pads[2]! + pads[3]! - (ws[1]! - 1) * dilations[1]! - 1) / strides[1]!) + 1;
        const g = {
          inShape: xs as [number, number, number, number],
          filterShape: ws as [number, number, number, number],
          outShape: [xs[0]!, oh, ow, ws[3]!] as [number, number, number, number],
          strides: strides as [number, number],
          dilations: dilations as [number, number],
          pads: pads as [number, number, number, number],
        };
        const numel = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
        const xv = f32(next, numel(xs));
        const wv = f32(next, numel(ws));
        const dyv = f32(next, numel(g.outShape));
        const j = (v: Float32Array, shape: readonly number[]) => ({
          data: js.fromArray(v.slice(), 'float32'),
          shape,
          dtype: 'float32' as const,
        });
        for (const be of [simd, relaxed]) {
          const tol = { rtol: 1e-5, atol: 1e-5 };
          expectClose(
            be.readSync(be.conv2d(info(be, xv, xs), info(be, wv, ws), g)),
            js.readSync(js.conv2d(j(xv, xs), j(wv, ws), g)),
            tol,
            'y',
          );
          expectClose(
            be.readSync(be.conv2dBackpropInput(info(be, dyv, g.outShape), info(be, wv, ws), g)),
            js.readSync(js.conv2dBackpropInput(j(dyv, g.outShape), j(wv, ws), g)),
            tol,
            'dx',
          );
          expectClose(
            be.readSync(be.conv2dBackpropFilter(info(be, xv, xs), info(be, dyv, g.outShape), g)),
            js.readSync(js.conv2dBackpropFilter(j(xv, xs), j(dyv, g.outShape), g)),
            tol,
            'dw',
          );
        }
      });
    }
  });

  describe('fused softmax / logSoftmax', () => {
    const next = rng(31);
    it.each(['float32', 'float64'] as const)(
      'equal the composed js path in %s, special rows included',
      (dtype) => {
        const rows = [
          randomValues(next, 37, -20, 20),
          [0, 1e4, -1e4, 3, 5],
          [-Infinity, 0, 1, 2, 3],
          [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
          [NaN, 0, 1, 2, 3],
          [Infinity, 0, 1, 2, 3],
          [1e30, 1e30, -1e30, 0, 1],
        ];
        for (const vals of rows) {
          const shape = [1, vals.length];
          const x = {
            data: simd.fromArray(
              dtype === 'float32' ? Float32Array.from(vals) : Float64Array.from(vals),
              dtype,
            ),
            shape,
            dtype,
          };
          const jx = {
            data: js.fromArray(
              dtype === 'float32' ? Float32Array.from(vals) : Float64Array.from(vals),
              dtype,
            ),
            shape,
            dtype,
          };
          // Composed on js: softmax = exp(x − m) / Σ; logSoftmax = (x − m) − log Σ exp(x − m), m = max or 0 if not finite.
          const xv = js.readSync(jx.data);
          const m = Math.max(...Array.from(xv));
          const round = (v: number) => (dtype === 'float32' ? Math.fround(v) : v);
          const mm = Number.isFinite(m) ? m : 0;
          const e = Array.from(xv, (v) => round(Math.exp(round(v - mm))));
          const s = round(e.reduce((a, b) => a + b, 0));
          const sh = Array.from(xv, (v) => round(v - mm));
          const ls = round(Math.log(round(sh.reduce((a, v) => a + round(Math.exp(v)), 0))));
          const tol = dtype === 'float32' ? { rtol: 1e-6, atol: 1e-7 } : { rtol: 1e-13, atol: 1e-15 };
          expectClose(
            simd.readSync(simd.fused!.softmax!(x)),
            e.map((v) => round(v / s)),
            tol,
            `softmax ${vals.slice(0, 3).join()}`,
          );
          expectClose(
            simd.readSync(simd.fused!.logSoftmax!(x)),
            sh.map((v) => round(v - ls)),
            tol,
            `logSoftmax ${vals.slice(0, 3).join()}`,
          );
        }
      },
    );
    it('works row by row on [rows, len] with ragged vector tails', () => {
      const v = Float32Array.from(randomValues(next, 3 * 7, -5, 5));
      const got = simd.readSync(simd.fused!.softmax!(info(simd, v, [3, 7])));
      for (let r = 0; r < 3; r++) {
        const row = Array.from(v.subarray(r * 7, r * 7 + 7));
        const mx = Math.max(...row);
        const ex = row.map((t) => Math.exp(t - mx));
        const sum = ex.reduce((a, b) => a + b, 0);
        expectClose(
          got.subarray(r * 7, r * 7 + 7),
          ex.map((t) => t / sum),
          { rtol: 2e-6, atol: 1e-7 },
          `row ${r}`,
        );
      }
    });
  });

  describe('compare, where and pooling in SIMD', () => {
    const next = rng(53);
    const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1];
    const vals = (n: number) =>
      Float32Array.from({ length: n }, (_, i) =>
        i % 7 === 3 ? SPECIAL[i % SPECIAL.length]! : next() * 4 - 2,
      );
    const jsInfo = (values: Float32Array | Uint8Array, shape: number[], dtype: 'float32' | 'bool') => ({
      data: js.fromArray(values.slice(), dtype),
      shape,
      dtype,
    });
    const wInfo = (values: Float32Array | Uint8Array, shape: number[], dtype: 'float32' | 'bool') => ({
      data: simd.fromArray(values.slice(), dtype),
      shape,
      dtype,
    });
    const BROADCASTS: [number[], number[], number[]][] = [
      [[37], [37], [37]],
      [[5, 19], [], [5, 19]],
      [
        [3, 1, 18],
        [1, 4, 1],
        [3, 4, 18],
      ],
      [[6, 5], [5], [6, 5]],
      [
        [2, 3, 4],
        [2, 1, 4],
        [2, 3, 4],
      ],
    ];

    it.each(['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const)(
      '%s gives the js kernel’s bools for any broadcast, NaN and ±0 included',
      (op) => {
        for (const [sa, sb, so] of BROADCASTS) {
          const a = vals(sa.reduce((p, d) => p * d, 1));
          const b = sb.length === 0 ? Float32Array.of(0) : vals(sb.reduce((p, d) => p * d, 1));
          const want = js.readSync(js.compare(op, jsInfo(a, sa, 'float32'), jsInfo(b, sb, 'float32'), so));
          const got = simd.readSync(simd.compare(op, wInfo(a, sa, 'float32'), wInfo(b, sb, 'float32'), so));
          expect(Array.from(got), `${op} ${JSON.stringify([sa, sb])}`).toEqual(Array.from(want));
        }
      },
    );

    it('broadcastTo copies or splats float32 and int32 runs like the js kernel', () => {
      for (const [from, , to] of BROADCASTS) {
        const n = from.reduce((p, d) => p * d, 1);
        const f = vals(n);
        const i = Int32Array.from({ length: n }, (_, j) => j * 7 - 3);
        expect(Array.from(simd.readSync(simd.broadcastTo(wInfo(f, from, 'float32'), to)))).toEqual(
          Array.from(js.readSync(js.broadcastTo(jsInfo(f, from, 'float32'), to))),
        );
        const wi = { data: simd.fromArray(i.slice(), 'int32'), shape: from, dtype: 'int32' as const };
        const ji = { data: js.fromArray(i.slice(), 'int32'), shape: from, dtype: 'int32' as const };
        expect(Array.from(simd.readSync(simd.broadcastTo(wi, to)))).toEqual(
          Array.from(js.readSync(js.broadcastTo(ji, to))),
        );
      }
    });

    it('where selects like the js kernel for any broadcast of cond, a and b', () => {
      for (const [sc, sa, so] of BROADCASTS) {
        const n = sc.reduce((p, d) => p * d, 1);
        const c = Uint8Array.from({ length: n }, () => (next() < 0.5 ? 1 : 0));
        const a = vals(sa.reduce((p, d) => p * d, 1));
        const b = vals(so.reduce((p, d) => p * d, 1));
        const want = js.readSync(
          js.where(jsInfo(c, sc, 'bool'), jsInfo(a, sa, 'float32'), jsInfo(b, so, 'float32'), so),
        );
        const got = simd.readSync(
          simd.where(wInfo(c, sc, 'bool'), wInfo(a, sa, 'float32'), wInfo(b, so, 'float32'), so),
        );
        expect(Array.from(got)).toEqual(Array.from(want));
      }
    });

    it('max pooling gradient of disjoint windows: first maximum on ties, NaN sticks, −0 lands as +0, bit for bit', () => {
      // One 2×2 window per output cell, 4 channels: ties in channel 0, a NaN in channel 1, −0 and NaN in dy.
      const x = new Float32Array([1, 2, 3, 4, 1, NaN, 0, 4, 1, 5, 3, 4, 1, 0, 9, 4]);
      const dy = new Float32Array([-0, 2, NaN, 7]);
      const g = {
        inShape: [1, 2, 2, 4] as const,
        outShape: [1, 1, 1, 4] as const,
        poolSize: [2, 2] as const,
        strides: [2, 2] as const,
        pads: [0, 0, 0, 0] as const,
        kind: 'max' as const,
      };
      const want = js.readSync(
        js.pool2dBackprop(jsInfo(dy, [1, 1, 1, 4], 'float32'), jsInfo(x, [1, 2, 2, 4], 'float32'), g),
      );
      const got = simd.readSync(
        simd.pool2dBackprop(wInfo(dy, [1, 1, 1, 4], 'float32'), wInfo(x, [1, 2, 2, 4], 'float32'), g),
      );
      expect(Array.from(got).map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual(
        Array.from(want).map((v) => (Object.is(v, -0) ? '-0' : v)),
      );
      expect(Object.is(got[0], 0)).toBe(true);
    });

    it.each(['max', 'avg'] as const)(
      '%s pooling and its gradient match the js kernels (padding, tails, NaN)',
      (kind) => {
        for (const [N, H, W, C, k, s, pad] of [
          [2, 6, 6, 8, 2, 2, 0],
          [1, 7, 5, 3, 3, 2, 1],
          [1, 5, 5, 6, 3, 1, 1],
          [2, 4, 4, 4, 2, 1, 0],
          // Disjoint windows (stride ≥ pool size): padding, a channel tail, gaps no window covers.
          [1, 7, 7, 6, 2, 2, 1],
          [2, 5, 7, 4, 2, 3, 0],
          [1, 6, 6, 5, 3, 3, 1],
        ] as const) {
          const OH = Math.floor((H + 2 * pad - k) / s) + 1;
          const OW = Math.floor((W + 2 * pad - k) / s) + 1;
          const g = {
            inShape: [N, H, W, C] as const,
            outShape: [N, OH, OW, C] as const,
            poolSize: [k, k] as const,
            strides: [s, s] as const,
            pads: [pad, pad, pad, pad] as const,
            kind,
          };
          const x = vals(N * H * W * C);
          const dy = vals(N * OH * OW * C).map((v) => (Number.isFinite(v) ? v : 0.5));
          const want = js.readSync(js.pool2d(jsInfo(x, [N, H, W, C], 'float32'), g));
          const got = simd.readSync(simd.pool2d(wInfo(x, [N, H, W, C], 'float32'), g));
          expectClose(
            got,
            want,
            { rtol: 1e-6, atol: 0 },
            `${kind} forward ${[N, H, W, C, k, s, pad].join(',')}`,
          );
          const wantDx = js.readSync(
            js.pool2dBackprop(jsInfo(dy, [N, OH, OW, C], 'float32'), jsInfo(x, [N, H, W, C], 'float32'), g),
          );
          const gotDx = simd.readSync(
            simd.pool2dBackprop(wInfo(dy, [N, OH, OW, C], 'float32'), wInfo(x, [N, H, W, C], 'float32'), g),
          );
          // Overlapping windows add in float32 here and in float64 in the reference.
          expectClose(gotDx, wantDx, { rtol: 1e-5, atol: 1e-6 }, `${kind} backprop`);
        }
      },
    );
  });

  describe('threads', () => {
    const next = rng(41);
    const two = createWasmBackend({ threads: 2 });
    const twoRelaxed = createWasmBackend({ threads: 2, relaxedSimd: true });

    it('uses every core by default where threads work, and the threads option overrides', () => {
      const cores = availableParallelism();
      const env = process.env.BACKPROP_WASM_THREADS;
      expect(createWasmBackend().threads).toBe(env ? Math.max(1, Number(env)) : cores);
      expect(createWasmBackend({ threads: 1 }).threads).toBe(1);
    });

    it('gives the same bits when every product is split, however small (parallelMin 0)', () => {
      const all = createWasmBackend({ threads: 2, parallelMin: 0, relaxedSimd: false });
      for (const [M, K, N] of [
        [16, 3, 16],
        [5, 7, 40],
        [24, 24, 24],
      ] as const) {
        const a = f32(next, M * K);
        const b = f32(next, K * N);
        const run = (be: WasmBackend) =>
          Array.from(be.readSync(be.matmul(info(be, a, [M, K]), info(be, b, [K, N]), false, false, [M, N])));
        // Many rounds: a helper that is late is overtaken by the caller, which must not change the result.
        for (let r = 0; r < 50; r++) expect(run(all), `${M}×${K}×${N}`).toEqual(run(simd));
      }
    });

    it('splits a large Adam update over the threads with results identical to 1 thread', () => {
      // Above the split threshold, and not a multiple of the 16-float slice unit: the last slice is ragged.
      for (const n of [32_768, 100_003]) {
        const w = f32(next, n);
        const g = f32(next, n);
        const m = f32(next, n);
        const v = f32(next, n, 0, 1);
        const run = (be: WasmBackend) =>
          be.fused!.adamUpdate!(
            info(be, w, [n]),
            info(be, g, [n]),
            info(be, m, [n]),
            info(be, v, [n]),
            1e-3,
            0.9,
            0.999,
            1e-7,
          )!.map((d) => Array.from(be.readSync(d)));
        const one = run(relaxed);
        // Many rounds: a helper that is late is overtaken by the caller, which must not change the result.
        for (let r = 0; r < 20; r++) expect(run(twoRelaxed), `n = ${n}`).toEqual(one);
      }
    });

    it('runs large GEMMs on 2 threads with results identical to 1 thread, in every layout and split', () => {
      expect(two.threads).toBe(2);
      // wide N (column split), narrow N (row split), too small to split, batched.
      const SHAPES: [number, number, number, number][] = [
        [1, 40, 64, 96],
        [1, 200, 100, 13],
        [1, 9, 11, 7],
        [3, 33, 50, 40],
      ];
      for (const [B, M, K, N] of SHAPES) {
        for (const [ta, tb] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ] as const) {
          const a = f32(next, B * M * K);
          const b = f32(next, B * K * N);
          const run = (be: WasmBackend) =>
            be.readSync(
              be.matmul(
                info(be, a, ta ? [B, K, M] : [B, M, K]),
                info(be, b, tb ? [B, N, K] : [B, K, N]),
                ta,
                tb,
                [B, M, N],
              ),
            );
          expect(Array.from(run(two)), `${B}×${M}×${K}×${N} ${ta}${tb}`).toEqual(
            Array.from(run(simd.variant === two.variant ? simd : relaxed)),
          );
        }
      }
    });

    it('conv2d and its gradients agree with 1 thread', () => {
      const g = {
        inShape: [2, 12, 12, 3] as const,
        filterShape: [3, 3, 3, 16] as const,
        outShape: [2, 12, 12, 16] as const,
        strides: [1, 1] as const,
        dilations: [1, 1] as const,
        pads: [1, 1, 1, 1] as const,
      };
      const xv = f32(next, 2 * 12 * 12 * 3);
      const wv = f32(next, 3 * 3 * 3 * 16);
      const dyv = f32(next, 2 * 12 * 12 * 16);
      const one = simd.variant === two.variant ? simd : relaxed;
      for (const be of [one, two]) expect(be.variant).toBe(two.variant);
      const all = (be: WasmBackend) => [
        ...be.readSync(be.conv2d(info(be, xv, [2, 12, 12, 3]), info(be, wv, [3, 3, 3, 16]), g)),
        ...be.readSync(
          be.conv2dBackpropInput(info(be, dyv, [2, 12, 12, 16]), info(be, wv, [3, 3, 3, 16]), g),
        ),
        ...be.readSync(
          be.conv2dBackpropFilter(info(be, xv, [2, 12, 12, 3]), info(be, dyv, [2, 12, 12, 16]), g),
        ),
      ];
      expect(all(two)).toEqual(all(one));
    });

    it('keeps elementwise ops working on the shared memory', () => {
      const v = f32(next, 1000);
      const got = two.readSync(two.unary('exp', info(two, v, [1000])));
      expectClose(
        got,
        Array.from(v, (t) => Math.fround(Math.exp(t))),
        { rtol: 2.5e-7, atol: 0 },
      );
    });
  });

  describe('through the public API', () => {
    beforeAll(() => {
      registerBackend('wasm-under-test', () => createWasmBackend());
      setBackend('wasm-under-test');
    });

    it('runs delegated dtypes and primitives (int32, float64, bool, movement, conv)', () => {
      expect(
        Array.from(bp.add(tensor([1, 2, 3], [3], 'int32'), tensor([4, 5, 6], [3], 'int32')).dataSync()),
      ).toEqual([5, 7, 9]);
      const m = bp.matmul(tensor([1, 2, 3, 4], [2, 2], 'float64'), tensor([1, 0, 0, 1], [2, 2], 'float64'));
      expect(m.dtype).toBe('float64');
      expect(Array.from(m.dataSync())).toEqual([1, 2, 3, 4]);
      expect(Array.from(bp.greater(tensor([1, 5]), tensor([2, 2])).dataSync())).toEqual([0, 1]);
      expect(Array.from(bp.transpose(tensor([1, 2, 3, 4, 5, 6], [2, 3])).dataSync())).toEqual([
        1, 4, 2, 5, 3, 6,
      ]);
    });

    it('keeps memory flat over 10 000 training-like steps', () => {
      const be = bp.getBackend() as WasmBackend;
      const w = tensor(randomValues(rng(3), 32 * 16), [32, 16]);
      const x = tensor(randomValues(rng(4), 8 * 32), [8, 32]);
      const step = () =>
        scope(() => {
          const h = bp.tanh(bp.add(bp.matmul(x, w), bp.ones([16])));
          return bp.sum(bp.mul(h, h)).dataSync()[0]!;
        });
      for (let i = 0; i < 100; i++) step();
      const bytes = be.memoryBytes();
      const live = bp.memory();
      for (let i = 0; i < 10_000; i++) step();
      expect(be.memoryBytes()).toBe(bytes);
      expect(bp.memory()).toEqual(live);
    });

    it('random tensors are written straight into wasm memory, with the values the js backend draws', () => {
      const draw = () => [
        Array.from(bp.randomUniform([5, 3], { seed: 11 }).dataSync()),
        Array.from(bp.randomNormal([7], { seed: 12 }).dataSync()),
        Array.from(bp.truncatedNormal([7], { seed: 13 }).dataSync()),
        Array.from(bp.randomInt([9], -4, 4, { seed: 14 }).dataSync()),
      ];
      const onWasm = draw();
      registerBackend('wasm-test-js', () => js);
      setBackend('wasm-test-js');
      const onJs = draw();
      setBackend('wasm-under-test');
      expect(onWasm).toEqual(onJs);
    });

    it('fromWriter frees its block when the writer throws', () => {
      const be = bp.getBackend() as WasmBackend;
      // One block's worth of growth first: the memory may need to grow once to hold it at all.
      be.dispose(be.fromWriter!('float32', 1 << 18, (out) => out.fill(1)));
      const bytes = be.memoryBytes();
      for (let i = 0; i < 300; i++) {
        expect(() =>
          be.fromWriter!('float32', 1 << 18, () => {
            throw new Error('writer failed');
          }),
        ).toThrow('writer failed');
      }
      // 300 leaked MiB would have grown the memory.
      expect(be.memoryBytes()).toBe(bytes);
    });

    it('running out of memory is an OutOfMemoryError that says how much, and the backend still works', () => {
      const be = createWasmBackend({ threads: 1 });
      const blocks: BackendData[] = [];
      let error: unknown;
      try {
        // 512 MiB blocks, never written, so the pages are only reserved, not resident.
        for (let i = 0; i < 16 && error === undefined; i++) {
          try {
            blocks.push(be.fromWriter!('float32', 1 << 27, () => undefined));
          } catch (e) {
            error = e;
          }
          if (blocks.length === 5) {
            // Past 2 GiB, where a pointer no longer fits a signed i32.
            const high = info(be, new Float32Array([1, -2, 3]), [3]);
            expect((high.data as WasmData).ptr).toBeGreaterThan(2 ** 31);
            expect(Array.from(be.readSync(be.binary('mul', high, high, [3], 'float32')))).toEqual([1, 4, 9]);
            be.dispose(high.data);
          }
        }
      } finally {
        for (const b of blocks) be.dispose(b);
      }
      expect(error).toBeInstanceOf(bp.OutOfMemoryError);
      expect((error as Error).message).toMatch(
        /^wasm backend: out of memory allocating 512\.0 MiB for 134217728 float32 elements; the memory holds [\d.]+ MiB of at most 4096\.0 MiB: dispose tensors/,
      );
      const x = info(be, new Float32Array([1, 2, 3]), [3]);
      expect(Array.from(be.readSync(be.unary('square', x)))).toEqual([1, 4, 9]);
    });

    it('readSync returns a copy that survives dispose and memory growth', () => {
      const t = tensor([1, 2, 3]);
      const d = t.dataSync();
      t.dispose();
      const big = bp.zeros([4_000_000]);
      expect(Array.from(d)).toEqual([1, 2, 3]);
      big.dispose();
    });
  });
});
