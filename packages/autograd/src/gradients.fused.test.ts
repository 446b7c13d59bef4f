import * as T from '@backprop/core-tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { grad, gradcheck } from './index';
import { rand } from './testing';

const { fused } = T;
const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh'] as const;

afterEach(() => {
  T.setBackend(T.wasmSimdSupported() ? 'wasm' : 'js');
});

describe.each(['js', 'wasm'])('fused op gradients in float64 (gradcheck) [%s backend]', (backend) => {
  it.each(ACTIVATIONS)('T.fused.matMul with bias and %s', (activation) => {
    T.setBackend(backend);
    gradcheck(
      (a, b, bias) => fused.matMul({ a, b, bias, activation }),
      [rand([4, 3], 1, -2, 2), rand([3, 5], 2, -2, 2), rand([5], 3)],
    );
    gradcheck((a, b) => fused.matMul({ a, b, activation }), [rand([2, 3], 4), rand([3, 2], 5)]);
  });

  it('T.fused.softmaxCrossEntropy, for the logits and for soft labels', () => {
    T.setBackend(backend);
    gradcheck(
      (labels, logits) => fused.softmaxCrossEntropy(labels, logits),
      [rand([3, 4], 6, 0, 1), rand([3, 4], 7, -3, 3)],
    );
    gradcheck(
      (labels, logits) => fused.softmaxCrossEntropy(labels, logits),
      [rand([2, 2, 5], 8, 0, 1), rand([2, 2, 5], 9, -3, 3)],
    );
  });

  it('T.fused.sparseSoftmaxCrossEntropy, for the logits', () => {
    T.setBackend(backend);
    const labels = T.tensor([2, 0, 3], [3], 'int32');
    gradcheck((logits) => fused.sparseSoftmaxCrossEntropy(labels, logits), [rand([3, 4], 10, -3, 3)]);
  });
});

describe('fused ops record one node and differentiate like their composition', () => {
  it('on the default backend, float32 gradients through the fused kernels equal the composed ops’', () => {
    const a = T.tensor(
      Array.from({ length: 24 }, (_, i) => Math.sin(i)),
      [6, 4],
    );
    const b = T.tensor(
      Array.from({ length: 20 }, (_, i) => Math.cos(i)),
      [4, 5],
    );
    const bias = T.tensor([0.1, -0.2, 0.3, 0, 0.5]);
    const labels = T.tensor([1, 0, 4, 2, 3, 1], [6], 'int32');
    const dense = T.cast(T.oneHot(labels, 5), 'float32');
    for (const activation of ACTIVATIONS) {
      const composedAct = (y: T.Tensor): T.Tensor =>
        activation === 'relu'
          ? T.relu(y)
          : activation === 'sigmoid'
            ? T.sigmoid(y)
            : activation === 'tanh'
              ? T.tanh(y)
              : y;
      const fusedLoss = (x: T.Tensor, w: T.Tensor, c: T.Tensor) =>
        T.sum(fused.sparseSoftmaxCrossEntropy(labels, fused.matMul({ a: x, b: w, bias: c, activation })));
      const composedLoss = (x: T.Tensor, w: T.Tensor, c: T.Tensor) =>
        T.sum(T.neg(T.sum(T.mul(dense, T.logSoftmax(composedAct(T.add(T.matmul(x, w), c)))), -1)));
      const got = grad(fusedLoss)(a, b, bias);
      const want = grad(composedLoss)(a, b, bias);
      for (let i = 0; i < 3; i++) {
        const g = got[i]!.dataSync();
        const w = want[i]!.dataSync();
        for (let j = 0; j < w.length; j++) {
          expect(Math.abs(g[j]! - w[j]!), `${activation} input ${i} [${j}]`).toBeLessThanOrEqual(
            1e-5 + 1e-4 * Math.abs(w[j]!),
          );
        }
      }
    }
  });

  it('uses the backend kernel while gradients are recorded (the op is one node, not traced through)', () => {
    const kernels = T.getBackend().fused;
    if (!kernels?.matMulBiasAct) return; // a backend without the kernel: nothing to observe
    const calls: string[] = [];
    const original = kernels.matMulBiasAct;
    Object.assign(kernels, {
      matMulBiasAct: (...args: Parameters<typeof original>) => (
        calls.push('matMulBiasAct'),
        original(...args)
      ),
    });
    try {
      const x = T.ones([2, 3]);
      const w = T.ones([3, 2]);
      const dx = grad((a: T.Tensor) => T.sum(fused.matMul({ a, b: w, activation: 'relu' })))(x);
      expect(Array.from(dx.dataSync())).toEqual([2, 2, 2, 2, 2, 2]);
    } finally {
      Object.assign(kernels, { matMulBiasAct: original });
    }
    expect(calls).toEqual(['matMulBiasAct']);
  });
});
