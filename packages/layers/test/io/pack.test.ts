import { Adam } from '@backprop/optimizers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BatchNormalization,
  Dense,
  ModelFormatError,
  Sequential,
  loadModel,
  packModel,
  saveModel,
  unpackModel,
} from '../../src/index';
import { bits, labels, uniform } from './helpers';

function trained(): Sequential {
  const m = new Sequential();
  m.add(new Dense({ units: 6, activation: 'relu', inputShape: [4] }));
  m.add(new BatchNormalization());
  m.add(new Dense({ units: 3, activation: 'softmax' }));
  m.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
  for (let i = 0; i < 3; i++) m.trainOnBatch(uniform([8, 4], 10 + i), labels(8, 3, 20 + i));
  return m;
}

describe('packModel / unpackModel: a saved model as one ArrayBuffer', () => {
  it('round-trips through loadModel: the same predictions bit for bit, and an exact resume', async () => {
    const m = trained();
    const buffer = await packModel(await saveModel(m, { kind: 'memory' }));
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    const back = await loadModel(buffer);
    const x = uniform([5, 4], 99);
    expect(bits(back.predict(x))).toEqual(bits(m.predict(x)));
    // the optimizer state came along: one more step on each lands on the same weights
    const [bx, by] = [uniform([8, 4], 50), labels(8, 3, 51)];
    m.trainOnBatch(bx, by);
    back.trainOnBatch(bx, by);
    expect(back.getWeights().map(bits)).toEqual(m.getWeights().map(bits));
  });

  it('keeps the optimizer out when saved without it, and accepts a Uint8Array view of the buffer', async () => {
    const m = trained();
    const a = await saveModel(m, { kind: 'memory' }, { includeOptimizer: false });
    const packed = new Uint8Array(await packModel(a));
    const u = await unpackModel(packed);
    expect(u.optimizer).toBeUndefined();
    expect(Array.from(u.weights)).toEqual(Array.from(a.weights));
    expect(u.modelJson).toEqual(a.modelJson);
  });

  it('rejects what it did not write with a ModelFormatError naming the problem', async () => {
    const good = new Uint8Array(await packModel(await saveModel(trained(), { kind: 'memory' })));
    const patched = (f: (b: Uint8Array, v: DataView) => void): ArrayBuffer => {
      const b = good.slice();
      f(b, new DataView(b.buffer));
      return b.buffer;
    };
    const cases: [ArrayBuffer, RegExp][] = [
      [new ArrayBuffer(4), /not a packed model/],
      [patched((b) => (b[0] = 0)), /not a packed model/],
      [good.slice(0, 12).buffer, /shorter than its 16-byte prefix/],
      [patched((_b, v) => v.setBigUint64(8, 2n ** 63n, true)), /header claims/],
      [good.slice(0, good.length - 1).buffer, /"optimizer" must be \[begin, end\]/],
      [
        (() => {
          const b = new Uint8Array(good.length + 3);
          b.set(good);
          return b.buffer;
        })(),
        /blobs must fill/,
      ],
    ];
    for (const [buf, message] of cases) {
      await expect(unpackModel(buf)).rejects.toThrow(ModelFormatError);
      await expect(unpackModel(buf)).rejects.toThrow(message);
    }
  });

  it('truncated or flipped anywhere: a typed error (or, for an edit inside model.json, a model), never a crash', async () => {
    const m = trained();
    const good = new Uint8Array(await packModel(await saveModel(m, { kind: 'memory' })));
    const headerEnd = 16 + Number(new DataView(good.buffer).getBigUint64(8, true));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ cut: fc.integer({ min: 0, max: good.length - 1 }) }),
          fc.record({
            at: fc.integer({ min: 0, max: good.length - 1 }),
            xor: fc.integer({ min: 1, max: 255 }),
          }),
        ),
        async (mutation) => {
          const b = 'cut' in mutation ? good.slice(0, mutation.cut) : good.slice();
          if ('at' in mutation) b[mutation.at]! ^= mutation.xor;
          try {
            const back = await loadModel(b.buffer);
            expect(back.layers.length).toBe(3);
            expect('cut' in mutation, 'a truncated buffer never loads').toBe(false);
            // Past the header every flip is refused (the header holds each blob's SHA-256). A flip inside
            // model.json may be a valid edit (a digit of epsilon), as it would be in a model directory: there
            // only "a typed error or a model" is required.
            expect('at' in mutation && mutation.at < headerEnd, 'a flipped blob byte never loads').toBe(true);
          } catch (e) {
            expect((e as Error).name).toMatch(/^(ModelFormatError|SafetensorsError)$/);
          }
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });
});
