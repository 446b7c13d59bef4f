import { describe, expect, it } from 'vitest';
import * as bp from './index';
import {
  ArgumentError,
  AxisError,
  BackpropError,
  DTypeError,
  ShapeError,
  StateError,
  ones,
  setBackend,
  tensor,
  zeros,
} from './index';

type ErrorClass = typeof ShapeError;

// Each row: the call, the error type, and the message the user sees (op name first, shapes, what was expected).
const CASES: [string, () => unknown, ErrorClass, string | RegExp][] = [
  [
    'add broadcast',
    () => bp.add(zeros([2, 3]), zeros([4, 3])),
    ShapeError,
    'add: shapes [2,3] and [4,3] cannot be broadcast together (dimension 0 of the result: 2 vs 4; sizes must be equal or one of them 1)',
  ],
  [
    'where cond dtype',
    () => bp.where(zeros([2]), 1, 0),
    DTypeError,
    /^where: cond must be bool, got float32/,
  ],
  [
    'logicalAnd dtype',
    () => bp.logicalAnd(zeros([1]), tensor([true])),
    DTypeError,
    'logicalAnd: a must be bool, got float32',
  ],
  [
    'cast dtype',
    () => bp.cast(zeros([1]), 'uint8' as never),
    DTypeError,
    /^cast: unknown dtype "uint8"; expected one of float32/,
  ],
  [
    'gelu int',
    () => bp.gelu(zeros([1], 'int32')),
    DTypeError,
    /^gelu: x must be float32 or float64, got int32/,
  ],
  ['clip bounds', () => bp.clip(zeros([1]), 2, 1), ArgumentError, 'clip: min (2) must be ≤ max (1)'],
  [
    'sum axis',
    () => bp.sum(zeros([2, 2]), -3),
    AxisError,
    'sum: axis -3 is out of range for a tensor of rank 2 (expected -2..1)',
  ],
  [
    'reshape size',
    () => bp.reshape(zeros([2, 3]), [4, 2]),
    ShapeError,
    'reshape: cannot reshape [2,3] (6 elements) into [4,2] (8 elements)',
  ],
  [
    'reshape two -1',
    () => bp.reshape(zeros([6]), [-1, -1]),
    ShapeError,
    'reshape: only one dimension can be -1, got [-1,-1]',
  ],
  [
    'reshape -1 no fit',
    () => bp.reshape(zeros([7]), [2, -1]),
    ShapeError,
    'reshape: cannot reshape [7] (7 elements) into [2,-1]',
  ],
  [
    'transpose length',
    () => bp.transpose(zeros([2, 3]), [0]),
    ShapeError,
    'transpose: perm [0] has 1 entries for a tensor of rank 2',
  ],
  [
    'transpose repeat',
    () => bp.transpose(zeros([2, 3]), [1, 1]),
    ShapeError,
    'transpose: perm [1,1] is not a permutation',
  ],
  [
    'transpose axis',
    () => bp.transpose(zeros([2, 3]), [0, 2]),
    AxisError,
    /^transpose: axis 2 is out of range/,
  ],
  [
    'squeeze non-1',
    () => bp.squeeze(zeros([2, 1]), 0),
    ShapeError,
    'squeeze: axis 0 of [2,1] has size 2, not 1',
  ],
  [
    'expandDims axis',
    () => bp.expandDims(zeros([2]), 3),
    AxisError,
    /^expandDims: axis 3 is out of range for a tensor of rank 2/,
  ],
  [
    'broadcastTo',
    () => bp.broadcastTo(zeros([3]), [3, 2]),
    ShapeError,
    /^broadcastTo: shapes \[3\] and \[3,2\] cannot be broadcast/,
  ],
  [
    'broadcastTo shrink',
    () => bp.broadcastTo(zeros([2, 3]), [3]),
    ShapeError,
    'broadcastTo: [2,3] cannot be broadcast to [3]',
  ],
  ['slice step 0', () => bp.slice(zeros([3]), [0], [3], [0]), ArgumentError, 'slice: step[0] must not be 0'],
  ['slice rank', () => bp.slice(zeros([3]), [0, 0]), ShapeError, 'slice: got 2 axes for a tensor of rank 1'],
  [
    'slice index',
    () => bp.slice(zeros([3]), [0.5]),
    ArgumentError,
    'slice: index on axis 0 must be an integer, got 0.5',
  ],
  [
    'concat shapes',
    () => bp.concat([zeros([2, 3]), zeros([2, 4])], 0),
    ShapeError,
    'concat: tensor 1 has shape [2,4], incompatible with [2,3] (all dimensions but axis 0 must match)',
  ],
  [
    'concat dtypes',
    () => bp.concat([zeros([1]), zeros([1], 'int32')]),
    DTypeError,
    'concat: tensor 1 is int32, tensor 0 is float32',
  ],
  ['concat empty', () => bp.concat([]), ArgumentError, 'concat: needs at least one tensor'],
  [
    'stack shapes',
    () => bp.stack([zeros([2]), zeros([3])]),
    ShapeError,
    'stack: tensor 1 has shape [3], tensor 0 has [2]',
  ],
  [
    'split parts',
    () => bp.split(zeros([5]), 2),
    ShapeError,
    'split: axis 0 of size 5 cannot be split into 2 equal parts',
  ],
  [
    'split sizes',
    () => bp.split(zeros([5]), [2, 2]),
    ShapeError,
    'split: sizes [2,2] do not add up to axis 0 of size 5',
  ],
  [
    'pad rank',
    () => bp.pad(zeros([2, 2]), [[1, 1]]),
    ShapeError,
    'pad: 1 paddings for a tensor of rank 2 (one [before, after] per axis)',
  ],
  [
    'pad negative',
    () => bp.pad(zeros([2]), [[-1, 0]]),
    ArgumentError,
    'pad: paddings[0][0] must be an integer ≥ 0, got -1',
  ],
  ['tile rank', () => bp.tile(zeros([2]), [1, 2]), ShapeError, 'tile: 2 reps for a tensor of rank 1'],
  [
    'gather range',
    () => bp.gather(zeros([3]), [3]),
    ArgumentError,
    'gather: index 3 at position 0 is out of range [0, 3)',
  ],
  [
    'gather dtype',
    () => bp.gather(zeros([3]), zeros([1])),
    DTypeError,
    'gather: indices must be int32, got float32',
  ],
  [
    'scatterAdd shape',
    () => bp.scatterAdd(zeros([2]), [0, 1, 1], 0, [3]),
    ShapeError,
    'scatterAdd: updates have shape [2], expected [3]',
  ],
  ['oneHot depth', () => bp.oneHot([1], 0), ArgumentError, 'oneHot: depth must be an integer ≥ 1, got 0'],
  [
    'matmul inner',
    () => bp.matmul(zeros([2, 3]), zeros([4, 5])),
    ShapeError,
    'matmul: inner dimensions differ: a [2,3] · b [4,5] (3 ≠ 4)',
  ],
  [
    'softmax dtype',
    () => bp.softmax(zeros([2], 'int32')),
    DTypeError,
    /^softmax: x must be float32 or float64, got int32/,
  ],
  [
    'conv2d channels',
    () => bp.conv2d(zeros([1, 3, 3, 2]), zeros([1, 1, 3, 1])),
    ShapeError,
    'conv2d: x has 2 channels [1,3,3,2] but filter expects 3 [1,1,3,1]',
  ],
  ['maxPool2d rank', () => bp.maxPool2d(zeros([3, 3])), ShapeError, /^maxPool2d: x must be rank 4/],
  // Composite ops validate under their own name, not that of the op they call inside.
  [
    'variance axis',
    () => bp.variance(zeros([2, 2]), 2),
    AxisError,
    'variance: axis 2 is out of range for a tensor of rank 2 (expected -2..1)',
  ],
  [
    'std axis',
    () => bp.std(zeros([2, 2]), [0, -3]),
    AxisError,
    'std: axis -3 is out of range for a tensor of rank 2 (expected -2..1)',
  ],
  [
    'norm axis',
    () => bp.norm(zeros([3]), 'euclidean', 1),
    AxisError,
    'norm: axis 1 is out of range for a tensor of rank 1 (expected -1..0)',
  ],
  [
    'dot inner',
    () => bp.dot(zeros([3]), zeros([4])),
    ShapeError,
    'dot: inner dimensions differ: a [3] · b [4] (3 ≠ 4)',
  ],
  [
    'dot rank 0',
    () => bp.dot(zeros([]), zeros([4])),
    ShapeError,
    'dot: operands must have rank 1 or 2, got [] and [4] (use matmul)',
  ],
  [
    'leakyRelu alpha',
    () => bp.leakyRelu(zeros([2]), 'a' as never),
    ArgumentError,
    'leakyRelu: alpha must be a finite number, got "a"',
  ],
  ['elu alpha', () => bp.elu(zeros([2]), NaN), ArgumentError, 'elu: alpha must be a finite number, got NaN'],
  [
    'swish beta',
    () => bp.swish(zeros([2]), Infinity),
    ArgumentError,
    'swish: beta must be a finite number, got Infinity',
  ],
  ['clip NaN', () => bp.clip(zeros([2]), NaN, 1), ArgumentError, 'clip: min must be a number, got NaN'],
  [
    'gelu approximate',
    () => bp.gelu(zeros([2]), 'tanh' as never),
    ArgumentError,
    'gelu: approximate must be true or false, got tanh',
  ],
  [
    'permute length',
    () => bp.permute(zeros([2, 3]), [0]),
    ShapeError,
    'permute: perm [0] has 1 entries for a tensor of rank 2',
  ],
  [
    'stack dtypes',
    () => bp.stack([zeros([1]), zeros([1], 'int32')]),
    DTypeError,
    'stack: tensor 1 is int32, tensor 0 is float32',
  ],
  [
    'split two -1',
    () => bp.split(zeros([4]), [-1, -1]),
    ShapeError,
    'split: only one size can be -1, got [-1,-1]',
  ],
  [
    'tile reps',
    () => bp.tile(zeros([2]), [1.5]),
    ArgumentError,
    'tile: reps[0] must be an integer ≥ 0, got 1.5',
  ],
  [
    'oneHot onValue',
    () => bp.oneHot([1], 2, NaN),
    ArgumentError,
    'oneHot: onValue must be a number, got NaN',
  ],
  ['item', () => zeros([2]).item(), StateError, 'item: tensor has 2 elements (shape [2]); expected 1'],
  [
    'setBackend',
    () => setBackend('webgpu'),
    StateError,
    /^setBackend: unknown backend "webgpu"; registered: js/,
  ],
  [
    'backward',
    () => ones([]).backward(),
    StateError,
    /^backward: gradients are computed by @backprop\/autograd/,
  ],
];

describe('typed errors', () => {
  it.each(CASES)('%s', (_name, call, type, message) => {
    let caught: unknown;
    try {
      call();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(type);
    expect(caught).toBeInstanceOf(BackpropError);
    expect(caught).toBeInstanceOf(Error);
    const err = caught as Error;
    expect(err.name).toBe(type.name);
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
  });

  it('using a disposed tensor is a StateError naming the tensor', () => {
    const t = zeros([2, 2]);
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(() => t.dataSync()).toThrow(StateError);
    expect(() => bp.add(t, 1)).toThrow(
      new RegExp(`^tensor #${t.id} \\(shape \\[2,2\\]\\) was disposed and cannot be used`),
    );
    t.dispose(); // a second dispose is harmless
  });
});
