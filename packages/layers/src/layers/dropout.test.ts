import { describe, expect, it } from 'vitest';
import type { Tensor } from '@backprop/core-tensor';
import { ones, randomUniform, sum } from '@backprop/core-tensor';
import { grad } from '@backprop/autograd';
import { runLayerTest } from '../testing';
import { Dropout } from './index';

const N = 100_000;

/** Fraction of zeros and mean of a dropout output over N ones. */
function stats(y: Float32Array | Float64Array | Int32Array | Uint8Array): { dropped: number; mean: number } {
  let zeros = 0;
  let total = 0;
  for (const v of y) {
    if (v === 0) zeros++;
    total += v;
  }
  return { dropped: zeros / y.length, mean: total / y.length };
}

describe('Dropout', () => {
  it('passes runLayerTest (training-mode gradcheck skipped: masks are random)', () => {
    const r = runLayerTest(() => new Dropout({ rate: 0.5, seed: 1 }), {
      inputShape: [4, 5],
      randomInTraining: true,
      expectedOutputShape: [4, 5],
      expectedNumTrainableWeights: 0,
    });
    expect(r.gradchecked).toEqual(['inference']);
  });

  it.each([0.1, 0.3, 0.5, 0.8])(
    'drops a fraction ≈ rate %f of 1e5 units and preserves the expectation',
    (rate) => {
      const y = new Dropout({ rate, seed: 7 }).apply(ones([N]), { training: true }).dataSync();
      const { dropped, mean } = stats(y);
      // Binomial: sd of the dropped fraction is sqrt(rate(1−rate)/N) ≤ 0.0016; allow 4 sd. The mean of
      // mask/(1−rate) has sd sqrt(rate/((1−rate)N)) ≤ 0.0064 (rate 0.8); allow 4 sd of each.
      expect(Math.abs(dropped - rate)).toBeLessThan(4 * Math.sqrt((rate * (1 - rate)) / N));
      expect(Math.abs(mean - 1)).toBeLessThan(4 * Math.sqrt(rate / ((1 - rate) * N)));
      // Kept units are scaled by exactly 1/(1 − rate) (inverted dropout).
      const kept = Array.from(y).find((v) => v !== 0)!;
      expect(kept).toBeCloseTo(1 / (1 - rate), 6);
      expect(new Set(y).size).toBe(2);
    },
  );

  it('is the identity at inference (and by default)', () => {
    const x = randomUniform([3, 4], { seed: 2 });
    const d = new Dropout({ rate: 0.5, seed: 1 });
    expect(Array.from(d.apply(x, { training: false }).dataSync())).toEqual(Array.from(x.dataSync()));
    expect(Array.from(d.apply(x).dataSync())).toEqual(Array.from(x.dataSync()));
  });

  it('repeats its masks for the same seed, differs across seeds and across calls', () => {
    const x = ones([1000]);
    const mask = (d: Dropout) => Array.from(d.apply(x, { training: true }).dataSync());
    const a = new Dropout({ rate: 0.5, seed: 3 });
    const b = new Dropout({ rate: 0.5, seed: 3 });
    const first = mask(a);
    expect(mask(b)).toEqual(first);
    expect(mask(new Dropout({ rate: 0.5, seed: 4 }))).not.toEqual(first);
    expect(mask(a)).not.toEqual(first);
  });

  it('passes the gradient through the kept units, scaled like the values', () => {
    // Two layers with one seed draw the same mask: one gives the output, the other the gradient of its sum.
    const x = ones([200]);
    const y = new Dropout({ rate: 0.4, seed: 5 }).apply(x, { training: true });
    const layer = new Dropout({ rate: 0.4, seed: 5 });
    const g = grad((t: Tensor) => sum(layer.apply(t, { training: true })))(x);
    expect(Array.from(g.dataSync())).toEqual(Array.from(y.dataSync()));
  });

  it('shares one mask value along the axes noiseShape sets to 1', () => {
    const y = new Dropout({ rate: 0.5, seed: 6, noiseShape: [null, 1] }).apply(ones([500, 8]), {
      training: true,
    });
    const rows = y.arraySync() as number[][];
    for (const row of rows) expect(new Set(row).size).toBe(1);
    const droppedRows = rows.filter((r) => r[0] === 0).length;
    expect(droppedRows).toBeGreaterThan(200);
    expect(droppedRows).toBeLessThan(300);
  });

  it('rejects rates outside [0, 1) and a noiseShape of the wrong rank', () => {
    expect(() => new Dropout({ rate: 1 })).toThrow(/rate must be in \[0, 1\)/);
    expect(() => new Dropout({ rate: -0.1 })).toThrow(/rate/);
    expect(() => new Dropout({ name: 'dr', rate: 0.5, noiseShape: [1] }).apply(ones([2, 3]))).toThrow(
      /dr \(Dropout\): noiseShape \[1\] must have the input's rank 2/,
    );
  });

  it('is the identity when rate is 0, even while training', () => {
    const x = randomUniform([10], { seed: 1 });
    expect(Array.from(new Dropout({ rate: 0 }).apply(x, { training: true }).dataSync())).toEqual(
      Array.from(x.dataSync()),
    );
  });
});
