// NaN or Inf appearing mid-training is caught in the very step it appears: TerminateOnNaN stops fit() after that
// batch, and no later batch runs. The fault is injected at a known global step by corrupting one weight.
import { full } from '@backprop/core-tensor';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logs } from '../../src/index';
import { Callback, Dense, Sequential, TerminateOnNaN } from '../../src/index';
import { labels, uniform } from '../io/helpers';

/** Sets the first kernel to `value` everywhere just before global step `at`, and records every step's loss. */
class InjectAt extends Callback {
  losses: number[] = [];
  #step = 0;
  constructor(
    readonly at: number,
    readonly value: number,
  ) {
    super();
  }
  override onTrainBatchBegin(): void {
    if (this.#step === this.at) {
      const model = this.model as Sequential;
      const kernel = model.weights[0]!;
      model.setWeights(model.getWeights().map((w, i) => (i === 0 ? full(kernel.shape, this.value) : w)));
    }
  }
  override onTrainBatchEnd(_batch: number, logs: Logs = {}): void {
    this.losses.push(logs.loss!);
    this.#step++;
  }
}

function model(): Sequential {
  const m = new Sequential({
    layers: [
      new Dense({ units: 16, activation: 'tanh', inputShape: [8] }),
      new Dense({ units: 3, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  // Built now, so a fault can be injected before the very first step.
  m.build();
  return m;
}

afterEach(() => vi.restoreAllMocks());

describe('TerminateOnNaN stops training in the step the fault appears', () => {
  // Steps are global: 10 batches an epoch, so step 23 is batch 3 of epoch 3 (0-based epoch 2).
  it.each([
    { name: 'NaN', value: NaN, at: 0 },
    { name: 'NaN', value: NaN, at: 23 },
    { name: 'Infinity', value: Infinity, at: 37 },
    { name: '-Infinity', value: -Infinity, at: 9 },
  ])('a $name weight injected before step $at', async ({ value, at }) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const m = model();
    const inject = new InjectAt(at, value);
    const stop = new TerminateOnNaN();
    await m.fit(uniform([80, 8], 1), labels(80, 3, 2), {
      epochs: 10,
      batchSize: 8,
      verbose: 0,
      shuffle: false,
      callbacks: [inject, stop],
    });
    // Every step before the fault had a finite loss; the fault's step did not; nothing ran after it.
    expect(inject.losses).toHaveLength(at + 1);
    expect(inject.losses.slice(0, at).every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(inject.losses[at])).toBe(false);
    expect(stop.stoppedAt).toEqual({ epoch: Math.floor(at / 10), batch: at % 10 });
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(`Batch ${at % 10} of epoch ${Math.floor(at / 10) + 1}`),
    );
  });

  it('without the fault, the same run trains all 100 steps with finite losses', async () => {
    const inject = new InjectAt(-1, NaN);
    const stop = new TerminateOnNaN();
    await model().fit(uniform([80, 8], 1), labels(80, 3, 2), {
      epochs: 10,
      batchSize: 8,
      verbose: 0,
      shuffle: false,
      callbacks: [inject, stop],
    });
    expect(inject.losses).toHaveLength(100);
    expect(inject.losses.every(Number.isFinite)).toBe(true);
    expect(stop.stoppedAt).toBeUndefined();
  });
});
