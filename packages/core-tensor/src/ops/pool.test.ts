import { expect, it } from 'vitest';
import type { Pool2DOptions } from '../index';
import * as bp from '../index';
import { ArgumentError, DTypeError, ShapeError, tensor } from '../index';
import { describeBackends, expectClose, randomValues, rng } from '../testing/assert';
import type { Pad, PoolCase } from '../testing/conv-reference';
import { refGeometry, refPool, refPoolGrad } from '../testing/conv-reference';

const POOL_SIZES: [number, number][] = [
  [1, 1],
  [2, 2],
  [3, 3],
  [2, 3],
];
const STRIDES: ([number, number] | undefined)[] = [undefined, [1, 1], [2, 2], [1, 2], [3, 1]];
/** Explicit padding must stay below the window, so it is chosen per pool size. */
const paddingsFor = (k: [number, number]): Pad[] => [
  'valid',
  'same',
  [
    [k[0] - 1, 0],
    [Math.min(1, k[1] - 1), k[1] - 1],
  ],
];

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((s, v, i) => s + v * b[i]!, 0);

describeBackends('pooling and its gradients', () => {
  const next = rng(123);
  const pick = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  for (const k of POOL_SIZES) {
    for (const strides of STRIDES) {
      for (const padding of paddingsFor(k)) {
        const s = strides ?? k;
        const xs: PoolCase['xs'] = [pick(1, 2), pick(k[0], 7), pick(k[1], 7), pick(1, 3)];
        const geo = refGeometry([xs[1], xs[2]], k, s, [1, 1], padding);
        const p: PoolCase = { xs, k, s, geo };
        const options: Pool2DOptions = { poolSize: k, padding, ...(strides ? { strides } : {}) };
        const title = `x ${JSON.stringify(xs)} poolSize ${k.join()} strides ${strides?.join() ?? 'default'} padding ${JSON.stringify(padding)}`;

        it.each(['max', 'avg'] as const)(`%s pool and its backprop match naive loops: ${title}`, (kind) => {
          const x = tensor(
            randomValues(
              next,
              xs.reduce((a, b) => a * b),
            ),
            xs,
            'float64',
          );
          const y = kind === 'max' ? bp.maxPool2d(x, options) : bp.avgPool2d(x, options);
          expect(y.shape).toEqual([xs[0], geo.out[0], geo.out[1], xs[3]]);
          expectClose(y.dataSync(), refPool(kind, x.dataSync(), p), { rtol: 1e-13, atol: 1e-15 }, 'y');
          const dy = tensor(randomValues(next, y.size), y.shape, 'float64');
          const dx =
            kind === 'max' ? bp.maxPool2dBackprop(dy, x, options) : bp.avgPool2dBackprop(dy, x, options);
          expect(dx.shape).toEqual(xs);
          expectClose(
            dx.dataSync(),
            refPoolGrad(kind, dy.dataSync(), x.dataSync(), p),
            { rtol: 1e-13, atol: 1e-15 },
            'dx',
          );
          // Both pools are positively homogeneous and piecewise linear, so <pool(x), dy> = <x, backprop(dy)>.
          expect(dot(x.dataSync(), dx.dataSync())).toBeCloseTo(dot(y.dataSync(), dy.dataSync()), 11);
        });
      }
    }
  }

  it('average pooling divides by the real cells only; max pooling ignores padding even when all values are negative', () => {
    const x = tensor([-1, -2, -3, -4], [1, 2, 2, 1]);
    const same = { poolSize: 3, strides: 1, padding: 'same' } as const;
    // Every 3×3 window centred on a 2×2 image covers all four real cells.
    expect(Array.from(bp.avgPool2d(x, same).dataSync())).toEqual([-2.5, -2.5, -2.5, -2.5]);
    expect(Array.from(bp.maxPool2d(x, same).dataSync())).toEqual([-1, -1, -1, -1]);
  });

  it('max routes the gradient to the first maximum of a tie; NaN wins the forward max', () => {
    const x = tensor([5, 5, 1, 5], [1, 2, 2, 1]);
    expect(Array.from(bp.maxPool2dBackprop(tensor([1], [1, 1, 1, 1]), x).dataSync())).toEqual([1, 0, 0, 0]);
    expect(Array.from(bp.maxPool2d(tensor([1, NaN, 3, 4], [1, 2, 2, 1])).dataSync())).toEqual([NaN]);
  });

  it('defaults to poolSize 2 with strides equal to poolSize, in float32 too', () => {
    const x = tensor(randomValues(next, 16), [1, 4, 4, 1]);
    const y = x.maxPool2d();
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect(y.dtype).toBe('float32');
    expect(x.avgPool2d({ poolSize: 4 }).shape).toEqual([1, 1, 1, 1]);
  });

  it('validates rank, window, padding and dtype', () => {
    const x = tensor(new Float32Array(16), [1, 4, 4, 1]);
    expect(() => bp.maxPool2d(tensor(new Float32Array(16), [4, 4, 1]))).toThrow(
      'maxPool2d: x must be rank 4 [batch, height, width, channels], got [4,4,1]',
    );
    expect(() => bp.avgPool2d(x, { poolSize: 5 })).toThrow(ShapeError);
    expect(() => bp.avgPool2d(x, { poolSize: 0 })).toThrow(/avgPool2d: poolSize must be positive integers/);
    expect(() =>
      bp.maxPool2d(x, {
        poolSize: 2,
        padding: [
          [2, 0],
          [0, 0],
        ],
      }),
    ).toThrow(/maxPool2d: explicit padding \[\[2,0\],\[0,0\]\] must be smaller than poolSize \[2,2\]/);
    expect(() => bp.maxPool2d(tensor(new Int32Array(16), [1, 4, 4, 1]))).toThrow(DTypeError);
    expect(() => bp.avgPool2dBackprop(tensor(new Float32Array(1), [1, 1, 1, 1]), x)).toThrow(
      'avgPool2dBackprop: dy has shape [1,1,1,1], expected the avgPool2d output shape [1,2,2,1]',
    );
    expect(() => bp.maxPool2d(x, { padding: 'full' as never })).toThrow(ArgumentError);
  });
});
