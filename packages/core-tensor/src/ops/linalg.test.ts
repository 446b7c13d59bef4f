import { describe, expect, it } from 'vitest';
import * as bp from '../index';
import { DTypeError, ShapeError, tensor } from '../index';
import { describeBackends, expectClose, randomValues, rng, tolFor } from '../testing/assert';
import { numel, ravel, refBroadcastShape, refMatmul, refTranspose, unravel } from '../testing/reference';

/** Batched reference: broadcast batch dims by hand, transpose by hand, triple loop per matrix. */
function refBatched(
  a: ArrayLike<number>,
  aShape: number[],
  b: ArrayLike<number>,
  bShape: number[],
  ta: boolean,
  tb: boolean,
): { values: number[]; shape: number[] } {
  const [ar, ac] = aShape.slice(-2) as [number, number];
  const [br, bc] = bShape.slice(-2) as [number, number];
  const [M, K] = ta ? [ac, ar] : [ar, ac];
  const N = tb ? br : bc;
  const batch = refBroadcastShape(aShape.slice(0, -2), bShape.slice(0, -2))!;
  const values: number[] = [];
  for (let t = 0; t < numel(batch); t++) {
    const idx = unravel(t, batch);
    const pick = (shape: number[], data: ArrayLike<number>, rows: number, cols: number, trans: boolean) => {
      const bs = shape.slice(0, -2);
      const bi = bs.map((d, k) => (d === 1 ? 0 : idx[idx.length - bs.length + k]!));
      const start = ravel(bi, bs) * rows * cols;
      const mat = Array.from({ length: rows * cols }, (_, i) => data[start + i]!);
      return trans ? refTranspose(mat, [rows, cols], [1, 0]) : mat;
    };
    values.push(...refMatmul(pick(aShape, a, ar, ac, ta), pick(bShape, b, br, bc, tb), M, K, N));
  }
  return { values, shape: [...batch, M, N] };
}

describeBackends('linear algebra', () => {
  describe.each(['float32', 'float64'] as const)('matmul in %s', (dtype) => {
    const next = rng(17);
    // Sizes straddle the js kernel's cases: products under its 4096 multiply-add cutoff (plain loop), M and N that
    // are not multiples of its 4×4 tile, K past its 256-long blocks and N past its 128-wide blocks, and batch
    // shapes that broadcast in every direction.
    const CASES: [number[], number[]][] = [
      [
        [3, 4],
        [4, 5],
      ],
      [
        [1, 1],
        [1, 1],
      ],
      [
        [9, 33],
        [33, 10],
      ],
      [
        [10, 70],
        [70, 13],
      ],
      [
        [3, 130],
        [130, 260],
      ],
      [
        [5, 300],
        [300, 141],
      ],
      [
        [2, 3, 4],
        [4, 2],
      ],
      [
        [3, 4],
        [2, 4, 2],
      ],
      [
        [2, 1, 3, 4],
        [3, 4, 5],
      ],
      [
        [2, 1, 12, 40],
        [3, 40, 9],
      ],
      [
        [0, 4],
        [4, 3],
      ],
      [
        [2, 0],
        [0, 3],
      ],
      [
        [6, 0],
        [0, 700],
      ],
    ];
    for (const [as, bs] of CASES) {
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const aShape = ta ? [...as.slice(0, -2), as.at(-1)!, as.at(-2)!] : as;
        const bShape = tb ? [...bs.slice(0, -2), bs.at(-1)!, bs.at(-2)!] : bs;
        it(`${JSON.stringify(aShape)}${ta ? 'ᵀ' : ''} · ${JSON.stringify(bShape)}${tb ? 'ᵀ' : ''}`, () => {
          const a = tensor(randomValues(next, numel(aShape)), aShape, dtype);
          const b = tensor(randomValues(next, numel(bShape)), bShape, dtype);
          const y = bp.matmul(a, b, { transposeA: ta, transposeB: tb });
          const ref = refBatched(a.dataSync(), aShape, b.dataSync(), bShape, ta, tb);
          expect(y.shape).toEqual(ref.shape);
          expect(y.dtype).toBe(dtype);
          // float32: a kernel may accumulate in float32 (as BLAS does), so allow the standard dot-product bound
          // |err| ≤ K·2⁻²⁴·Σ|a||b| on top of the final rounding.
          const K = ta ? aShape.at(-2)! : aShape.at(-1)!;
          const absRef = refBatched(
            a.dataSync().map(Math.abs),
            aShape,
            b.dataSync().map(Math.abs),
            bShape,
            ta,
            tb,
          );
          const bound = K * 2 ** -24 * Math.max(0, ...absRef.values);
          expectClose(
            y.dataSync(),
            ref.values,
            dtype === 'float64'
              ? { rtol: 1e-12, atol: 1e-12 }
              : { rtol: tolFor(dtype).rtol, atol: tolFor(dtype).atol + bound },
          );
        });
      }
    }
  });

  it('treats 1-D operands as row / column vectors and drops that axis', () => {
    const m = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(bp.matmul(tensor([1, 1]), m).arraySync()).toEqual([5, 7, 9]);
    expect(bp.matmul(m, tensor([1, 0, 1])).arraySync()).toEqual([4, 10]);
    expect(bp.matmul(tensor([1, 2, 3]), tensor([4, 5, 6])).arraySync()).toBe(32);
    expect(bp.matmul(tensor([1, 2, 3]), tensor([4, 5, 6])).shape).toEqual([]);
    const batched = bp.matmul(tensor([1, 1]), tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]));
    expect(batched.arraySync()).toEqual([
      [4, 6],
      [12, 14],
    ]);
  });

  it('computes int32 exactly and promotes mixed dtypes', () => {
    const a = tensor([[100000, 1]], undefined, 'int32');
    const b = tensor([[3], [4]], undefined, 'int32');
    expect(bp.matmul(a, b).dtype).toBe('int32');
    expect(bp.matmul(a, b).arraySync()).toEqual([[300004]]);
    expect(bp.matmul(a, tensor([[1], [1]], undefined, 'float64')).dtype).toBe('float64');
  });

  it('propagates NaN and Inf like the sum of products', () => {
    const y = bp.matmul(
      tensor([
        [NaN, 1],
        [Infinity, 1],
      ]),
      tensor([
        [0, 1],
        [1, 1],
      ]),
    );
    expect(Array.from(y.dataSync())).toEqual([NaN, NaN, NaN, Infinity]);
  });

  it('dot and outer', () => {
    expect(bp.dot(tensor([1, 2]), tensor([3, 4])).arraySync()).toBe(11);
    expect(bp.dot(tensor([[1, 2]]), tensor([[3], [4]])).arraySync()).toEqual([[11]]);
    expect(
      tensor([1, 2])
        .dot(tensor([3, 4]))
        .arraySync(),
    ).toBe(11);
    expect(bp.outer(tensor([1, 2]), tensor([3, 4, 5])).arraySync()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(
      tensor([1, 2])
        .outer(tensor([3]))
        .arraySync(),
    ).toEqual([[3], [6]]);
    expect(
      tensor([[1, 2]])
        .matmul(tensor([[1], [1]]), { transposeA: false })
        .arraySync(),
    ).toEqual([[3]]);
  });

  it('validates ranks, inner dimensions, batch broadcasting and dtypes', () => {
    expect(() =>
      bp.matmul(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        tensor(new Float32Array(20), [4, 5]),
      ),
    ).toThrow('matmul: inner dimensions differ: a [2,3] · b [4,5] (3 ≠ 4)');
    expect(() =>
      bp.matmul(tensor(new Float32Array(6), [2, 3]), tensor(new Float32Array(6), [2, 3]), {
        transposeB: false,
      }),
    ).toThrow(ShapeError);
    expect(() =>
      bp.matmul(tensor(new Float32Array(6), [3, 2]), tensor(new Float32Array(20), [4, 5]), {
        transposeA: true,
      }),
    ).toThrow('matmul: inner dimensions differ: aᵀ [3,2] · b [4,5] (3 ≠ 4)');
    expect(() =>
      bp.matmul(tensor(new Float32Array(24), [2, 3, 4]), tensor(new Float32Array(24), [3, 4, 2])),
    ).toThrow(/matmul \(batch dimensions\): shapes \[2\] and \[3\] cannot be broadcast/);
    expect(() => bp.matmul(tensor(1), tensor([1]))).toThrow(/matmul: operands must have rank ≥ 1/);
    expect(() => bp.matmul(tensor([[true]]), tensor([[true]]))).toThrow(DTypeError);
    expect(() => bp.dot(tensor(new Float32Array(8), [2, 2, 2]), tensor([1, 2]))).toThrow(
      /dot: operands must have rank 1 or 2/,
    );
    expect(() => bp.outer(tensor([[1]]), tensor([1]))).toThrow(/outer: operands must be vectors/);
  });
});
