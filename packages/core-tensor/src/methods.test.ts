/**
 * Every op core-tensor exports is also a chainable method of the same name that gives the same result. The list
 * of exported functions that are not tensor-first ops is explicit, so a new op without a method fails here.
 */
import { expect, it } from 'vitest';
import type { Tensor } from './index';
import * as bp from './index';
import { tensor } from './index';
import { describeBackends } from './testing/assert';

/** Exports that are not ops on a leading tensor: factories, random sources, gradient ops, infrastructure. */
const NOT_METHODS = new Set([
  ...['arange', 'eye', 'full', 'linspace', 'ones', 'onesLike', 'scalar', 'tensor', 'zeros', 'zerosLike'],
  ...['randomUniform', 'randomNormal', 'truncatedNormal', 'randomInt', 'permutation', 'Generator', 'setSeed'],
  // gradient ops take dy (or x and dy) and a shape: not something one chains
  ...['conv2dBackpropInput', 'conv2dBackpropFilter', 'maxPool2dBackprop', 'avgPool2dBackprop', 'scatterAdd'],
  ...['conv2dGeometry', 'pool2dGeometry', 'operands', 'makeTensor', 'viewAs'],
  ...['getBackend', 'getBackendName', 'listBackends', 'registerBackend', 'setBackend'],
  ...['createJsBackend', 'createWasmBackend', 'wasmSimdSupported'],
  ...['bytesPerElement', 'isFloatDType', 'promoteTypes', 'broadcastShapes', 'normalizeAxes', 'normalizeAxis'],
  ...['sizeOf', 'getObserver', 'setObserver', 'mayFuse', 'op', 'unobserved', 'keep', 'memory', 'scope'],
  ...[
    'ArgumentError',
    'AxisError',
    'BackpropError',
    'DTypeError',
    'OutOfMemoryError',
    'ShapeError',
    'StateError',
    'Tensor',
  ],
  'setBackwardHook',
]);

const x = (): Tensor =>
  tensor([
    [0.3, -1.2, 2],
    [1.5, 0.5, -2],
  ]);
const y = (): Tensor =>
  tensor([
    [1, 2, 0.5],
    [-1, 0.25, 3],
  ]);
const bools = (): Tensor => tensor([true, false, true]);
const nhwc = (): Tensor => bp.reshape(bp.arange(0, 16, 1, 'float32'), [1, 4, 4, 1]);

/** For each op: the receiver and the remaining arguments (the function is called as fn(receiver, ...args)). */
const CALLS: Record<string, () => [Tensor, ...unknown[]]> = {
  where: () => [x(), bp.greater(x(), 0), y()],
  logicalAnd: () => [bools(), tensor([true, true, false])],
  logicalOr: () => [bools(), tensor([false, false, true])],
  logicalNot: () => [bools()],
  cast: () => [x(), 'int32'],
  leakyRelu: () => [x(), 0.1],
  elu: () => [x(), 0.5],
  gelu: () => [x(), true],
  swish: () => [x(), 2],
  clip: () => [x(), -1, 1],
  argmax: () => [x(), 1],
  argmin: () => [x(), 0],
  norm: () => [x(), 1, 1, true],
  reshape: () => [x(), [3, -1]],
  transpose: () => [x(), [1, 0]],
  permute: () => [x(), [1, 0]],
  expandDims: () => [x(), 1],
  squeeze: () => [bp.reshape(x(), [2, 1, 3]), 1],
  broadcastTo: () => [x(), [2, 2, 3]],
  slice: () => [x(), [0, 1], [2, 3], [1, 2]],
  concat: () => [x(), [y()], 1],
  stack: () => [x(), [y()], 2],
  split: () => [x(), [1, 2], 1],
  pad: () => [
    x(),
    [
      [1, 0],
      [0, 2],
    ],
    7,
  ],
  tile: () => [x(), [2, 1]],
  gather: () => [x(), [2, 0], 1],
  oneHot: () => [tensor([0, 2, 1], undefined, 'int32'), 3, 5, -1],
  matmul: () => [x(), y(), { transposeB: true }],
  dot: () => [tensor([1, 2, 3]), tensor([4, 5, 6])],
  outer: () => [tensor([1, 2]), tensor([3, 4, 5])],
  softmax: () => [x(), 0],
  logSoftmax: () => [x(), 0],
  conv2d: () => [nhwc(), bp.ones([2, 2, 1, 2]), { strides: 2, padding: 'same' }],
  maxPool2d: () => [nhwc(), { poolSize: 2 }],
  avgPool2d: () => [nhwc(), { poolSize: 3, strides: 1, padding: 'same' }],
};
const REDUCTIONS = ['sum', 'mean', 'max', 'min', 'prod', 'variance', 'std', 'logSumExp'];
const BINARY = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'mod', 'atan2'];
const COMPARE = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'];

function callFor(name: string): [Tensor, ...unknown[]] {
  const special = CALLS[name];
  if (special) return special();
  if (REDUCTIONS.includes(name)) return [x(), 1, true];
  if (BINARY.includes(name) || COMPARE.includes(name)) return [x(), y()];
  return [x()]; // unary elementwise ops and activations without options
}

const values = (r: Tensor | Tensor[]): unknown =>
  Array.isArray(r) ? r.map(values) : { shape: r.shape, dtype: r.dtype, data: Array.from(r.dataSync()) };

const exported = Object.keys(bp).filter((k) => typeof (bp as Record<string, unknown>)[k] === 'function');
const ops = exported.filter((k) => !NOT_METHODS.has(k));

it('NOT_METHODS names only functions core-tensor still exports', () => {
  expect([...NOT_METHODS].filter((k) => !exported.includes(k))).toEqual([]);
});

describeBackends('every op is a chainable method', () => {
  it.each(ops)('%s', (name) => {
    const fn = (bp as unknown as Record<string, (...a: unknown[]) => Tensor | Tensor[]>)[name]!;
    const [receiver, ...args] = callFor(name);
    const method = (receiver as unknown as Record<string, unknown>)[name];
    expect(typeof method, `Tensor.prototype.${name}`).toBe('function');
    const viaMethod = (method as (...a: unknown[]) => Tensor | Tensor[]).apply(receiver, args);
    const viaFunction =
      name === 'concat' || name === 'stack'
        ? fn([receiver, ...(args[0] as Tensor[])], ...args.slice(1))
        : name === 'where'
          ? fn(args[0], receiver, args[1])
          : fn(receiver, ...args);
    expect(values(viaMethod)).toEqual(values(viaFunction));
  });

  it('concat and stack take one tensor or a list after the receiver', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    expect(a.concat(b).arraySync()).toEqual([1, 2, 3, 4]);
    expect(a.concat([b, a]).arraySync()).toEqual([1, 2, 3, 4, 1, 2]);
    expect(a.stack(b).arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(a.stack([b], 1).arraySync()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(a.stack([]).shape).toEqual([1, 2]);
  });
});
