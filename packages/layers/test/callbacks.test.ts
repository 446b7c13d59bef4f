import { setSeed, tensor } from '@backprop/core-tensor';
import { SGD } from '@backprop/optimizers';
import { describe, expect, it } from 'vitest';
import {
  CSVLogger,
  Callback,
  Dense,
  EarlyStopping,
  LearningRateScheduler,
  ReduceLROnPlateau,
  Sequential,
  TerminateOnNaN,
} from '../src/index';

const X = tensor(Array.from({ length: 16 }, (_, i) => [i / 16, 1 - i / 16]));
const Y = tensor(Array.from({ length: 16 }, (_, i) => [(3 * i) / 16 - 1]));

function linear(lr = 0.05): Sequential {
  setSeed(5);
  const m = new Sequential({ layers: [new Dense({ units: 1, inputShape: [2] })] });
  m.compile({ optimizer: new SGD({ learningRate: lr }), loss: 'mse' });
  return m;
}

describe('callbacks', () => {
  it('EarlyStopping stops after `patience` epochs without improvement and restores the best weights', () => {
    const m = linear();
    const es = new EarlyStopping({ monitor: 'loss', patience: 2, restoreBestWeights: true });
    es.setModel(m);
    es.onTrainBegin();
    const losses = [1, 0.5, 0.6, 0.7, 0.4];
    let stoppedAt = -1;
    for (const [epoch, loss] of losses.entries()) {
      if (epoch === 1) m.setWeights(m.getWeights().map((w) => w.add(1)));
      es.onEpochEnd(epoch, { loss });
      if (m.stopTraining) {
        stoppedAt = epoch;
        break;
      }
    }
    expect(stoppedAt).toBe(3);
    expect(es.bestEpoch).toBe(1);
    const best = m.getWeights().map((w) => w.dataSync());
    m.setWeights(m.getWeights().map((w) => w.add(5)));
    es.onTrainEnd();
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(best.map((b) => Array.from(b)));
  });

  it('EarlyStopping inside fit ends training early', async () => {
    const m = linear(0);
    const h = await m.fit(X, Y, {
      epochs: 20,
      verbose: 0,
      callbacks: [new EarlyStopping({ monitor: 'loss', patience: 1 })],
    });
    expect(h.epoch.length).toBe(2);
  });

  it('LearningRateScheduler sets the rate every epoch', async () => {
    const m = linear();
    const seen: number[] = [];
    class Spy extends Callback {
      override onEpochBegin(): void {
        seen.push(m.optimizer!.currentLearningRate());
      }
    }
    await m.fit(X, Y, {
      epochs: 3,
      verbose: 0,
      callbacks: [new LearningRateScheduler((e) => 0.1 / (e + 1)), new Spy()],
    });
    expect(seen).toEqual([0.1, 0.05, 0.1 / 3]);
  });

  it('ReduceLROnPlateau multiplies the rate by factor after patience epochs on a plateau', () => {
    const m = linear(0.1);
    const r = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 2, minDelta: 0 });
    r.setModel(m);
    r.onTrainBegin();
    for (const [e, loss] of [1, 1, 1, 1, 1].entries()) r.onEpochEnd(e, { loss });
    // epochs 1 and 2 do not improve → reduce; epochs 3 and 4 → reduce again
    expect(m.optimizer!.currentLearningRate()).toBeCloseTo(0.025, 10);
  });

  it('TerminateOnNaN stops at the first non-finite loss', async () => {
    const m = linear(1e6);
    const t = new TerminateOnNaN();
    const warn = console.warn;
    console.warn = () => {};
    try {
      await m.fit(X.mul(1000), Y.mul(1000), {
        epochs: 50,
        batchSize: 4,
        verbose: 0,
        shuffle: false,
        callbacks: [t],
      });
    } finally {
      console.warn = warn;
    }
    expect(t.stoppedAt).toBeDefined();
    expect(t.stoppedAt!.epoch).toBeLessThan(50);
  });

  it('CSVLogger writes a header and one row per epoch', async () => {
    const m = linear();
    const chunks: string[] = [];
    const csv = new CSVLogger('log.csv', { write: (t) => void chunks.push(t) });
    await m.fit(X, Y, { epochs: 3, verbose: 0, callbacks: [csv] });
    const lines = chunks.join('').trim().split('\n');
    expect(lines[0]).toBe('epoch,loss');
    expect(lines).toHaveLength(4);
    expect(lines[3]!.startsWith('2,')).toBe(true);
  });
});
