import type { Backend, FusedKernels } from '@backprop/core-tensor';
import {
  createJsBackend,
  getBackendName,
  registerBackend,
  setBackend,
  setSeed,
  tensor,
  wasmSimdSupported,
  createWasmBackend,
} from '@backprop/core-tensor';
import { SparseCategoricalCrossentropy } from '@backprop/losses';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dense, Sequential } from '../src/index';

type Kernel = keyof FusedKernels;
const KERNELS: Kernel[] = [
  'matMulBiasAct',
  'sparseSoftmaxCrossEntropy',
  'softmaxCrossEntropy',
  'adamUpdate',
  'sgdUpdate',
];

/**
 * `base` with every fused kernel wrapped to count its calls. A kernel `base` lacks declines (returns undefined),
 * which the ops answer with their composed path: the count then shows the step asked for it.
 */
function counting(base: Backend, name: string, calls: Map<Kernel, number>): Backend {
  const kernels = (base.fused ?? {}) as Record<Kernel, ((...a: unknown[]) => unknown) | undefined>;
  const fused: Record<string, (...a: unknown[]) => unknown> = {};
  for (const k of KERNELS) {
    fused[k] = (...args: unknown[]) => {
      calls.set(k, (calls.get(k) ?? 0) + 1);
      const real = kernels[k];
      return real ? real.apply(base.fused, args) : undefined;
    };
  }
  return { ...base, name, fused };
}

/** Two Adam steps of a 4-8-3 MLP on logits with sparse labels; the losses of both steps. */
function train(): number[] {
  setSeed(9);
  const m = new Sequential({
    layers: [new Dense({ units: 8, activation: 'relu', inputShape: [4] }), new Dense({ units: 3 })],
  });
  m.compile({ optimizer: 'adam', loss: new SparseCategoricalCrossentropy({ fromLogits: true }) });
  const x = tensor(Array.from({ length: 6 }, (_, i) => [i, 1, -i, 2].map((v) => v / 6)));
  const y = tensor([0, 1, 2, 0, 1, 2], [6], 'int32');
  return [m.trainOnBatch(x, y).loss!, m.trainOnBatch(x, y).loss!];
}

let previous = 'js';
beforeEach(() => {
  previous = getBackendName();
});
afterEach(() => {
  setBackend(previous);
});

describe('the training step uses the backend fused kernels', () => {
  it('asks for matmul+bias+activation, softmax cross-entropy and the Adam update every step', () => {
    setBackend('js');
    const reference = train();
    const calls = new Map<Kernel, number>();
    registerBackend('js-counting-fused', () => counting(createJsBackend(), 'js-counting-fused', calls));
    setBackend('js-counting-fused');
    const losses = train();
    // Two steps: two Dense forward passes each, one loss, one update per weight (2 kernels + 2 biases).
    expect(Object.fromEntries(calls)).toMatchObject({
      matMulBiasAct: 4,
      sparseSoftmaxCrossEntropy: 2,
      adamUpdate: 8,
    });
    expect(losses).toEqual(reference); // declined kernels leave the composed path's result unchanged
  });

  it.skipIf(!wasmSimdSupported())(
    'runs the wasm kernels themselves, agreeing with the composed js path',
    () => {
      setBackend('js');
      const reference = train();
      const calls = new Map<Kernel, number>();
      registerBackend('wasm-counting-fused', () =>
        counting(createWasmBackend(), 'wasm-counting-fused', calls),
      );
      setBackend('wasm-counting-fused');
      const losses = train();
      expect(calls.get('matMulBiasAct')).toBe(4);
      expect(calls.get('adamUpdate')).toBe(8);
      losses.forEach((l, i) => expect(l).toBeCloseTo(reference[i]!, 5));
    },
  );
});
