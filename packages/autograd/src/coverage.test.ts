/**
 * Every function core-tensor exports is classified here, and every differentiable op must be gradchecked in one
 * of the gradient test files. When core-tensor gains an op, this test fails until the op is classified (and, if
 * it is differentiable, tested): "gradients for every differentiable op" cannot silently stop being true.
 */
import * as core from '@backprop/core-tensor';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DIFFERENTIABLE = [
  // elementwise (ceil/floor/round/sign: zero gradient, checked as such)
  ...['abs', 'add', 'atan2', 'cast', 'ceil', 'cos', 'div', 'erf', 'exp', 'expm1', 'floor', 'log', 'log1p'],
  ...['maximum', 'minimum', 'mod', 'mul', 'neg', 'pow', 'reciprocal', 'round', 'rsqrt', 'sigmoid', 'sign'],
  ...['sin', 'softplus', 'sqrt', 'square', 'sub', 'tanh', 'where'],
  // activations
  ...['clip', 'elu', 'gelu', 'leakyRelu', 'relu', 'relu6', 'selu', 'silu', 'swish'],
  // reductions
  ...['logSumExp', 'max', 'mean', 'min', 'norm', 'prod', 'std', 'sum', 'variance'],
  // movement
  ...['broadcastTo', 'concat', 'expandDims', 'flatten', 'gather', 'pad', 'permute', 'reshape', 'scatterAdd'],
  ...['slice', 'split', 'squeeze', 'stack', 'tile', 'transpose'],
  // linear algebra, softmax, convolution and pooling (and the gradient ops that have gradients themselves)
  ...[
    'dot',
    'matmul',
    'outer',
    'logSoftmax',
    'softmax',
    'conv2d',
    'conv2dBackpropFilter',
    'conv2dBackpropInput',
  ],
  ...['avgPool2d', 'avgPool2dBackprop', 'maxPool2d'],
];

const NOT_DIFFERENTIABLE = [
  // int or bool results: no gradient by definition
  ...['argmax', 'argmin', 'equal', 'greater', 'greaterEqual', 'isFinite', 'isNaN', 'less', 'lessEqual'],
  ...['logicalAnd', 'logicalNot', 'logicalOr', 'notEqual', 'oneHot'],
  // maxPool2d's gradient: differentiating it is a clear error (higher-order.test.ts)
  'maxPool2dBackprop',
  // factories and random sources: no inputs to differentiate
  ...['arange', 'eye', 'full', 'linspace', 'ones', 'onesLike', 'scalar', 'tensor', 'zeros', 'zerosLike'],
  ...['permutation', 'randomInt', 'randomNormal', 'randomUniform', 'truncatedNormal', 'setSeed', 'Generator'],
  // infrastructure: classes, errors, backends, dispatcher, memory, shape and dtype helpers
  ...[
    'Tensor',
    'ArgumentError',
    'AxisError',
    'BackpropError',
    'DTypeError',
    'OutOfMemoryError',
    'ShapeError',
    'StateError',
  ],
  ...[
    'createJsBackend',
    'createWasmBackend',
    'wasmSimdSupported',
    'getBackend',
    'getBackendName',
    'listBackends',
    'registerBackend',
    'setBackend',
  ],
  ...['getObserver', 'setObserver', 'unobserved', 'mayFuse', 'op', 'operands', 'setBackwardHook'],
  ...['keep', 'memory', 'scope', 'makeTensor', 'viewAs'],
  ...['broadcastShapes', 'bytesPerElement', 'conv2dGeometry', 'pool2dGeometry', 'isFloatDType'],
  ...['normalizeAxes', 'normalizeAxis', 'promoteTypes', 'sizeOf'],
];

const exported = Object.keys(core).filter((k) => typeof (core as Record<string, unknown>)[k] === 'function');

describe('coverage of core-tensor', () => {
  it('classifies every exported function as differentiable or not', () => {
    const known = new Set([...DIFFERENTIABLE, ...NOT_DIFFERENTIABLE]);
    expect(
      exported.filter((k) => !known.has(k)),
      'unclassified exports of core-tensor',
    ).toEqual([]);
    expect(
      [...known].filter((k) => !exported.includes(k)),
      'classified names core-tensor no longer exports',
    ).toEqual([]);
  });

  it('gradchecks every differentiable op in a gradient test file', () => {
    const dir = new URL('.', import.meta.url);
    const sources = readdirSync(dir)
      .filter((f) => /^(gradients\.\w+|higher-order)\.test\.ts$/.test(f))
      .map((f) => readFileSync(new URL(f, dir), 'utf8'))
      .join('\n');
    const missing = DIFFERENTIABLE.filter((name) => !new RegExp(`\\bT\\.${name}\\b`).test(sources));
    expect(missing).toEqual([]);
  });
  // `fused` is a namespace object, so the scan above does not see its ops: classify them here the same way.
  it('classifies every fused op and gradchecks the differentiable ones', () => {
    const FUSED_DIFFERENTIABLE = ['matMul', 'softmaxCrossEntropy', 'sparseSoftmaxCrossEntropy'];
    // optimizer updates run outside the recorded graph (they write new weights, nothing differentiates them)
    const FUSED_NOT_DIFFERENTIABLE = ['adamUpdate', 'sgdUpdate'];
    const fusedOps = Object.keys(core.fused).filter(
      (k) => typeof (core.fused as Record<string, unknown>)[k] === 'function',
    );
    expect(fusedOps.sort()).toEqual([...FUSED_DIFFERENTIABLE, ...FUSED_NOT_DIFFERENTIABLE].sort());
    const source = readFileSync(new URL('gradients.fused.test.ts', import.meta.url), 'utf8');
    const missing = FUSED_DIFFERENTIABLE.filter(
      (name) =>
        !new RegExp(`fused\\.${name}\\b[\\s\\S]*gradcheck|gradcheck[\\s\\S]*fused\\.${name}\\b`).test(source),
    );
    expect(missing).toEqual([]);
  });
});
