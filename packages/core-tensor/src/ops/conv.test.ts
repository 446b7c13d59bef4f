import { describe, expect, it } from 'vitest';
import type { Conv2DOptions } from '../index';
import * as bp from '../index';
import { ArgumentError, DTypeError, ShapeError, tensor } from '../index';
import { describeBackends, expectClose, randomValues, rng } from '../testing/assert';
import type { ConvCase, Pad } from '../testing/conv-reference';
import { refConv2d, refConvFilterGrad, refConvInputGrad, refGeometry } from '../testing/conv-reference';

const PADDINGS: Pad[] = [
  'valid',
  'same',
  [
    [1, 2],
    [0, 1],
  ],
];
const STRIDES: [number, number][] = [
  [1, 1],
  [2, 2],
  [2, 1],
  [3, 2],
];
const DILATIONS: [number, number][] = [
  [1, 1],
  [2, 2],
  [1, 2],
];

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((s, v, i) => s + v * b[i]!, 0);

describeBackends('conv2d and its gradients', () => {
  const next = rng(99);
  const pick = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  for (const padding of PADDINGS) {
    for (const s of STRIDES) {
      for (const d of DILATIONS) {
        // A random small problem per combination; the input is at least one dilated window.
        const KH = pick(1, 3);
        const KW = pick(1, 3);
        const xs: ConvCase['xs'] = [
          pick(1, 2),
          pick((KH - 1) * d[0] + 1, 8),
          pick((KW - 1) * d[1] + 1, 8),
          pick(1, 3),
        ];
        const ws: ConvCase['ws'] = [KH, KW, xs[3], pick(1, 3)];
        const geo = refGeometry([xs[1], xs[2]], [KH, KW], s, d, padding);
        const k: ConvCase = { xs, ws, s, d, geo };
        const options: Conv2DOptions = { strides: s, dilations: d, padding };
        const title = `x ${JSON.stringify(xs)} w ${JSON.stringify(ws)} padding ${JSON.stringify(padding)} strides ${s.join()} dilations ${d.join()}`;

        it(`forward, input and filter gradients match naive loops: ${title}`, () => {
          const x = tensor(
            randomValues(
              next,
              xs.reduce((a, b) => a * b),
            ),
            xs,
            'float64',
          );
          const w = tensor(
            randomValues(
              next,
              ws.reduce((a, b) => a * b),
            ),
            ws,
            'float64',
          );
          const y = bp.conv2d(x, w, options);
          expect(y.shape).toEqual([xs[0], geo.out[0], geo.out[1], ws[3]]);
          expectClose(
            y.dataSync(),
            refConv2d(x.dataSync(), w.dataSync(), k),
            { rtol: 1e-12, atol: 1e-13 },
            'y',
          );

          const dy = tensor(randomValues(next, y.size), y.shape, 'float64');
          const dx = bp.conv2dBackpropInput(dy, w, xs, options);
          expect(dx.shape).toEqual(xs);
          expectClose(
            dx.dataSync(),
            refConvInputGrad(dy.dataSync(), w.dataSync(), k),
            { rtol: 1e-12, atol: 1e-13 },
            'dx',
          );
          const dw = bp.conv2dBackpropFilter(x, dy, ws, options);
          expect(dw.shape).toEqual(ws);
          expectClose(
            dw.dataSync(),
            refConvFilterGrad(x.dataSync(), dy.dataSync(), k),
            { rtol: 1e-12, atol: 1e-13 },
            'dw',
          );

          // The adjoint identity: <conv(x, w), dy> = <x, dX> = <w, dW> (conv is bilinear in x and w).
          const lhs = dot(y.dataSync(), dy.dataSync());
          expect(dot(x.dataSync(), dx.dataSync())).toBeCloseTo(lhs, 10);
          expect(dot(w.dataSync(), dw.dataSync())).toBeCloseTo(lhs, 10);
        });
      }
    }
  }

  it('computes in float32 within float32 rounding', () => {
    const k: ConvCase = {
      xs: [2, 6, 5, 3],
      ws: [3, 2, 3, 4],
      s: [1, 2],
      d: [1, 1],
      geo: refGeometry([6, 5], [3, 2], [1, 2], [1, 1], 'same'),
    };
    const x = tensor(randomValues(next, 180), k.xs);
    const w = tensor(randomValues(next, 72), k.ws);
    const y = x.conv2d(w, { strides: [1, 2], padding: 'same' });
    expect(y.dtype).toBe('float32');
    expectClose(y.dataSync(), refConv2d(x.dataSync(), w.dataSync(), k), { rtol: 1e-5, atol: 1e-6 });
  });

  it("'same' follows TF: output ceil(in/stride), the odd padding cell after", () => {
    // in 5, k 2, stride 1 → out 5, total pad 1: 0 before, 1 after.
    const x = tensor([1, 2, 3, 4, 5], [1, 1, 5, 1], 'float64');
    const w = tensor([1, 10], [1, 2, 1, 1], 'float64');
    expect(Array.from(bp.conv2d(x, w, { padding: 'same' }).dataSync())).toEqual([21, 32, 43, 54, 5]);
    expect(
      bp.conv2d(tensor(new Float32Array(7 * 7), [1, 7, 7, 1]), tensor(new Float32Array(9), [3, 3, 1, 1]), {
        strides: 2,
        padding: 'same',
      }).shape,
    ).toEqual([1, 4, 4, 1]);
  });

  it('promotes mixed float dtypes', () => {
    const y = bp.conv2d(tensor([1, 2], [1, 1, 2, 1]), tensor([0.1], [1, 1, 1, 1], 'float64'));
    expect(y.dtype).toBe('float64');
    expect(Array.from(y.dataSync())).toEqual([0.1, 0.2]);
  });

  it('validates ranks, channels, window size, options and dtypes', () => {
    const x = tensor(new Float32Array(16), [1, 4, 4, 1]);
    const w = tensor(new Float32Array(18), [3, 3, 1, 2]);
    expect(() => bp.conv2d(tensor(new Float32Array(16), [4, 4, 1]), w)).toThrow(
      'conv2d: x must be rank 4 [batch, height, width, channels], got [4,4,1]',
    );
    expect(() => bp.conv2d(x, tensor(new Float32Array(18), [3, 3, 2, 1]))).toThrow(
      'conv2d: x has 1 channels [1,4,4,1] but filter expects 2 [3,3,2,1]',
    );
    expect(() => bp.conv2d(x, tensor(new Float32Array(25), [5, 5, 1, 1]))).toThrow(ShapeError);
    expect(() => bp.conv2d(x, w, { dilations: 2 })).toThrow(
      /window \(5 after dilation\) is larger than the padded input \(4\)/,
    );
    expect(() => bp.conv2d(x, w, { strides: 0 })).toThrow(ArgumentError);
    expect(() => bp.conv2d(x, w, { padding: 'full' as never })).toThrow(
      /conv2d: padding must be 'valid', 'same'/,
    );
    expect(() => bp.conv2d(x, w, { padding: [[1, 1]] as never })).toThrow(ArgumentError);
    expect(() =>
      bp.conv2d(x, w, {
        padding: [
          [1, -1],
          [0, 0],
        ],
      }),
    ).toThrow(/explicit padding must be non-negative/);
    expect(() => bp.conv2d(tensor(new Int32Array(16), [1, 4, 4, 1]), w)).toThrow(DTypeError);
    expect(() => bp.conv2dBackpropInput(tensor(new Float32Array(4), [1, 2, 2, 1]), w, [1, 4, 4, 1])).toThrow(
      'conv2dBackpropInput: dy has shape [1,2,2,1], expected the conv2d output shape [1,2,2,2]',
    );
    expect(() => bp.conv2dBackpropFilter(x, tensor(new Float32Array(8), [1, 2, 2, 2]), [3, 3, 2, 2])).toThrow(
      ShapeError,
    );
    expect(() => bp.conv2dBackpropInput(tensor(new Int32Array(8), [1, 2, 2, 2]), w, [1, 4, 4, 1])).toThrow(
      DTypeError,
    );
  });
});

describe('conv2d geometry', () => {
  it('gives size-0 outputs for a size-0 batch', () => {
    const y = bp.conv2d(tensor([], [0, 3, 3, 1]), tensor(new Float32Array(4), [2, 2, 1, 1]));
    expect(y.shape).toEqual([0, 2, 2, 1]);
  });
});
