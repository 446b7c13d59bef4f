import { setSeed, tensor } from '@backprop/core-tensor';
import { Dataset } from '@backprop/data';
import { SGD } from '@backprop/optimizers';
import { describe, expect, it } from 'vitest';
import type { Logs } from '../src/index';
import { Callback, Dense, Sequential } from '../src/index';

const N = 12;
const XS = Array.from({ length: N }, (_, i) => [i / N, ((i * 7) % N) / N]);
const YS = XS.map(([a, b]) => [2 * a! - b! + 0.5]);
const LABELS = XS.map(([a, b]) => (a! > b! ? 1 : 0));

/** A seeded, built linear model with plain SGD (every step is then a known function of the batch). */
function linear(units = 1, loss = 'mse'): Sequential {
  setSeed(7);
  const activation = units > 1 ? 'softmax' : 'linear';
  const m = new Sequential({ layers: [new Dense({ units, activation, inputShape: [2], name: 'lin' })] });
  m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss });
  m.build();
  return m;
}

const weightsOf = (m: Sequential): number[][] => m.getWeights().map((w) => Array.from(w.dataSync()));

/** Records the epoch and batch indices fit reports, and each epoch's logs. */
class Recorder extends Callback {
  epochs: number[] = [];
  batches = 0;
  logs: Logs[] = [];
  override onEpochBegin(epoch: number): void {
    this.epochs.push(epoch);
  }
  override onTrainBatchEnd(): void {
    this.batches++;
  }
  override onEpochEnd(_e: number, logs: Logs = {}): void {
    this.logs.push(logs);
  }
}

describe('fit options', () => {
  it('a Dataset trains exactly as the same batches in memory, called as fit(ds, {epochs})', async () => {
    const a = linear();
    await a.fit(XS, YS, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    const b = linear();
    const ds = Dataset.fromTensors({ xs: tensor(XS), ys: tensor(YS) }).batch(4);
    const h = await b.fit(ds, { epochs: 3, verbose: 0 });
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(weightsOf(b)).toEqual(weightsOf(a));
    const c = linear();
    await c.fit(ds, undefined, { epochs: 3, verbose: 0 });
    expect(weightsOf(c)).toEqual(weightsOf(a));
    const logs = await b.evaluate(ds);
    expect(logs.loss).toBeCloseTo((await a.evaluate(XS, YS)).loss!, 6);
  });

  it('typed arrays (flat, reshaped to the model input) train as nested arrays do', async () => {
    const a = linear();
    await a.fit(XS, YS, { epochs: 2, batchSize: 5, shuffle: false, verbose: 0 });
    const b = linear();
    await b.fit(Float32Array.from(XS.flat()), Float32Array.from(YS.flat()), {
      epochs: 2,
      batchSize: 5,
      shuffle: false,
      verbose: 0,
    });
    expect(weightsOf(b)).toEqual(weightsOf(a));
    const p = b.predict(Float32Array.from(XS.flat()));
    expect(p.shape).toEqual([N, 1]);
  });

  it('validationData is evaluated after every epoch with the weights of that epoch (tensors or a Dataset)', async () => {
    const vx = XS.slice(0, 4);
    const vy = YS.slice(0, 4);
    const m = linear();
    const seen: number[] = [];
    class AtEpochEnd extends Callback {
      override async onEpochEnd(): Promise<void> {
        seen.push((await m.evaluate(vx, vy)).loss!);
      }
    }
    const h = await m.fit(XS, YS, {
      epochs: 3,
      batchSize: 4,
      verbose: 0,
      validationData: [vx, vy],
      callbacks: [new AtEpochEnd()],
    });
    expect(h.history.val_loss).toHaveLength(3);
    h.history.val_loss!.forEach((v, i) => expect(v).toBeCloseTo(seen[i]!, 6));
    const d = linear();
    const hd = await d.fit(XS, YS, {
      epochs: 1,
      batchSize: 4,
      shuffle: false,
      verbose: 0,
      validationData: Dataset.fromTensors({ xs: tensor(vx), ys: tensor(vy) }).batch(2),
    });
    expect(hd.history.val_loss![0]).toBeCloseTo((await d.evaluate(vx, vy)).loss!, 6);
  });

  it('initialEpoch resumes the epoch count: epochs is the index to stop before', async () => {
    const m = linear();
    const r = new Recorder();
    const h = await m.fit(XS, YS, { epochs: 5, initialEpoch: 3, verbose: 0, callbacks: [r] });
    expect(r.epochs).toEqual([3, 4]);
    expect(h.epoch).toEqual([3, 4]);
    const none = new Recorder();
    await m.fit(XS, YS, { epochs: 2, initialEpoch: 2, verbose: 0, callbacks: [none] });
    expect(none.epochs).toEqual([]);
  });

  it('classWeight equals the matching per-sample weights, for arrays and Datasets', async () => {
    const cw = { 0: 1, 1: 5 };
    const byHand = LABELS.map((l) => (l === 1 ? 5 : 1));
    const a = linear(2, 'sparseCategoricalCrossentropy');
    await a.fit(XS, LABELS, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0, classWeight: cw });
    const b = linear(2, 'sparseCategoricalCrossentropy');
    await b.fit(XS, LABELS, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0, sampleWeight: byHand });
    expect(weightsOf(a)).toEqual(weightsOf(b));
    const none = linear(2, 'sparseCategoricalCrossentropy');
    await none.fit(XS, LABELS, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    expect(weightsOf(none)).not.toEqual(weightsOf(a));
    // The bug this guards against: a Dataset used to ignore classWeight silently.
    const c = linear(2, 'sparseCategoricalCrossentropy');
    const ds = Dataset.fromTensors({ xs: tensor(XS), ys: tensor(LABELS, [N], 'int32') }).batch(4);
    await c.fit(ds, { epochs: 2, verbose: 0, classWeight: cw });
    const [wa, wc] = [weightsOf(a), weightsOf(c)];
    wa.forEach((w, i) => w.forEach((v, j) => expect(wc[i]![j]).toBeCloseTo(v, 6)));
  });

  it('classWeight handles 200 000 labels (no spread of the labels into Math.max)', () => {
    const n = 200_000;
    const m = linear(2, 'sparseCategoricalCrossentropy');
    const x = new Float32Array(n * 2).map((_, i) => (i % 7) / 7);
    const y = new Int32Array(n).map((_, i) => i % 2);
    const l = m.trainOnBatch(tensor(x, [n, 2]), tensor(y, [n], 'int32'), { classWeight: { 1: 3 } });
    expect(Number.isFinite(l.loss)).toBe(true);
  });

  it('a callback that sets stopTraining ends fit after the current batch', async () => {
    const m = linear();
    const r = new Recorder();
    class StopAt extends Callback {
      override onTrainBatchEnd(batch: number): void {
        if (batch === 1) this.model!.stopTraining = true;
      }
    }
    const h = await m.fit(XS, YS, { epochs: 10, batchSize: 3, verbose: 0, callbacks: [r, new StopAt()] });
    expect(r.batches).toBe(2);
    expect(h.epoch).toEqual([0]);
  });

  it('testOnBatch returns the loss and metrics of one batch without changing the weights', () => {
    const m = linear();
    m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
    const before = weightsOf(m);
    const logs = m.testOnBatch(XS, YS);
    expect(weightsOf(m)).toEqual(before);
    // Reference: mean squared and absolute error of x·w + b, computed here in float64.
    const [w, b] = before as [number[], number[]];
    const pred = XS.map(([x0, x1]) => x0! * w[0]! + x1! * w[1]! + b[0]!);
    const mse = pred.reduce((s, p, i) => s + (p - YS[i]![0]!) ** 2, 0) / N;
    const mae = pred.reduce((s, p, i) => s + Math.abs(p - YS[i]![0]!), 0) / N;
    expect(logs.loss).toBeCloseTo(mse, 5);
    expect(logs.mae).toBeCloseTo(mae, 5);
    const weighted = m.testOnBatch(XS.slice(0, 2), YS.slice(0, 2), { sampleWeight: [1, 0] });
    expect(weighted.loss).toBeCloseTo((pred[0]! - YS[0]![0]!) ** 2 / 2, 5);
  });
});

describe('fit without a seed', () => {
  const x = tensor(XS);
  const y = tensor(YS);
  const run = async (seed: number): Promise<number[][]> => {
    const m = linear();
    setSeed(seed);
    await m.fit(x, y, { epochs: 2, batchSize: 3, shuffle: true, verbose: 0 });
    return weightsOf(m);
  };

  it('shuffles from the global generator: setSeed(n) makes it reproducible, another n changes the order', async () => {
    const a = await run(123);
    const b = await run(123);
    const c = await run(124);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });
});
