import { ArgumentError, tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  MeanSquaredError,
  SparseCategoricalCrossentropy,
} from '../classes';
import { BinaryAccuracy, TopKCategoricalAccuracy } from './accuracy';
import { MeanSquaredErrorMetric } from './regression';
import { getMetric, serializeMetric } from './registry';

describe("getMetric('accuracy')", () => {
  it('is binary accuracy for binary cross-entropy or a last output dimension of 1', () => {
    expect(getMetric('accuracy', { loss: new BinaryCrossentropy() })).toBeInstanceOf(BinaryAccuracy);
    expect(getMetric('accuracy', { loss: new MeanSquaredError(), outputShape: [-1, 1] })).toBeInstanceOf(
      BinaryAccuracy,
    );
  });

  it('is sparse categorical for sparse cross-entropy, categorical otherwise', () => {
    const sparse = getMetric('accuracy', {
      loss: new SparseCategoricalCrossentropy(),
      outputShape: [-1, 10],
    });
    expect((sparse as unknown as { className: string }).className).toBe('SparseCategoricalAccuracy');
    const cat = getMetric('acc', { loss: new CategoricalCrossentropy(), outputShape: [-1, 10] });
    expect((cat as unknown as { className: string }).className).toBe('CategoricalAccuracy');
    expect((getMetric('accuracy') as unknown as { className: string }).className).toBe('CategoricalAccuracy');
  });

  it('keeps the name it was asked by, as Keras logs it', () => {
    expect(getMetric('acc', { loss: new BinaryCrossentropy() }).name).toBe('acc');
    expect(getMetric('accuracy', { loss: new BinaryCrossentropy() }).name).toBe('accuracy');
  });

  it('thresholds at 0 when binary cross-entropy takes logits', () => {
    const m = getMetric('accuracy', { loss: new BinaryCrossentropy({ fromLogits: true }) });
    m.update(tensor([1, 0]), tensor([[0.2], [-0.2]]));
    expect(m.result()).toBe(1);
  });
});

describe('getMetric', () => {
  it.each([
    ['binaryAccuracy', 'BinaryAccuracy'],
    ['binary_accuracy', 'BinaryAccuracy'],
    ['categorical_accuracy', 'CategoricalAccuracy'],
    ['sparseCategoricalAccuracy', 'SparseCategoricalAccuracy'],
    ['top_k_categorical_accuracy', 'TopKCategoricalAccuracy'],
    ['topKCategoricalAccuracy', 'TopKCategoricalAccuracy'],
    ['mse', 'MeanSquaredErrorMetric'],
    ['mean_squared_error', 'MeanSquaredErrorMetric'],
    ['mae', 'MeanAbsoluteErrorMetric'],
    ['meanAbsoluteError', 'MeanAbsoluteErrorMetric'],
  ])("resolves '%s' to %s, named as asked", (id, className) => {
    const m = getMetric(id) as unknown as { className: string; name: string };
    expect(m.className).toBe(className);
    expect(m.name).toBe(id);
  });

  it('lists the valid names for an unknown one', () => {
    expect(() => getMetric('precision')).toThrow(ArgumentError);
    expect(() => getMetric('precision')).toThrow(
      /getMetric: unknown metric 'precision'\. Valid names: accuracy \(acc\), binaryAccuracy,/,
    );
    expect(() => getMetric({ className: 'Precision' })).toThrow(/unknown metric class 'Precision'/);
  });

  it('returns a metric object as it is and rebuilds serialized ones', () => {
    const m = new TopKCategoricalAccuracy({ k: 3, name: 'top3' });
    expect(getMetric(m)).toBe(m);
    const rebuilt = getMetric(
      JSON.parse(JSON.stringify(serializeMetric(m))) as ReturnType<typeof serializeMetric>,
    );
    expect(rebuilt).toBeInstanceOf(TopKCategoricalAccuracy);
    expect(rebuilt.getConfig()).toEqual({ name: 'top3', k: 3 });
    expect(getMetric(serializeMetric(new MeanSquaredErrorMetric())).name).toBe('mse');
    expect(getMetric({ className: 'Accuracy' }).name).toBe('accuracy');
  });
});
