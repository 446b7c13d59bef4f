import { ShapeError, tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { values } from '../testing';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  topKCategoricalAccuracy,
} from './accuracy';

describe('per-sample accuracy functions', () => {
  it('accuracy counts exact matches', () => {
    expect(
      values(
        accuracy(
          [
            [1, 2],
            [3, 4],
          ],
          tensor([
            [1, 2],
            [3, 5],
          ]),
        ),
      ),
    ).toEqual([1, 0.5]);
  });

  it('binaryAccuracy thresholds predictions (strictly above counts as 1)', () => {
    const yPred = tensor([[0.9], [0.5], [0.2], [0.6]]);
    expect(values(binaryAccuracy([1, 1, 0, 0], yPred))).toEqual([1, 0, 1, 0]);
    expect(values(binaryAccuracy([1, 1, 0, 0], yPred, 0.7))).toEqual([1, 0, 1, 1]);
  });

  it('categoricalAccuracy compares arg-maxes', () => {
    const yPred = tensor([
      [0.1, 0.8, 0.1],
      [0.6, 0.3, 0.1],
    ]);
    expect(
      values(
        categoricalAccuracy(
          [
            [0, 1, 0],
            [0, 0, 1],
          ],
          yPred,
        ),
      ),
    ).toEqual([1, 0]);
  });

  it('sparseCategoricalAccuracy compares the arg-max with integer labels [N] or [N, 1]', () => {
    const yPred = tensor([
      [0.1, 0.8, 0.1],
      [0.6, 0.3, 0.1],
    ]);
    expect(values(sparseCategoricalAccuracy([1, 2], yPred))).toEqual([1, 0]);
    expect(values(sparseCategoricalAccuracy([[1], [0]], yPred))).toEqual([1, 1]);
    expect(values(sparseCategoricalAccuracy([1.5, 0], yPred))).toEqual([0, 1]);
    expect(() => sparseCategoricalAccuracy([1, 2, 0], yPred)).toThrow(ShapeError);
  });

  it('topKCategoricalAccuracy finds the true class among the k best, ties in its favour', () => {
    const yPred = tensor([
      [0.5, 0.3, 0.2, 0.0],
      [0.1, 0.2, 0.3, 0.4],
      [0.3, 0.3, 0.3, 0.1],
    ]);
    const yTrue = [
      [0, 1, 0, 0], // 2nd best: in top 2
      [1, 0, 0, 0], // worst: not in top 2
      [0, 0, 1, 0], // tied for best with two others: nothing scores higher
    ];
    expect(values(topKCategoricalAccuracy(yTrue, yPred, 2))).toEqual([1, 0, 1]);
    expect(values(topKCategoricalAccuracy(yTrue, yPred, 1))).toEqual([0, 0, 1]);
    expect(values(topKCategoricalAccuracy(yTrue, yPred))).toEqual([1, 1, 1]);
    expect(() => topKCategoricalAccuracy(yTrue, yPred, 0)).toThrow(/k must be an integer ≥ 1/);
  });
});

describe('accuracy metrics over an epoch', () => {
  it('BinaryAccuracy averages over all samples of batches of different sizes', () => {
    const m = new BinaryAccuracy();
    m.update(tensor([1, 0, 1]), tensor([[0.9], [0.1], [0.2]])); // 2 of 3
    m.update(tensor([1]), tensor([[0.8]])); // 1 of 1
    m.update(tensor([0, 0, 0, 0, 1]), tensor([[0.6], [0.7], [0.1], [0.2], [0.3]])); // 2 of 5
    // 5 of 9 samples; averaging the batch means would give (2/3 + 1 + 2/5) / 3 ≈ 0.689 instead.
    expect(m.result()).toBeCloseTo(5 / 9, 6);
    m.reset();
    expect(m.result()).toBe(0);
  });

  it('BinaryAccuracy takes a threshold and reports it in its config', () => {
    const m = new BinaryAccuracy({ threshold: 0 });
    m.update(tensor([1, 0]), tensor([[0.3], [-0.3]]));
    expect(m.result()).toBe(1);
    expect(m.getConfig()).toEqual({ name: 'binary_accuracy', threshold: 0 });
  });

  it('Categorical, SparseCategorical and TopK accumulate in the same way', () => {
    const p1 = tensor([
      [0.1, 0.7, 0.2],
      [0.5, 0.4, 0.1],
    ]);
    const p2 = tensor([[0.2, 0.3, 0.5]]);
    const cat = new CategoricalAccuracy();
    cat.update(
      tensor([
        [0, 1, 0],
        [0, 1, 0],
      ]),
      p1,
    ); // 1 of 2
    cat.update(tensor([[0, 0, 1]]), p2); // 1 of 1
    expect(cat.result()).toBeCloseTo(2 / 3, 6);
    const sparse = new SparseCategoricalAccuracy();
    sparse.update(tensor([1, 1]), p1);
    sparse.update(tensor([0]), p2); // 0 of 1
    expect(sparse.result()).toBeCloseTo(1 / 3, 6);
    const top2 = new TopKCategoricalAccuracy({ k: 2 });
    top2.update(
      tensor([
        [0, 1, 0],
        [0, 1, 0],
      ]),
      p1,
    ); // 2 of 2
    top2.update(tensor([[1, 0, 0]]), p2); // 0 of 1
    expect(top2.result()).toBeCloseTo(2 / 3, 6);
    expect(top2.getConfig()).toEqual({ name: 'top_k_categorical_accuracy', k: 2 });
  });

  it('Accuracy counts exact equality', () => {
    const m = new Accuracy();
    m.update(tensor([[1], [2]]), tensor([[1], [3]]));
    expect(m.result()).toBe(0.5);
  });
});
