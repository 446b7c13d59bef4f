// The short form of scripts/long-run.mjs: fit() over hundreds of steps, with the options users leave on by default
// (shuffling, a metric, validation), must hold exactly the same number of live tensors after every step once warm.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { memory } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import type { Logs } from '../../src/index';
import { Callback, Dense, Dropout, Sequential } from '../../src/index';
import { labels, uniform } from '../io/helpers';

// A full collection before each sample: an unreachable tensor must not count just because the GC has not run.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

class Sampler extends Callback {
  step = 0;
  readonly counts: number[] = [];
  override onTrainBatchEnd(_batch: number, _logs?: Logs): void {
    if (++this.step % 20 === 0) {
      gc();
      this.counts.push(memory().numTensors);
    }
  }
}

describe('memory stays flat over a long fit()', () => {
  it.each([
    { shuffle: true, validationSplit: 0.2 },
    { shuffle: false, validationSplit: undefined },
  ])(
    '400 steps (shuffle $shuffle, validationSplit $validationSplit): the live-tensor count never changes after warm-up',
    async (options) => {
      const model = new Sequential({
        layers: [
          new Dense({ units: 32, activation: 'relu', inputShape: [20] }),
          new Dropout({ rate: 0.1 }),
          new Dense({ units: 5, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const sampler = new Sampler();
      const n = options.validationSplit ? 800 : 640;
      await model.fit(uniform([n, 20], 1), labels(n, 5, 2), {
        epochs: 20,
        batchSize: 32,
        verbose: 0,
        ...options,
        callbacks: [sampler],
      });
      expect(sampler.step).toBe(400);
      const warm = sampler.counts.slice(2);
      expect(new Set(warm).size, `live tensors every 20 steps: ${warm.join(' ')}`).toBe(1);
    },
  );
});
