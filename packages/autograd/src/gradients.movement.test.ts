import type { Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad, gradcheck } from './index';
import { FC, rand, shapeArb } from './testing';

const x234 = (seed = 1): Tensor => rand([2, 3, 4], seed);

describe('gradients of movement ops (gradcheck)', () => {
  it('reshape, flatten, expandDims, squeeze over random shapes', () => {
    fc.assert(
      fc.property(shapeArb(), fc.nat(1000), (shape, seed) => {
        const x = rand(shape, seed);
        gradcheck((a) => T.reshape(a, [-1]), [x]);
        gradcheck((a) => T.flatten(T.expandDims(a, -1)), [x]);
        gradcheck((a) => T.squeeze(T.expandDims(a, 0)), [x]);
      }),
      FC,
    );
  });

  it.each([[undefined], [[1, 0, 2]], [[2, 0, 1]], [[-1, 0, 1]], [[0, -1, -2]]])(
    'transpose perm %j',
    (perm) => {
      gradcheck((a) => T.transpose(a, perm), [x234()]);
    },
  );

  it('permute', () => gradcheck((a) => T.permute(a, [1, 2, 0]), [x234()]));

  it.each([
    [[3], [2, 3]],
    [
      [1, 3],
      [4, 3],
    ],
    [
      [2, 1],
      [2, 5],
    ],
    [[], [2, 2]],
    [
      [2, 1, 3],
      [4, 2, 2, 3],
    ],
  ])('broadcastTo %j → %j sums the copies back', (from, to) => {
    gradcheck((a) => T.broadcastTo(a, to), [rand(from, 3)]);
  });

  it.each([
    ['positive steps', [0, 1], [2, 3], [1, 1]],
    ['stride 2', [0, 0, 0], [null, null, null], [1, 2, 3]],
    ['negative steps (reversal)', [null, null], [null, null], [-1, -1]],
    ['negative step with bounds', [1, 3, 3], [null, 0, null], [-1, -2, -2]],
    ['negative indices', [-2, -3], [-1, -1], [1, 1]],
    ['begin only', [1], undefined, undefined],
  ] as const)('slice: %s', (_, begin, end, step) => {
    gradcheck((a) => T.slice(a, begin, end, step), [x234()]);
  });

  it('slice routes the gradient back to exactly the picked positions (reversed)', () => {
    const g = grad((a: Tensor) =>
      T.slice(a, [3], [0], [-2])
        .mul(tensor([10, 20]))
        .sum(),
    )(tensor([1, 2, 3, 4, 5]));
    // picks indices 3 and 1
    expect(g.arraySync()).toEqual([0, 20, 0, 10, 0]);
  });

  it.each([0, 1, -1])('concat of three tensors along axis %i', (axis) => {
    const shapes = [0, 1, 2].map((i) => [2, 3, 4].map((d, k) => (k === (axis + 3) % 3 ? i + 1 : d)));
    gradcheck(
      (a, b, c) => T.concat([a, b, c], axis),
      shapes.map((s, i) => rand(s, i)),
    );
  });

  it.each([0, 1, 3, -1])('stack along axis %i', (axis) => {
    gradcheck((a, b) => T.stack([a, b], axis), [x234(1), x234(2)]);
  });

  it('split into equal parts and into given sizes: each part gets its own gradient', () => {
    gradcheck((a) => T.split(a, 2, 0)[1]!.mul(T.split(a, 2, 0)[0]!), [x234()]);
    gradcheck(
      (a) => {
        const [p, q, r] = T.split(a, [1, -1, 1], 2);
        return T.concat([r!, p!.mul(3), q!.sin()], 2);
      },
      [x234()],
    );
  });

  it('pad (zeros and a constant value)', () => {
    gradcheck(
      (a) =>
        T.pad(a, [
          [1, 0],
          [0, 2],
          [1, 1],
        ]),
      [x234()],
    );
    gradcheck(
      (a) =>
        T.pad(
          a,
          [
            [0, 0],
            [2, 1],
            [0, 0],
          ],
          5,
        ),
      [x234()],
    );
  });

  it('tile', () => {
    gradcheck((a) => T.tile(a, [2, 1, 3]), [x234()]);
    gradcheck((a) => T.tile(a, [1, 1]), [rand([2, 2], 4)]);
  });

  it.each([0, 1, -1])('gather along axis %i with repeated indices and 2-D indices', (axis) => {
    const n = [2, 3, 4].at(axis)!;
    const idx = tensor(
      [
        [0, n - 1, 0],
        [n - 1, 0, 0],
      ],
      undefined,
      'int32',
    );
    const report = gradcheck((a, i) => T.gather(a, i, axis), [x234(), idx]);
    expect(report.inputs[1]!.skipped).toBe(true);
  });

  it('gather accumulates the gradient of a row picked twice', () => {
    const g = grad((a: Tensor) => T.gather(a, tensor([1, 1, 0], undefined, 'int32')).sum())(
      tensor([5, 6, 7]),
    );
    expect(g.arraySync()).toEqual([1, 2, 0]);
  });

  it('scatterAdd (gather’s adjoint) is differentiable in its updates', () => {
    const idx = tensor([2, 0, 2], undefined, 'int32');
    gradcheck((u) => T.scatterAdd(u, idx, 1, [2, 3]), [rand([2, 3], 9)]);
  });
});
