/**
 * The issue's memory requirement, on the wasm backend: 10 000 full training steps of a small MLP (fused Dense
 * forward, sparse softmax cross-entropy, backward pass, Adam and SGD updates), each inside the optimizer's scope,
 * leave the live tensors, buffers and bytes — and the size of the kernels' linear memory — exactly where they were.
 */
import type { Tensor } from '@backprop/core-tensor';
import {
  Generator,
  createWasmBackend,
  fused,
  memory,
  mean,
  registerBackend,
  setBackend,
  tensor,
  wasmSimdSupported,
} from '@backprop/core-tensor';
import type { WasmBackend } from '@backprop/core-tensor';
import { variable } from '@backprop/autograd';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam } from './adam';
import type { Optimizer } from './optimizer';
import { SGD } from './sgd';

const STEPS = 10_000;

function uniform(g: Generator, shape: number[], scale: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Float32Array.from({ length: n }, () => (g.uniform() * 2 - 1) * scale),
    shape,
  );
}

describe.runIf(wasmSimdSupported())('wasm backend memory over a long training run', () => {
  // A private instance, so this file's measurement of linear memory sees only its own allocations.
  registerBackend('wasm-memory-test', () => createWasmBackend({ threads: 1 }));
  afterAll(() => setBackend('wasm'));

  it.each([
    ['Adam', () => new Adam({ learningRate: 1e-3 })],
    ['SGD with momentum and clipping', () => new SGD({ learningRate: 0.05, momentum: 0.9, clipnorm: 1 })],
  ] as const)(`stays flat over ${STEPS} steps with %s`, (_, makeOptimizer: () => Optimizer) => {
    const be = setBackend('wasm-memory-test') as WasmBackend;
    const g = new Generator(5);
    const x = uniform(g, [32, 20], 1);
    const labels = tensor(
      Array.from({ length: 32 }, (_, i) => i % 5),
      [32],
      'int32',
    );
    const w1 = variable(uniform(g, [20, 16], 0.3), { name: 'w1' });
    const b1 = variable(tensor(new Float32Array(16)), { name: 'b1' });
    const w2 = variable(uniform(g, [16, 5], 0.3), { name: 'w2' });
    const b2 = variable(tensor(new Float32Array(5)), { name: 'b2' });
    const opt = makeOptimizer();
    const loss = () => {
      const h = fused.matMul({ a: x, b: w1, bias: b1, activation: 'relu' });
      const logits = fused.matMul({ a: h, b: w2, bias: b2 });
      return mean(fused.sparseSoftmaxCrossEntropy(labels, logits));
    };
    const step = (): number => {
      const value = opt.minimize(loss);
      const v = value.dataSync()[0]!;
      value.dispose();
      return v;
    };
    // Warm-up: the first steps create the optimizer's slots and let the allocator reach its working set.
    const first = step();
    for (let i = 0; i < 50; i++) step();
    const live = memory();
    const bytes = be.memoryBytes();
    let last = first;
    for (let i = 0; i < STEPS; i++) last = step();
    expect(memory()).toEqual(live);
    expect(be.memoryBytes()).toBe(bytes);
    // It trained: the loss went down (so the steps did real work, not a no-op).
    expect(last).toBeLessThan(first);
  });
});
