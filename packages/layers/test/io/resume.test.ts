import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '@backprop/core-tensor';
import { Adam, CosineDecay, Nadam, SGD } from '@backprop/optimizers';
import type { Optimizer } from '@backprop/optimizers';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchNormalization, Dense, Sequential, loadModel, saveModel } from '../../src/index';
import { bits, labels, uniform } from './helpers';

const N = 8;
// A fixed-order data stream: batch i is the same in every run.
const batches: [Tensor, Tensor][] = Array.from({ length: N }, (_, i) => [
  uniform([6, 5], 100 + i),
  labels(6, 3, 200 + i),
]);

function model(optimizer: Optimizer): Sequential {
  const m = new Sequential();
  m.add(new Dense({ units: 7, activation: 'tanh', inputShape: [5] }));
  m.add(new BatchNormalization({ momentum: 0.9 }));
  m.add(new Dense({ units: 3, activation: 'softmax' }));
  m.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

function train(m: Sequential, from: number, to: number): void {
  for (let i = from; i < to; i++) m.trainOnBatch(...batches[i]!);
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** N steps straight, against N/2 steps, save to disk, load, N/2 more: the final weights of both, as bytes. */
async function straightAndResumed(
  optimizer: () => Optimizer,
  includeOptimizer = true,
): Promise<{ straight: Buffer[]; resumed: Buffer[] }> {
  const start = await saveModel(model(optimizer()), { kind: 'memory' });
  const straight = await loadModel(start);
  train(straight, 0, N);

  const first = await loadModel(start);
  train(first, 0, N / 2);
  const dir = await mkdtemp(join(tmpdir(), 'backprop-resume-'));
  dirs.push(dir);
  await saveModel(first, dir, { includeOptimizer });
  const second = await loadModel(dir);
  train(second, N / 2, N);
  return { straight: straight.getWeights().map(bits), resumed: second.getWeights().map(bits) };
}

describe('exact resume', () => {
  it.each([
    ['Adam (amsgrad)', () => new Adam({ learningRate: 0.05, amsgrad: true })],
    [
      'SGD with Nesterov momentum and a cosine schedule',
      () =>
        new SGD({
          learningRate: new CosineDecay({ initialLearningRate: 0.1, decaySteps: N }),
          momentum: 0.9,
          nesterov: true,
        }),
    ],
    ['Nadam with gradient clipping', () => new Nadam({ learningRate: 0.02, clipnorm: 0.5 })],
  ])('%s: N steps equal N/2, save, load, N/2, bit for bit', async (_, optimizer) => {
    const { straight, resumed } = await straightAndResumed(optimizer);
    expect(resumed).toEqual(straight);
  });

  it('without the optimizer state the resumed run diverges (the check above can fail)', async () => {
    const { straight, resumed } = await straightAndResumed(() => new Adam({ learningRate: 0.05 }), false);
    expect(resumed).not.toEqual(straight);
  });
});
