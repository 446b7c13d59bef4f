import { ArgumentError, DTypeError, ShapeError, StateError, setSeed, tensor } from '@backprop/core-tensor';
import { Dataset } from '@backprop/data';
import { describe, expect, it } from 'vitest';
import { Dense, Sequential } from '../src/index';

/** A compiled 4-feature, 3-class classifier. */
function classifier(): Sequential {
  setSeed(1);
  const m = new Sequential({
    layers: [
      new Dense({ units: 8, activation: 'relu', inputShape: [4] }),
      new Dense({ units: 3, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

const x6 = (): number[][] => Array.from({ length: 6 }, (_, i) => [i, 1, 2, 3].map((v) => v / 6));
const y6 = [0, 1, 2, 0, 1, 2];

/** Runs `fn` and returns the error it throws (or rejects with); fails if it does not. */
async function errorOf(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('model-level bad input: typed errors that say what is wrong and what was expected', () => {
  it('x and y with different numbers of samples', async () => {
    const e = await errorOf(() => classifier().fit(x6(), y6.slice(0, 5), { verbose: 0 }));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe(
      'fit: x has 6 samples but y has 5 (shapes [6,4] and [5]); they must have the same first dimension',
    );
    const ev = await errorOf(() => classifier().evaluate(x6(), y6.slice(0, 2)));
    expect(ev.message).toMatch(/^evaluate: x has 6 samples but y has 2/);
  });

  it('the wrong feature size, for fit, evaluate, predict and typed arrays', async () => {
    const wide = x6().map((r) => [...r, 0]);
    const e = await errorOf(() => classifier().fit(wide, y6, { verbose: 0 }));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe(
      'fit: x has shape [6,5] but the model takes inputs of shape (None, 4) (batch first): the feature size differs',
    );
    expect((await errorOf(() => classifier().evaluate(wide, y6))).message).toMatch(
      /^evaluate: x has shape \[6,5\]/,
    );
    expect((await errorOf(() => classifier().predict(wide))).message).toMatch(
      /^predict: x has shape \[6,5\]/,
    );
    expect((await errorOf(() => classifier().predict(tensor([1, 2, 3, 4])))).message).toMatch(
      /rank 1, expected 2/,
    );
    const flat = await errorOf(() => classifier().fit(new Float32Array(10), y6, { verbose: 0 }));
    expect(flat).toBeInstanceOf(ShapeError);
    expect(flat.message).toBe(
      'fit: x has 10 values, not a whole number of samples of shape [4] (4 values each) that the model expects',
    );
  });

  it('NaN or Infinity in the data is an error naming the first bad sample (never silent)', async () => {
    const xs = x6();
    xs[4]![2] = NaN;
    const e = await errorOf(() => classifier().fit(xs, y6, { verbose: 0 }));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toBe(
      'fit: x contains NaN or Infinity: NaN at sample 4 (element 18 of shape [6,4]); clean or impute the data first ' +
        '(NaN would spread into every weight)',
    );
    const m = classifier();
    const ys = [[0], [Infinity]];
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    expect((await errorOf(() => m.fit(x6().slice(0, 2), ys, { verbose: 0 }))).message).toMatch(
      /^fit: y contains NaN or Infinity: Infinity at sample 1/,
    );
    // A Dataset is checked batch by batch, before the step that would poison the weights.
    const ds = Dataset.fromTensors({ xs: tensor(xs), ys: tensor(y6, [6], 'int32') }).batch(3);
    const c = classifier();
    c.build();
    const before = c.getWeights().map((w) => Array.from(w.dataSync()));
    const de = await errorOf(() => c.fit(ds, { epochs: 1, verbose: 0 }));
    expect(de.message).toMatch(/^fit: Dataset batch x contains NaN or Infinity: NaN at sample 1 /);
    // The first batch trained; the bad one did not touch the weights.
    expect(c.getWeights().every((w) => Array.from(w.dataSync()).every(Number.isFinite))).toBe(true);
    expect(c.getWeights().map((w) => Array.from(w.dataSync()))).not.toEqual(before);
  });

  it('sparse labels out of range or not integers, naming the sample and the valid range', async () => {
    const high = await errorOf(() => classifier().fit(x6(), [0, 1, 2, 3, 1, 2], { verbose: 0 }));
    expect(high).toBeInstanceOf(ArgumentError);
    expect(high.message).toBe(
      'fit: y (sample 3) is 3, but sparseCategoricalCrossentropy needs integer class ids in [0, 3) for a model ' +
        'with 3 outputs',
    );
    const neg = await errorOf(() => classifier().evaluate(x6(), [0, -1, 2, 0, 1, 2]));
    expect(neg.message).toMatch(/^evaluate: y \(sample 1\) is -1, but sparseCategoricalCrossentropy/);
    const frac = await errorOf(() => classifier().fit(x6(), [0, 1, 2, 0, 1.5, 2], { verbose: 0 }));
    expect(frac.message).toMatch(
      /y \(sample 4\) is 1.5, .*\(use categoricalCrossentropy for one-hot or soft labels\)$/,
    );
    const ds = Dataset.fromTensors({ xs: tensor(x6()), ys: tensor([0, 1, 2, 0, 1, 7], [6], 'int32') }).batch(
      3,
    );
    expect((await errorOf(() => classifier().fit(ds, { verbose: 0 }))).message).toMatch(
      /^fit: Dataset batch y \(sample 2\) is 7/,
    );
  });

  it('wrong dtypes: non-numeric data is a DTypeError; integer features are cast like Keras does', async () => {
    const e = await errorOf(() =>
      classifier().fit([['a', 'b', 'c', 'd']] as unknown as number[][], [0], { verbose: 0 }),
    );
    expect(e).toBeInstanceOf(DTypeError);
    expect(e.message).toMatch(/^fit: x is not numeric data \(.*got string\); expected numbers or a tensor$/);
    const ye = await errorOf(() => classifier().fit(x6(), ['0', '1'] as unknown as number[], { verbose: 0 }));
    expect(ye).toBeInstanceOf(DTypeError);
    expect(ye.message).toMatch(/^fit: y is not numeric data/);
    // int32 features train exactly as the same values in float32.
    const ints = [
      [1, 0, 2, 3],
      [0, 1, 1, 0],
    ];
    const a = classifier();
    await a.fit(tensor(ints, [2, 4], 'int32'), [0, 1], { verbose: 0, shuffle: false });
    const b = classifier(); // same seed, weights drawn when fit builds the model
    await b.fit(tensor(ints, [2, 4], 'float32'), [0, 1], { verbose: 0, shuffle: false });
    expect(a.predict(tensor(ints, [2, 4], 'int32')).dtype).toBe('float32');
    expect(Array.from(a.getWeights()[0]!.dataSync())).toEqual(Array.from(b.getWeights()[0]!.dataSync()));
  });

  it('predict before the model is built, and fit before compile', async () => {
    const m = new Sequential({ layers: [new Dense({ units: 1 })] });
    const e = await errorOf(() => m.predict(tensor([[1]])));
    expect(e).toBeInstanceOf(StateError);
    expect(e.message).toMatch(
      /predict before the model is built \(fit it, or give the first layer an inputShape\)/,
    );
    const f = await errorOf(() =>
      new Sequential({ layers: [new Dense({ units: 1, inputShape: [1] })] }).fit([[1]], [[1]]),
    );
    expect(f).toBeInstanceOf(StateError);
    expect(f.message).toMatch(/^fit: compile the model first/);
  });

  it('compile with an unknown optimizer, loss or metric lists the valid names', () => {
    const m = new Sequential({ layers: [new Dense({ units: 1, inputShape: [1] })] });
    const opt = (() => {
      try {
        m.compile({ optimizer: 'adamm', loss: 'mse' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(opt).toBeInstanceOf(ArgumentError);
    expect(opt!.message).toMatch(
      /^compile: optimizer: getOptimizer: unknown optimizer 'adamm'\. Valid names: .*Adam, /,
    );
    expect(() => m.compile({ optimizer: 'adam', loss: 'mean_sqared_error' })).toThrow(
      /^compile: loss: getLoss: unknown loss 'mean_sqared_error'\. Valid names: .*meanSquaredError/,
    );
    expect(() => m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] })).toThrow(
      /^compile: metrics: getMetric: unknown metric 'acuracy'\. Valid names: .*accuracy/,
    );
    expect(m.compiled).toBeUndefined(); // nothing half-compiled is left behind
  });
});
