import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, DTypeError, ShapeError, tensor, zeros } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { binaryCrossentropy } from './crossentropy';
import { meanSquaredError } from './regression';
import { F64, expectClose, f64, gradOf, values } from './testing';

// Per-sample MSE of these rows, by hand: mean((p − t)²) = [1, 4, 0.25, 2.5].
const T = [
  [0, 0],
  [1, 1],
  [0, 1],
  [2, 0],
];
const P = [
  [1, -1],
  [3, -1],
  [0.5, 1.5],
  [0, 1],
];
const PER_SAMPLE = [1, 4, 0.25, 2.5];
const W = [2, 0, 1, 0.5];

describe('reduction', () => {
  it("'none' returns one loss per sample, 'sum' their sum, 'mean' their sum over the batch size", () => {
    expectClose(values(meanSquaredError(T, f64(P), { reduction: 'none' })), PER_SAMPLE, F64);
    expectClose(values(meanSquaredError(T, f64(P), { reduction: 'sum' })), [7.75], F64);
    expectClose(values(meanSquaredError(T, f64(P), { reduction: 'mean' })), [7.75 / 4], F64);
    expectClose(values(meanSquaredError(T, f64(P))), [7.75 / 4], F64);
  });

  it("'none' keeps extra axes: [N, T, D] predictions give [N, T] losses", () => {
    const out = meanSquaredError(zeros([2, 3, 4], 'float64'), zeros([2, 3, 4], 'float64').add(2), {
      reduction: 'none',
    });
    expect(out.shape).toEqual([2, 3]);
    expectClose(values(out), [4, 4, 4, 4, 4, 4], F64);
  });

  it('accepts the Keras spelling sum_over_batch_size for mean and rejects unknown reductions', () => {
    const keras = meanSquaredError(T, f64(P), { reduction: 'sum_over_batch_size' as 'mean' });
    expectClose(values(keras), [7.75 / 4], F64);
    expect(() => meanSquaredError(T, f64(P), { reduction: 'avg' as 'mean' })).toThrow(
      /meanSquaredError: reduction must be one of 'mean', 'sum', 'none', got "avg"/,
    );
  });

  it('gives 0 for an empty batch under mean, not NaN', () => {
    expect(meanSquaredError(zeros([0, 3]), zeros([0, 3])).item()).toBe(0);
  });
});

describe('sampleWeight', () => {
  const weighted = PER_SAMPLE.map((l, i) => l * W[i]!);
  const total = weighted.reduce((a, b) => a + b, 0);

  it('multiplies per-sample losses; mean still divides by the number of samples, zero weights included', () => {
    expectClose(values(meanSquaredError(T, f64(P), { sampleWeight: W, reduction: 'none' })), weighted, F64);
    expectClose(values(meanSquaredError(T, f64(P), { sampleWeight: W, reduction: 'sum' })), [total], F64);
    expectClose(values(meanSquaredError(T, f64(P), { sampleWeight: W })), [total / 4], F64);
  });

  it('accepts weights shaped [N, 1], a scalar, or a tensor', () => {
    const column = W.map((w) => [w]);
    expectClose(values(meanSquaredError(T, f64(P), { sampleWeight: column })), [total / 4], F64);
    expectClose(values(meanSquaredError(T, f64(P), { sampleWeight: 3 })), [(3 * 7.75) / 4], F64);
    expectClose(values(meanSquaredError(T, f64(P), { sampleWeight: tensor(W) })), [total / 4], F64);
  });

  it('broadcasts [N] weights over per-timestep losses [N, T]', () => {
    const yPred = f64([
      [[1], [2]],
      [[3], [4]],
    ]);
    const out = meanSquaredError(zeros([2, 2, 1]), yPred, { sampleWeight: [10, 100], reduction: 'none' });
    expectClose(values(out), [10, 40, 900, 1600], F64);
  });

  it('scales the gradient of each sample by its weight', () => {
    const g = gradOf((p: Tensor) => meanSquaredError(T, p, { sampleWeight: W }), f64(P));
    const expected = T.flatMap((row, i) => row.map((t, j) => (W[i]! * 2 * (P[i]![j]! - t)) / (4 * 2)));
    expectClose(g, expected, F64);
  });

  it('rejects weights that do not fit the batch, naming the loss and both shapes', () => {
    expect(() => meanSquaredError(T, f64(P), { sampleWeight: [1, 2, 3] })).toThrow(
      /meanSquaredError: sampleWeight of shape \[3\] does not fit the per-sample losses of shape \[4\]/,
    );
    expect(() => meanSquaredError(T, f64(P), { sampleWeight: [[1, 2, 3, 4]] })).toThrow(ShapeError);
  });
});

describe('yTrue / yPred alignment', () => {
  it('pairs labels [N] with predictions [N, 1] per sample instead of broadcasting to [N, N]', () => {
    const out = binaryCrossentropy([1, 0, 1], f64([[0], [0], [0]]), { fromLogits: true, reduction: 'none' });
    expect(out.shape).toEqual([3]);
    expectClose(values(out), [Math.LN2, Math.LN2, Math.LN2], F64);
  });

  it('drops a trailing axis of size 1 from yTrue', () => {
    const out = meanSquaredError([[1], [2]], f64([3, 5]), { reduction: 'none' });
    expectClose(values(out), [(4 + 9) / 2], F64);
  });

  it('rejects other shape mismatches, naming the loss and both shapes', () => {
    expect(() => meanSquaredError([[1, 2, 3]], f64([[1, 2]]))).toThrow(
      /meanSquaredError: yTrue has shape \[1,3\] but yPred has shape \[1,2\]/,
    );
    expect(() => binaryCrossentropy([1, 0], f64([[0.5], [0.5], [0.5]]))).toThrow(ShapeError);
  });

  it('casts integer and boolean labels to the prediction dtype', () => {
    const out = meanSquaredError(tensor([[1, 0]], undefined, 'int32'), f64([[0, 0]]));
    expect(out.dtype).toBe('float64');
    expectClose(values(out), [0.5], F64);
    expectClose(values(meanSquaredError(tensor([[true, false]]), f64([[0, 0]]))), [0.5], F64);
  });

  it('requires float predictions with at least one axis', () => {
    expect(() => meanSquaredError([[1]], tensor([[1]], undefined, 'int32'))).toThrow(DTypeError);
    expect(() => meanSquaredError(1, f64([2]).sum())).toThrow(
      /meanSquaredError: yPred must have at least one axis/,
    );
    expect(() => meanSquaredError([[1]], [[1]] as unknown as Tensor)).toThrow(ArgumentError);
  });
});
