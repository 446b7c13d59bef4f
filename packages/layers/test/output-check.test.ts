import { setSeed } from '@backprop/core-tensor';
import type { Loss } from '@backprop/losses';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from '@backprop/losses';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Activation, Dense, Dropout, Flatten, Sequential } from '../src/index';

function model(last: 'linear' | 'softmax' | 'sigmoid', viaActivationLayer = false): Sequential {
  setSeed(2);
  const m = new Sequential({ layers: [new Dense({ units: 4, activation: 'relu', inputShape: [3] })] });
  if (viaActivationLayer) {
    m.add(new Dense({ units: 2, name: 'scores' }));
    m.add(new Activation({ activation: last, name: 'probs' }));
  } else m.add(new Dense({ units: 2, activation: last, name: 'out' }));
  m.add(new Dropout({ rate: 0.1 }));
  m.add(new Flatten());
  return m;
}

async function warningsOf(m: Sequential, loss: Loss, y: number[][] | number[]): Promise<string[]> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  m.compile({ optimizer: 'sgd', loss });
  const x = [
    [0, 1, 2],
    [1, 0, 1],
  ];
  await m.fit(x, y, { verbose: 0 });
  await m.fit(x, y, { verbose: 0 }); // once per model
  const calls = warn.mock.calls.map((c) => String(c[0]));
  warn.mockRestore();
  return calls;
}

describe('fit warns when a cross-entropy and the output activation disagree', () => {
  afterEach(() => vi.restoreAllMocks());
  const onehot = [
    [1, 0],
    [0, 1],
  ];

  it('probabilities expected, raw scores given: once, naming the layer and both fixes', async () => {
    const w = await warningsOf(model('linear'), new SparseCategoricalCrossentropy(), [0, 1]);
    expect(w).toEqual([
      "fit: SparseCategoricalCrossentropy expects probabilities, but the last layer \"out\" outputs raw scores (activation 'linear'): they are clipped to [1e-7, 1 − 1e-7], so scores outside that range get no gradient and the model stops learning. Give the last layer activation: 'softmax', or use the loss with fromLogits: true.",
    ]);
    const b = await warningsOf(model('linear'), new BinaryCrossentropy(), onehot);
    expect(b[0]).toMatch(/^fit: BinaryCrossentropy expects probabilities.*activation: 'sigmoid'/);
  });

  it('logits expected, softmax given (also through an Activation layer)', async () => {
    const w = await warningsOf(
      model('softmax', true),
      new CategoricalCrossentropy({ fromLogits: true }),
      onehot,
    );
    expect(w).toEqual([
      "fit: CategoricalCrossentropy with fromLogits: true expects raw scores, but the last layer \"probs\" already applies 'softmax': the loss applies it again and the gradients shrink. Drop the activation (use 'linear') or set fromLogits: false.",
    ]);
  });

  it('nothing when they agree, or for losses without probabilities', async () => {
    expect(await warningsOf(model('softmax'), new SparseCategoricalCrossentropy(), [0, 1])).toEqual([]);
    expect(
      await warningsOf(model('linear'), new SparseCategoricalCrossentropy({ fromLogits: true }), [0, 1]),
    ).toEqual([]);
    expect(await warningsOf(model('sigmoid'), new BinaryCrossentropy(), onehot)).toEqual([]);
    const mse = model('linear');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    mse.compile({ optimizer: 'sgd', loss: 'mse' });
    await mse.fit([[0, 1, 2]], [[1, 2]], { verbose: 0 });
    expect(warn).not.toHaveBeenCalled();
  });
});
