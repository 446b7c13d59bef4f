import { describe, expect, it } from 'vitest';
import { Rng, mixSeeds } from '../src/random';
import { chiSquareUniform } from './helpers';

describe('Rng (xoshiro128** seeded by splitmix32)', () => {
  // Reference outputs from the authors' C code (prng.di.unimi.it/xoshiro128starstar.c), state filled by four
  // splitmix32 outputs, compiled with gcc: independent of this implementation.
  it.each([
    [0, [1789933344, 44971166, 2521387044, 3848737593, 1138324114, 749234105]],
    [42, [660444221, 3652823732, 77672526, 910233633, 2297337756, 3786072677]],
    [4294967295, [4104197751, 1825856343, 1152209388, 2427537429, 3685145430, 609215610]],
  ])('seed %i reproduces the reference C sequence', (seed, expected) => {
    const rng = new Rng(seed);
    expect(expected.map(() => rng.nextUint32())).toEqual(expected);
  });

  it('the same seed gives the same sequence; different seeds differ', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xs = Array.from({ length: 5 }, () => a.random());
    expect(Array.from({ length: 5 }, () => b.random())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.random())).not.toEqual(xs);
  });

  it('seeds beyond 32 bits and fractional seeds are accepted and stay distinct', () => {
    const big = new Rng(2 ** 40).nextUint32();
    expect(new Rng(2 ** 40 + 1).nextUint32()).not.toBe(big);
    expect(new Rng(2 ** 40).nextUint32()).toBe(big);
    expect(() => new Rng(NaN)).toThrow(RangeError);
  });

  it('random() stays in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Rng(1);
    const n = 100_000;
    let sum = 0;
    let sq = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const u = rng.random();
      min = Math.min(min, u);
      max = Math.max(max, u);
      sum += u;
      sq += u * u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // Standard errors: sqrt(1/12/n) ≈ 0.0009 for the mean; tolerance ≈ 5 standard errors.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sq / n - (sum / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
  });

  it('int(n) is uniform: chi-square over 10 bins below the 0.1 % critical value 27.88 (9 dof)', () => {
    const rng = new Rng(3);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[rng.int(10)]!++;
    expect(chiSquareUniform(counts)).toBeLessThan(27.88);
  });

  it('int(n) is unbiased where modulo folding would not be (n = 3·2^30)', () => {
    // With r % n, values below 2^30 would be twice as likely as the others (2/4 of draws instead of 1/3).
    const rng = new Rng(4);
    const n = 3 * 2 ** 30;
    let low = 0;
    const draws = 30_000;
    for (let i = 0; i < draws; i++) if (rng.int(n) < 2 ** 30) low++;
    expect(Math.abs(low / draws - 1 / 3)).toBeLessThan(0.015); // 5.5 standard errors (0.0027)
  });

  it('normal() has the requested mean and standard deviation', () => {
    const rng = new Rng(5);
    const n = 100_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal(3, 2);
      sum += z;
      sq += z * z;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sq / n - mean * mean);
    expect(Math.abs(mean - 3)).toBeLessThan(0.03); // standard error 2/√n ≈ 0.0063
    expect(Math.abs(sd - 2)).toBeLessThan(0.03); // standard error ≈ 2/√(2n) ≈ 0.0045
  });

  it('permutation(n) holds every index exactly once', () => {
    const p = new Rng(6).permutation(1000);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect([...p]).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('rejects a bad bound for int()', () => {
    expect(() => new Rng(0).int(0)).toThrow(RangeError);
    expect(() => new Rng(0).int(2.5)).toThrow(RangeError);
  });

  it('mixSeeds separates its inputs', () => {
    const seen = new Set<number>();
    for (let s = 0; s < 50; s++) for (let pass = 0; pass < 50; pass++) seen.add(mixSeeds(s, pass));
    expect(seen.size).toBe(2500);
    expect(mixSeeds(1, 2)).toBe(mixSeeds(1, 2));
    expect(mixSeeds(1, 2)).not.toBe(mixSeeds(2, 1));
  });
});
