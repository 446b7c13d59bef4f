import { describe, expect, it } from 'vitest';
import * as bp from '../index';
import { arange, memory, tensor } from '../index';
import { describeBackends, randomInts, randomValues, rng } from '../testing/assert';
import { numel, pySliceIndices, ravel, refElementwise, refTranspose, unravel } from '../testing/reference';

const seq = (shape: number[], dtype: 'float32' | 'float64' | 'int32' = 'float64') =>
  tensor(
    Array.from({ length: numel(shape) }, (_, i) => i + 1),
    shape,
    dtype,
  );

describeBackends('movement', () => {
  describe('reshape / flatten / expandDims / squeeze', () => {
    it('reshape infers one -1 dimension, keeps the order and shares storage', () => {
      const x = seq([2, 3, 4]);
      const before = memory().numBuffers;
      const y = bp.reshape(x, [4, -1]);
      expect(y.shape).toEqual([4, 6]);
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
      expect(memory().numBuffers).toBe(before);
      expect(bp.reshape(x, [-1]).shape).toEqual([24]);
      expect(bp.reshape(tensor([], [0, 3]), [-1, 3]).shape).toEqual([0, 3]);
      expect(bp.reshape(tensor(5), [1, 1]).shape).toEqual([1, 1]);
      expect(bp.flatten(x).shape).toEqual([24]);
      expect(x.flatten().shape).toEqual([24]);
    });

    it('expandDims inserts a size-1 axis (negative axes count from the end); squeeze removes them', () => {
      const x = seq([2, 3]);
      expect(bp.expandDims(x).shape).toEqual([1, 2, 3]);
      expect(bp.expandDims(x, 1).shape).toEqual([2, 1, 3]);
      expect(bp.expandDims(x, -1).shape).toEqual([2, 3, 1]);
      expect(bp.expandDims(x, 2).shape).toEqual([2, 3, 1]);
      const s = seq([1, 2, 1, 3, 1]);
      expect(bp.squeeze(s).shape).toEqual([2, 3]);
      expect(bp.squeeze(s, 2).shape).toEqual([1, 2, 3, 1]);
      expect(bp.squeeze(s, [0, -1]).shape).toEqual([2, 1, 3]);
      expect(s.squeeze().expandDims(0).shape).toEqual([1, 2, 3]);
    });
  });

  describe('transpose / permute', () => {
    it('matches an index-by-index reference for every permutation of a 3-D tensor', () => {
      const shape = [2, 3, 4];
      const x = seq(shape);
      for (const perm of [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
      ]) {
        const y = bp.transpose(x, perm);
        expect(y.shape).toEqual(perm.map((p) => shape[p]));
        expect(Array.from(y.dataSync()), `perm ${perm.join()}`).toEqual(
          refTranspose(x.dataSync(), shape, perm),
        );
      }
    });

    it('reverses axes by default, accepts negative axes and has the permute alias and methods', () => {
      const x = seq([2, 3, 4]);
      expect(Array.from(bp.transpose(x).dataSync())).toEqual(
        refTranspose(x.dataSync(), [2, 3, 4], [2, 1, 0]),
      );
      expect(bp.transpose(x, [-1, 0, 1]).shape).toEqual([4, 2, 3]);
      expect(bp.permute(x, [1, 0, 2]).arraySync()).toEqual(bp.transpose(x, [1, 0, 2]).arraySync());
      expect(x.permute([2, 0, 1]).shape).toEqual([4, 2, 3]);
      expect(x.transpose().shape).toEqual([4, 3, 2]);
      expect(bp.transpose(tensor([], [0, 2])).shape).toEqual([2, 0]);
    });
  });

  describe('broadcastTo / tile', () => {
    it('broadcastTo materializes NumPy broadcasting', () => {
      for (const [from, to] of [
        [[3], [2, 3]],
        [
          [2, 1],
          [2, 4],
        ],
        [[], [2, 2]],
        [
          [1, 3],
          [4, 2, 3],
        ],
        [[1], [0]],
      ] as const) {
        const x = seq([...from]);
        const y = bp.broadcastTo(x, to);
        const ref = refElementwise(
          [
            { values: x.dataSync(), shape: from },
            { values: new Array<number>(numel(to)).fill(0), shape: to },
          ],
          (a) => a,
        );
        expect(y.shape).toEqual([...to]);
        expect(Array.from(y.dataSync())).toEqual(ref.values);
      }
    });

    it('tile repeats along each axis (out[i] = x[i mod n])', () => {
      const shape = [2, 3];
      const reps = [2, 3];
      const x = seq(shape);
      const y = bp.tile(x, reps);
      const outShape = [4, 9];
      expect(y.shape).toEqual(outShape);
      const ref = Array.from({ length: 36 }, (_, i) => {
        const idx = unravel(i, outShape).map((v, d) => v % shape[d]!);
        return x.dataSync()[ravel(idx, shape)]!;
      });
      expect(Array.from(y.dataSync())).toEqual(ref);
      expect(bp.tile(x, [1, 0]).shape).toEqual([2, 0]);
      expect(x.tile([1, 1]).arraySync()).toEqual(x.arraySync());
    });
  });

  describe('slice', () => {
    it('matches Python slicing for negative indices, out-of-range bounds and every step sign', () => {
      const shape = [5, 4];
      const x = seq(shape);
      const next = rng(21);
      const picks = [null, -7, -3, -1, 0, 1, 3, 6];
      const steps = [1, 2, 3, -1, -2];
      for (let trial = 0; trial < 300; trial++) {
        const pick = () => picks[Math.floor(next() * picks.length)]!;
        const begin = [pick(), pick()];
        const end = [pick(), pick()];
        const step = [steps[Math.floor(next() * steps.length)]!, steps[Math.floor(next() * steps.length)]!];
        const rows = pySliceIndices(5, begin[0]!, end[0]!, step[0]!);
        const cols = pySliceIndices(4, begin[1]!, end[1]!, step[1]!);
        const y = bp.slice(x, begin, end, step);
        const label = `x[${begin[0]}:${end[0]}:${step[0]}, ${begin[1]}:${end[1]}:${step[1]}]`;
        expect(y.shape, label).toEqual([rows.length, cols.length]);
        const ref = rows.flatMap((r) => cols.map((c) => x.dataSync()[r * 4 + c]!));
        expect(Array.from(y.dataSync()), label).toEqual(ref);
      }
    });

    it('takes omitted axes whole and keeps the dtype', () => {
      const x = seq([3, 4], 'int32');
      expect(bp.slice(x, [1]).arraySync()).toEqual([
        [5, 6, 7, 8],
        [9, 10, 11, 12],
      ]);
      expect(bp.slice(x, [1]).dtype).toBe('int32');
      expect(x.slice([null, null], [null, null], [1, -1]).arraySync()).toEqual([
        [4, 3, 2, 1],
        [8, 7, 6, 5],
        [12, 11, 10, 9],
      ]);
      expect(bp.slice(tensor([true, false, true]), [1]).arraySync()).toEqual([false, true]);
      // A begin of 0 with a negative step starts at index 0 and walks off the front: x[0::-1] is [x[0]].
      expect(bp.slice(tensor([1, 2, 3]), [0], [null], [-1]).arraySync()).toEqual([1]);
    });
  });

  describe('concat / stack / split', () => {
    it('concat joins along any axis', () => {
      const a = seq([2, 3]);
      const b = bp.add(seq([2, 1]), 100);
      expect(bp.concat([a, b], 1).arraySync()).toEqual([
        [1, 2, 3, 101],
        [4, 5, 6, 102],
      ]);
      expect(bp.concat([a, bp.add(a, 10)], -2).arraySync()).toEqual([
        [1, 2, 3],
        [4, 5, 6],
        [11, 12, 13],
        [14, 15, 16],
      ]);
      expect(bp.concat([a, tensor([], [2, 0], 'float64')], 1).arraySync()).toEqual(a.arraySync());
      expect(bp.concat([tensor([1]), tensor([2, 3]), tensor([4])]).arraySync()).toEqual([1, 2, 3, 4]);
    });

    it('concat along a middle axis of 3-D tensors matches an index reference', () => {
      const a = seq([2, 2, 3]);
      const b = bp.add(seq([2, 1, 3]), 50);
      const y = bp.concat([a, b], 1);
      expect(y.shape).toEqual([2, 3, 3]);
      const ref = Array.from({ length: 18 }, (_, i) => {
        const [n, r, c] = unravel(i, [2, 3, 3]) as [number, number, number];
        return r < 2
          ? a.dataSync()[ravel([n, r, c], [2, 2, 3])]!
          : b.dataSync()[ravel([n, 0, c], [2, 1, 3])]!;
      });
      expect(Array.from(y.dataSync())).toEqual(ref);
    });

    it('stack adds a new axis at any position', () => {
      const a = tensor([1, 2, 3]);
      const b = tensor([4, 5, 6]);
      expect(bp.stack([a, b]).arraySync()).toEqual([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(bp.stack([a, b], 1).arraySync()).toEqual([
        [1, 4],
        [2, 5],
        [3, 6],
      ]);
      expect(bp.stack([a, b], -1).shape).toEqual([3, 2]);
      expect(bp.stack([tensor(1), tensor(2)]).arraySync()).toEqual([1, 2]);
    });

    it('split into equal parts or given sizes (one may be -1), inverse of concat', () => {
      const x = seq([2, 6]);
      const parts = bp.split(x, 3, 1);
      expect(parts.map((p) => p.shape)).toEqual([
        [2, 2],
        [2, 2],
        [2, 2],
      ]);
      expect(bp.concat(parts, 1).arraySync()).toEqual(x.arraySync());
      const [p, q, r] = x.split([1, -1, 2], 1);
      expect(p!.arraySync()).toEqual([[1], [7]]);
      expect(q!.arraySync()).toEqual([
        [2, 3, 4],
        [8, 9, 10],
      ]);
      expect(r!.shape).toEqual([2, 2]);
      expect(bp.split(x, [0, 6], 1)[0]!.shape).toEqual([2, 0]);
    });
  });

  describe('pad', () => {
    it('pads each axis with a constant', () => {
      const x = seq([2, 3]);
      const paddings = [
        [1, 0],
        [2, 1],
      ] as const;
      const y = bp.pad(x, paddings, -1);
      expect(y.shape).toEqual([3, 6]);
      const ref = Array.from({ length: 18 }, (_, i) => {
        const [r, c] = unravel(i, [3, 6]) as [number, number];
        const sr = r - 1;
        const sc = c - 2;
        return sr >= 0 && sr < 2 && sc >= 0 && sc < 3 ? x.dataSync()[sr * 3 + sc]! : -1;
      });
      expect(Array.from(y.dataSync())).toEqual(ref);
      expect(
        x
          .pad([
            [0, 0],
            [0, 1],
          ])
          .arraySync(),
      ).toEqual([
        [1, 2, 3, 0],
        [4, 5, 6, 0],
      ]);
      expect(bp.pad(tensor([], [0]), [[1, 1]], 7).arraySync()).toEqual([7, 7]);
    });
  });

  describe('gather / scatterAdd / oneHot', () => {
    it('gather takes slices along any axis with indices of any shape', () => {
      const shape = [3, 4, 2];
      const x = seq(shape);
      const next = rng(4);
      for (const axis of [0, 1, 2, -1]) {
        const ax = axis < 0 ? axis + 3 : axis;
        for (const idxShape of [[], [5], [2, 2]]) {
          const idx = randomInts(next, numel(idxShape), 0, shape[ax]!);
          const y = bp.gather(x, tensor(idx, idxShape, 'int32'), axis);
          const outShape = [...shape.slice(0, ax), ...idxShape, ...shape.slice(ax + 1)];
          expect(y.shape).toEqual(outShape);
          const ref = Array.from({ length: numel(outShape) }, (_, i) => {
            const o = unravel(i, outShape);
            const k = ravel(o.slice(ax, ax + idxShape.length), idxShape);
            const src = [...o.slice(0, ax), idx[k]!, ...o.slice(ax + idxShape.length)];
            return x.dataSync()[ravel(src, shape)]!;
          });
          expect(Array.from(y.dataSync()), `axis ${axis} indices ${JSON.stringify(idxShape)}`).toEqual(ref);
        }
      }
    });

    it('gather accepts plain integer arrays as indices', () => {
      const x = seq([3, 2]);
      expect(bp.gather(x, [2, 0]).arraySync()).toEqual([
        [5, 6],
        [1, 2],
      ]);
      expect(x.gather([1], 1).arraySync()).toEqual([[2], [4], [6]]);
      expect(() => bp.gather(x, [0.5])).toThrow(/gather: indices must be integers/);
    });

    it('scatterAdd accumulates repeated indices and is the adjoint of gather', () => {
      const idx = tensor([0, 2, 0], undefined, 'int32');
      const y = bp.scatterAdd(
        tensor([
          [1, 1],
          [2, 2],
          [3, 3],
        ]),
        idx,
        0,
        [4, 2],
      );
      expect(y.arraySync()).toEqual([
        [4, 4],
        [0, 0],
        [2, 2],
        [0, 0],
      ]);
      // <gather(x), u> = <x, scatterAdd(u)> for any x, u.
      const next = rng(8);
      const x = tensor(randomValues(next, 12), [3, 4], 'float64');
      const ind = tensor([3, 1, 1, 0, 3], undefined, 'int32');
      const u = tensor(randomValues(next, 15), [3, 5], 'float64');
      const lhs = bp.sum(bp.mul(bp.gather(x, ind, 1), u)).arraySync() as number;
      const rhs = bp.sum(bp.mul(x, bp.scatterAdd(u, ind, 1, [3, 4]))).arraySync() as number;
      expect(lhs).toBeCloseTo(rhs, 12);
    });

    it('oneHot encodes along a new last axis; out-of-range indices are all off', () => {
      expect(bp.oneHot(tensor([0, 2, -1, 3], undefined, 'int32'), 3).arraySync()).toEqual([
        [1, 0, 0],
        [0, 0, 1],
        [0, 0, 0],
        [0, 0, 0],
      ]);
      expect(bp.oneHot([1], 2, 5, -1).arraySync()).toEqual([[-1, 5]]);
      expect(arange(2).oneHot(2).shape).toEqual([2, 2]);
      expect(bp.oneHot(tensor([[0], [1]], undefined, 'int32'), 2).shape).toEqual([2, 1, 2]);
    });
  });
});
