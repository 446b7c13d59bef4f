import { ArgumentError, DTypeError, setSeed } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import {
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  randomNormal,
  randomUniform,
  truncatedNormal,
} from './random';
import { expectMoments } from './testing/stats';

// Variance of a standard normal truncated to [−2, 2]: 1 − 4φ(2)/(2Φ(2) − 1), computed independently of the code.
const TRUNC_VAR = 1 - (4 * Math.exp(-2)) / Math.sqrt(2 * Math.PI) / 0.9544997361036416;

describe('randomUniform', () => {
  it('defaults to Keras’ ±0.05 and matches the uniform mean and variance (b−a)²/12', () => {
    const v = randomUniform({ seed: 1 }).call([400, 250]).dataSync();
    const m = expectMoments(v, { mean: 0, variance: 0.1 ** 2 / 12 });
    expect(m.min).toBeGreaterThanOrEqual(-0.05);
    expect(m.max).toBeLessThan(0.05);
  });

  it('samples [minval, maxval)', () => {
    const v = randomUniform({ minval: 2, maxval: 5, seed: 2 }).call([100_000], 'float64').dataSync();
    const m = expectMoments(v, { mean: 3.5, variance: 9 / 12 });
    expect(m.min).toBeGreaterThanOrEqual(2);
    expect(m.max).toBeLessThan(5);
  });

  it('rejects minval ≥ maxval', () => {
    expect(() => randomUniform({ minval: 1, maxval: 1 })).toThrow(ArgumentError);
  });
});

describe('randomNormal', () => {
  it('defaults to mean 0 and Keras’ stddev 0.05', () => {
    const init = new RandomNormal();
    expect(init.getConfig()).toEqual({ mean: 0, stddev: 0.05, seed: null });
    expectMoments(init.call([100_000]).dataSync(), { mean: 0, variance: 0.05 ** 2 });
  });

  it('matches the requested mean and variance', () => {
    const v = randomNormal({ mean: 1, stddev: 2, seed: 3 }).call([200, 500]).dataSync();
    expectMoments(v, { mean: 1, variance: 4 });
  });

  it('rejects a negative stddev', () => {
    expect(() => randomNormal({ stddev: -1 })).toThrow(/stddev must be ≥ 0/);
  });
});

describe('truncatedNormal', () => {
  it('keeps every sample within two standard deviations, with the truncated variance', () => {
    const v = truncatedNormal({ mean: 0.5, stddev: 2, seed: 4 }).call([100_000], 'float64').dataSync();
    const m = expectMoments(v, { mean: 0.5, variance: 4 * TRUNC_VAR });
    expect(m.min).toBeGreaterThanOrEqual(0.5 - 4);
    expect(m.max).toBeLessThanOrEqual(0.5 + 4);
    expect(new TruncatedNormal().stddev).toBe(0.05);
  });
});

describe('seeding', () => {
  const makers = [
    (seed?: number) => new RandomUniform({ seed }),
    (seed?: number) => new RandomNormal({ seed }),
    (seed?: number) => new TruncatedNormal({ seed }),
  ];

  it('gives the same values for the same seed, on every call (Keras 3 semantics)', () => {
    for (const make of makers) {
      const a = make(42);
      const first = [...a.call([50]).dataSync()];
      expect([...a.call([50]).dataSync()]).toEqual(first);
      expect([...make(42).call([50]).dataSync()]).toEqual(first);
      expect([...make(43).call([50]).dataSync()]).not.toEqual(first);
    }
  });

  it('draws from the global generator without a seed, so setSeed makes it reproducible', () => {
    for (const make of makers) {
      const init = make();
      setSeed(7);
      const a = [...init.call([20]).dataSync()];
      const b = [...init.call([20]).dataSync()];
      expect(b).not.toEqual(a); // the global stream moves on
      setSeed(7);
      expect([...init.call([20]).dataSync()]).toEqual(a);
    }
  });

  it('refuses integer dtypes for random values', () => {
    expect(() => randomNormal({ seed: 1 }).call([2], 'int32')).toThrow(DTypeError);
  });

  it('rejects a seed that is not a finite number', () => {
    expect(() => randomNormal({ seed: Number.NaN })).toThrow(ArgumentError);
  });
});
