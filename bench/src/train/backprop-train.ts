/**
 * Trains the bench models with backprop's public API: a `Sequential` from `@backprop/layers`, compiled with Adam
 * and softmax cross-entropy on logits, run by `fit` exactly as a user would; a callback times the steps.
 */
import {
  createWasmBackend,
  oneHot,
  randomInt,
  randomUniform,
  registerBackend,
  setBackend,
} from '@backprop/core-tensor';
import { Callback, Conv2D, Dense, Flatten, MaxPooling2D, Sequential } from '@backprop/layers';
import { CategoricalCrossentropy } from '@backprop/losses';
import { Adam } from '@backprop/optimizers';
import { EpochTimer } from './epoch-timer';
import type { ChildReport, ModelName, Schedule } from './spec';
import { BATCH_SIZE, CLASSES, INPUT_SHAPE, datasetSize } from './spec';

/** MLP 784-256-128-10 relu, or the CNN conv3×3×8 relu → maxpool2 → conv3×3×16 relu → maxpool2 → dense10. */
export function backpropModel(model: ModelName): Sequential {
  const m = new Sequential();
  if (model === 'mlp') {
    m.add(new Dense({ units: 256, activation: 'relu', inputShape: INPUT_SHAPE.mlp }));
    m.add(new Dense({ units: 128, activation: 'relu' }));
    m.add(new Dense({ units: CLASSES }));
  } else {
    m.add(new Conv2D({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: INPUT_SHAPE.cnn }));
    m.add(new MaxPooling2D({ poolSize: 2 }));
    m.add(new Conv2D({ filters: 16, kernelSize: 3, activation: 'relu' }));
    m.add(new MaxPooling2D({ poolSize: 2 }));
    m.add(new Flatten());
    m.add(new Dense({ units: CLASSES }));
  }
  m.compile({
    optimizer: new Adam({ learningRate: 1e-3 }),
    loss: new CategoricalCrossentropy({ fromLogits: true }),
  });
  return m;
}

class StepCallback extends Callback {
  constructor(private readonly timer: EpochTimer) {
    super();
  }
  override onTrainBatchEnd(): void {
    if (this.timer.step() && this.model) this.model.stopTraining = true;
  }
}

/** Chooses the backend: 'js', or the wasm backend on `threads` threads with relaxed SIMD where it can be had. */
export function useBackpropBackend(impl: 'backprop-wasm' | 'backprop-js', threads: number): string {
  if (impl === 'backprop-js') {
    setBackend('js');
    return 'js backend';
  }
  const backend = createWasmBackend({ threads, relaxedSimd: true });
  registerBackend('bench-train-wasm', () => backend);
  setBackend('bench-train-wasm');
  return `wasm backend, ${backend.variant}, ${backend.threads} thread(s)`;
}

export async function trainBackprop(
  impl: 'backprop-wasm' | 'backprop-js',
  model: ModelName,
  threads: number,
  sched: Schedule,
): Promise<ChildReport> {
  const detail = useBackpropBackend(impl, threads);
  const x = randomUniform([datasetSize(sched.quick), ...INPUT_SHAPE[model]], { seed: 1 });
  const y = oneHot(randomInt([datasetSize(sched.quick)], 0, CLASSES, { seed: 2 }), CLASSES);
  const dataRssMiB = process.memoryUsage.rss() / 2 ** 20;
  const m = backpropModel(model);
  const timer = new EpochTimer(sched, BATCH_SIZE[model]);
  await m.fit(x, y, {
    epochs: 1_000_000,
    batchSize: BATCH_SIZE[model],
    verbose: 0,
    callbacks: [new StepCallback(timer)],
  });
  return { ...timer.report(), dataRssMiB, detail };
}
