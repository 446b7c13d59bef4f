// Determinism: the same seed gives bit-identical weights after 100 training steps on the same backend and thread
// count. Covers every source of randomness fit() has: initializers (setSeed), Dropout masks and shuffling (seed).
import type { WasmBackend } from '@backprop/core-tensor';
import {
  createJsBackend,
  createWasmBackend,
  getBackend,
  getBackendName,
  registerBackend,
  setBackend,
  setSeed,
  wasmSimdSupported,
} from '@backprop/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { Dense, Dropout, Sequential } from '../../src/index';
import { bits, labels, uniform } from '../io/helpers';

const STEPS = 100;
const BATCH = 64;
const before = getBackendName();
afterAll(() => void setBackend(before));

/** 100 steps of fit() from seed `seed` on the active backend: the final weights, as bytes. */
async function train(seed: number): Promise<Buffer[]> {
  setSeed(seed);
  const model = new Sequential({
    layers: [
      new Dense({ units: 128, activation: 'relu', inputShape: [256] }),
      new Dropout({ rate: 0.2 }),
      new Dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  // The data are the same bytes on every backend (a seeded generator outside the code under test).
  const x = uniform([BATCH * 10, 256], 11);
  const y = labels(BATCH * 10, 10, 12);
  await model.fit(x, y, { epochs: STEPS / 10, batchSize: BATCH, shuffle: true, seed, verbose: 0 });
  expect(model.optimizer!.getState().iterations).toBe(STEPS);
  return model.getWeights().map(bits);
}

const configs: { name: string; make: () => ReturnType<typeof createJsBackend>; threads: number }[] = [
  { name: 'js', make: () => createJsBackend(), threads: 1 },
];
if (wasmSimdSupported()) {
  configs.push({ name: 'wasm, 1 thread', make: () => createWasmBackend({ threads: 1 }), threads: 1 });
  configs.push({ name: 'wasm, 2 threads', make: () => createWasmBackend({ threads: 2 }), threads: 2 });
}
const results = new Map<string, Buffer[]>();

describe(`the same seed gives bit-identical weights after ${STEPS} steps`, () => {
  it.each(configs)('on $name', async ({ name, make, threads }) => {
    registerBackend(`determinism: ${name}`, make);
    setBackend(`determinism: ${name}`);
    const granted = (getBackend() as Partial<WasmBackend>).threads ?? 1;
    // Where shared memory is unavailable the backend falls back to one thread; the case then says nothing new.
    if (granted !== threads) console.warn(`determinism: ${name} got ${granted} thread(s)`);
    const first = await train(7);
    const second = await train(7);
    expect(second).toEqual(first);
    // A different seed really changes the run, so equality above is not an accident of ignored seeds.
    expect(await train(8)).not.toEqual(first);
    results.set(name, first);
  });

  it.runIf(wasmSimdSupported())(
    'wasm with 1 and with 2 threads agree bit for bit (the GEMM split keeps each sum whole)',
    () => {
      expect(results.get('wasm, 2 threads')).toEqual(results.get('wasm, 1 thread'));
    },
  );

  it.runIf(wasmSimdSupported())(
    'js and wasm may differ in the last bits, but stay within float32 rounding of each other',
    () => {
      const js = results.get('js')!;
      const wasm = results.get('wasm, 1 thread')!;
      let maxDiff = 0;
      let maxAbs = 0;
      let differing = 0;
      let total = 0;
      for (let i = 0; i < js.length; i++) {
        const a = new Float32Array(js[i]!.buffer, js[i]!.byteOffset, js[i]!.byteLength / 4);
        const b = new Float32Array(wasm[i]!.buffer, wasm[i]!.byteOffset, wasm[i]!.byteLength / 4);
        for (let k = 0; k < a.length; k++) {
          maxDiff = Math.max(maxDiff, Math.abs(a[k]! - b[k]!));
          maxAbs = Math.max(maxAbs, Math.abs(a[k]!));
          if (a[k] !== b[k]) differing++;
          total++;
        }
      }
      console.log(
        `determinism: js vs wasm after ${STEPS} steps: ${differing}/${total} weights differ, max |Δ| ${maxDiff.toExponential(2)} (max |w| ${maxAbs.toFixed(3)})`,
      );
      // Different summation orders compound over 100 Adam steps; 1e-3 of the weights' scale is far from a bug.
      expect(maxDiff).toBeLessThan(1e-3 * Math.max(1, maxAbs));
    },
  );
});
