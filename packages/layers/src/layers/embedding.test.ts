import { describe, expect, it } from 'vitest';
import { sum, tensor, zeros } from '@backprop/core-tensor';
import { variableGrads } from '@backprop/autograd';
import { runLayerTest } from '../testing';
import { Embedding } from './index';

const TABLE = [
  [0, 0.5],
  [1, 1.5],
  [2, 2.5],
  [3, 3.5],
];

describe('Embedding', () => {
  it('passes runLayerTest on int32 token ids', () => {
    runLayerTest(() => new Embedding({ inputDim: 10, outputDim: 4 }), {
      inputShape: [3, 5],
      inputDType: 'int32',
      inputRange: [0, 10],
      expectedOutputShape: [3, 5, 4],
      expectedNumTrainableWeights: 1,
    });
  });

  it('passes runLayerTest with inputLength and integer-valued float ids', () => {
    runLayerTest(() => new Embedding({ inputDim: 6, outputDim: 2, inputLength: 3 }), {
      inputShape: [2, 3],
      differentiableInput: false,
      inputData: tensor([
        [0, 5, 2],
        [3, 3, 1],
      ]),
      expectedOutputShape: [2, 3, 2],
    });
  });

  it('looks up rows of the table', () => {
    const e = new Embedding({ inputDim: 4, outputDim: 2 });
    e.apply(tensor([[0]], undefined, 'int32'));
    e.setWeights([tensor(TABLE)]);
    expect(
      e
        .apply(
          tensor(
            [
              [0, 2],
              [3, 2],
            ],
            undefined,
            'int32',
          ),
        )
        .arraySync(),
    ).toEqual([
      [TABLE[0], TABLE[2]],
      [TABLE[3], TABLE[2]],
    ]);
    expect(e.apply(tensor([[1, 3]])).arraySync()).toEqual([[TABLE[1], TABLE[3]]]);
  });

  it('accumulates the gradient of a row used several times', () => {
    const e = new Embedding({ inputDim: 5, outputDim: 3 });
    const ids = tensor(
      [
        [1, 1, 3],
        [1, 4, 3],
      ],
      undefined,
      'int32',
    );
    e.apply(ids);
    const { grads } = variableGrads(() => sum(e.apply(ids)), e.trainableWeights);
    // d(sum)/d(row r) = (number of times r was looked up) in every column.
    const counts = [0, 3, 0, 2, 1];
    expect(grads.get(e.embeddings!)!.arraySync()).toEqual(counts.map((c) => [c, c, c]));
  });

  it('starts from uniform(−0.05, 0.05), as Keras', () => {
    const e = new Embedding({ inputDim: 100, outputDim: 50 });
    e.apply(zeros([1, 1], 'int32'));
    const v = Array.from(e.embeddings!.dataSync());
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-0.05);
    expect(Math.max(...v)).toBeLessThan(0.05);
    expect(Math.max(...v) - Math.min(...v)).toBeGreaterThan(0.09);
  });

  it('rejects out-of-range, negative and fractional ids with the layer name and the position', () => {
    const e = new Embedding({ name: 'emb', inputDim: 10, outputDim: 2 });
    expect(() => e.apply(tensor([[1, 10]], undefined, 'int32'))).toThrow(
      /emb \(Embedding\): index 10 at position \[0,1\] is out of range \[0, 10\)/,
    );
    expect(() => e.apply(tensor([[1], [-1]], undefined, 'int32'))).toThrow(
      /index -1 at position \[1,0\] is out of range/,
    );
    expect(() => e.apply(tensor([[1.5]]))).toThrow(/emb \(Embedding\): indices must be integers, got 1.5/);
  });

  it('checks inputLength and its options', () => {
    const e = new Embedding({ name: 'emb_len', inputDim: 4, outputDim: 2, inputLength: 3 });
    expect(() => e.apply(zeros([2, 4], 'int32'))).toThrow(/emb_len \(Embedding\)/);
    expect(() => new Embedding({ inputDim: 0, outputDim: 2 })).toThrow(/inputDim must be a positive integer/);
    expect(e.computeOutputShape([null, null])).toEqual([null, 3, 2]);
  });
});
