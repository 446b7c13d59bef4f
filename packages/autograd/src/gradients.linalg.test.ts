import * as T from '@backprop/core-tensor';
import { describe, it } from 'vitest';
import { gradcheck } from './index';
import { rand } from './testing';

const COMBOS = [
  { transposeA: false, transposeB: false },
  { transposeA: true, transposeB: false },
  { transposeA: false, transposeB: true },
  { transposeA: true, transposeB: true },
];
// Logical operands: a [..., M=2, K=3], b [..., K=3, N=4]; stored transposed when the option says so.
const stored = (shape: number[], t: boolean): number[] =>
  t ? [...shape.slice(0, -2), shape.at(-1)!, shape.at(-2)!] : shape;

describe('matmul gradients (gradcheck)', () => {
  describe.each(COMBOS)('transposeA $transposeA, transposeB $transposeB', (o) => {
    it.each([
      ['matrices', [2, 3], [3, 4]],
      ['batch × matrix (b broadcast over the batch)', [2, 2, 3], [3, 4]],
      ['matrix × batch (a broadcast over the batch)', [2, 3], [3, 3, 4]],
      ['batch axes of size 1 broadcast against each other', [2, 1, 2, 3], [3, 3, 4]],
    ])('%s', (_, sa, sb) => {
      gradcheck(
        (a, b) => T.matmul(a, b, o),
        [rand(stored(sa, o.transposeA), 1), rand(stored(sb, o.transposeB), 2)],
      );
    });
  });

  it.each([
    ['vector · matrix', [3], [3, 4]],
    ['matrix · vector', [2, 3], [3]],
    ['vector · vector (inner product)', [3], [3]],
    ['vector · batch of matrices', [3], [2, 3, 4]],
    ['batch of matrices · vector', [2, 2, 3], [3]],
  ])('%s', (_, sa, sb) => {
    gradcheck((a, b) => T.matmul(a, b), [rand(sa, 3), rand(sb, 4)]);
  });

  it('matrix · vector with transposeA', () => {
    gradcheck((a, b) => T.matmul(a, b, { transposeA: true }), [rand([3, 2], 5), rand([3], 6)]);
  });

  it('dot of vectors and of matrices; outer', () => {
    gradcheck((a, b) => T.dot(a, b), [rand([4], 1), rand([4], 2)]);
    gradcheck((a, b) => T.dot(a, b), [rand([2, 4], 1), rand([4, 3], 2)]);
    gradcheck((a, b) => T.outer(a, b), [rand([3], 1), rand([4], 2)]);
  });
});

describe('softmax and logSoftmax gradients (gradcheck)', () => {
  it.each([-1, 0, 1])('softmax along axis %i', (axis) => {
    gradcheck((x) => T.softmax(x, axis), [rand([2, 3, 4], 7, -3, 3)]);
  });

  it.each([-1, 0, 1])('logSoftmax along axis %i', (axis) => {
    gradcheck((x) => T.logSoftmax(x, axis), [rand([2, 3, 4], 8, -3, 3)]);
  });
});
