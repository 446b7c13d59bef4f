import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DTypeError,
  Generator,
  permutation,
  randomInt,
  randomNormal,
  randomUniform,
  setSeed,
  truncatedNormal,
} from '../index';
import { describeBackends } from '../testing/assert';

/**
 * The documented seeding and xoshiro128** written again with BigInt and masks, sharing no code with random.ts.
 * M32 keeps 32 bits; mul32 is C's uint32_t multiply.
 */
const M32 = 0xffffffffn;
const mul32 = (a: bigint, b: bigint) => (a * b) & M32;
const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M32;
function fmix(z: bigint): bigint {
  z = mul32(z ^ (z >> 16n), 0x85ebca6bn);
  z = mul32(z ^ (z >> 13n), 0xc2b2ae35n);
  return z ^ (z >> 16n);
}
function refStream(seed: number, n: number): number[] {
  const whole = BigInt(Math.trunc(seed));
  const u64 = whole & 0xffffffffffffffffn; // two's complement, like JavaScript's >>> on each half
  const lo = u64 & M32;
  const hi = (u64 >> 32n) & M32;
  const s = [0n, 1n, 2n, 3n].map((i) => {
    const w = fmix((lo + (i + 1n) * 0x9e3779b9n) & M32);
    return hi === 0n ? w : w ^ fmix((hi + (i + 1n) * 0x6a09e667n) & M32);
  });
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    out.push(Number(mul32(rotl(mul32(s[1]!, 5n), 7n), 9n)));
    const t = (s[1]! << 9n) & M32;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11n);
  }
  return out;
}

const draw = (g: Generator, n: number) => Array.from({ length: n }, () => g.nextUint32());
const moments = (v: ArrayLike<number>) => {
  const a = Array.from(v);
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  const c = (p: number) => a.reduce((s, x) => s + (x - m) ** p, 0) / a.length;
  return { mean: m, std: Math.sqrt(c(2)), skew: c(3) / c(2) ** 1.5, kurt: c(4) / c(2) ** 2 };
};

describe('Generator', () => {
  it('is xoshiro128**: state [0,1,2,3] gives the C reference implementation’s sequence', () => {
    const g = new Generator(0);
    g.setState([0, 1, 2, 3, NaN]);
    expect(draw(g, 10)).toEqual([
      5760, 17280, 2966400, 32451840, 2604340873, 3891234569, 1254043636, 216095511, 3291724652, 2070429911,
    ]);
  });

  it('seeds as documented, for small, negative and huge seeds', () => {
    for (const seed of [0, 1, 42, 2 ** 32 - 1, -1, -2, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, -(2 ** 53), 7.9]) {
      expect(draw(new Generator(seed), 6), `seed ${seed}`).toEqual(refStream(seed, 6));
    }
  });

  it('gives the same pinned numbers on every platform for seed 42', () => {
    const g = new Generator(42);
    expect(draw(g, 4)).toEqual([2837322924, 544945897, 479756282, 3500138142]);
    expect(g.uniform()).toBe(0.0791056456144914);
    expect(g.uniform()).toBe(0.015209237180418);
    expect(g.normal()).toBe(0.15178267621950975);
    expect(g.normal()).toBe(-0.12624145471928355);
    expect(g.int(0, 10)).toBe(1);
    expect(g.int(-5, 5)).toBe(-4);
  });

  it('gives distinct streams to distinct seeds (negative and ≥ 2³² included)', () => {
    const seen = new Set<string>();
    for (let s = -300; s <= 300; s++) seen.add(draw(new Generator(s), 2).join());
    for (let s = 0; s < 50; s++) seen.add(draw(new Generator(2 ** 32 + s), 2).join());
    expect(seen.size).toBe(601 + 50);
  });

  it('getState/setState resume exactly, including a pending normal', () => {
    const g = new Generator(5);
    g.normal();
    const saved = g.getState();
    const a = [g.normal(), g.normal(), g.uniform()];
    g.setState(saved);
    expect([g.normal(), g.normal(), g.uniform()]).toEqual(a);
    expect(() => g.setState([1, 2])).toThrow(ArgumentError);
  });

  it('int is unbiased over a range that does not divide 2³² (chi-square, 9 dof)', () => {
    const g = new Generator(3);
    const counts = new Array<number>(10).fill(0);
    const n = 20000;
    for (let i = 0; i < n; i++) counts[g.int(0, 10)]!++;
    const chi2 = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9); // p = 0.001
    expect(() => g.int(0, 2 ** 32 + 1)).toThrow(ArgumentError);
    expect(() => new Generator(NaN)).toThrow(/Generator: seed must be a finite number/);
  });
});

describeBackends('random ops', () => {
  it('are deterministic for a seed and continue a shared generator', () => {
    expect(Array.from(randomNormal([5], { seed: 9 }).dataSync())).toEqual(
      Array.from(randomNormal([5], { seed: 9 }).dataSync()),
    );
    const g = new Generator(9);
    const a = randomUniform([3], { generator: g }).dataSync();
    const b = randomUniform([3], { generator: g }).dataSync();
    expect(Array.from(a)).not.toEqual(Array.from(b));
    setSeed(11);
    const c = randomInt([4], 0, 100).dataSync();
    setSeed(11);
    expect(Array.from(randomInt([4], 0, 100).dataSync())).toEqual(Array.from(c));
  });

  it('pins randomUniform / randomNormal values for seed 1 (float64)', () => {
    const g = new Generator(1);
    const u = [g.uniform(), g.uniform()];
    expect(
      Array.from(randomUniform([2], { seed: 1, dtype: 'float64', minval: 2, maxval: 4 }).dataSync()),
    ).toEqual(u.map((v) => 2 + 2 * v));
    const h = new Generator(1);
    const z = [h.normal(), h.normal(), h.normal()];
    expect(
      Array.from(randomNormal([3], { seed: 1, dtype: 'float64', mean: 1, stddev: 3 }).dataSync()),
    ).toEqual(z.map((v) => 1 + 3 * v));
  });

  it('randomUniform: [minval, maxval), mean and variance of U(a, b)', () => {
    const x = randomUniform([20000], { seed: 2, minval: -1, maxval: 3 }).dataSync();
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...x)).toBeLessThan(3);
    const m = moments(x);
    expect(m.mean).toBeCloseTo(1, 1); // sd of the mean ≈ 0.008
    expect(m.std).toBeCloseTo(4 / Math.sqrt(12), 1);
  });

  it('randomUniform never returns maxval, even when float32 rounding would land on it', () => {
    // Between 1 and the next float32 up, half the float64 draws round up to maxval.
    const top = 1 + 2 ** -23;
    const x = randomUniform([2000], { seed: 4, minval: 1, maxval: top }).dataSync();
    expect(x.every((v) => v === 1)).toBe(true);
    const y = randomUniform([2000], {
      seed: 4,
      minval: 1,
      maxval: 1 + 2 ** -52,
      dtype: 'float64',
    }).dataSync();
    expect(y.every((v) => v === 1)).toBe(true);
  });

  it('randomNormal: mean, std, skewness 0 and kurtosis 3', () => {
    const m = moments(randomNormal([20000], { seed: 6, mean: 2, stddev: 0.5 }).dataSync());
    expect(m.mean).toBeCloseTo(2, 1);
    expect(m.std).toBeCloseTo(0.5, 1);
    expect(Math.abs(m.skew)).toBeLessThan(0.1);
    expect(Math.abs(m.kurt - 3)).toBeLessThan(0.15);
  });

  it('truncatedNormal: within two standard deviations, std ≈ 0.8796·stddev', () => {
    const x = truncatedNormal([20000], { seed: 8, stddev: 2 }).dataSync();
    expect(Math.max(...Array.from(x, Math.abs))).toBeLessThanOrEqual(4);
    const m = moments(x);
    expect(m.mean).toBeCloseTo(0, 1);
    expect(m.std / 2).toBeCloseTo(0.8796, 2);
  });

  it('randomInt covers [low, high) uniformly; permutation is a shuffled 0…n−1', () => {
    const x = randomInt([12000], -3, 3, { seed: 10 });
    expect(x.dtype).toBe('int32');
    const counts = new Map<number, number>();
    for (const v of x.dataSync()) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2]);
    for (const c of counts.values()) expect(Math.abs(c - 2000)).toBeLessThan(200);
    const p = permutation(50, { seed: 1 });
    expect(p.dtype).toBe('int32');
    expect(Array.from(p.dataSync()).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(p.dataSync())).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(permutation(0).shape).toEqual([0]);
    expect(Array.from(permutation(10, { seed: 3 }).dataSync())).toEqual(
      Array.from(permutation(10, { seed: 3 }).dataSync()),
    );
  });

  it('permutation puts each value at each position equally often', () => {
    const g = new Generator(12);
    const hits = new Array<number>(4).fill(0);
    for (let i = 0; i < 4000; i++) hits[permutation(4, { generator: g }).dataSync().indexOf(0)]!++;
    for (const h of hits) expect(Math.abs(h - 1000)).toBeLessThan(120);
  });

  it('validates shapes, bounds and dtypes', () => {
    expect(() => randomUniform([2], { minval: 1, maxval: 1 })).toThrow(
      /randomUniform: need finite minval < maxval/,
    );
    expect(() => randomUniform([2], { minval: -Infinity })).toThrow(ArgumentError);
    expect(() => randomUniform([2], { minval: 0.1, maxval: 0.1 + 1e-12 })).toThrow(
      /no float32 value lies in/,
    );
    expect(() => randomUniform([2], { dtype: 'int32' })).toThrow(DTypeError);
    expect(() => randomNormal([-1])).toThrow(/randomNormal: invalid shape/);
    expect(() => randomNormal([1], { stddev: -1 })).toThrow(ArgumentError);
    expect(() => randomInt([1], 2, 2)).toThrow(/randomInt: low \(2\) must be < high \(2\)/);
    expect(() => randomInt([1], 0, 2 ** 31 + 1)).toThrow(/must be ≤ 2³¹/);
    expect(() => randomInt([1], 0.5, 2)).toThrow(ArgumentError);
    expect(() => permutation(-1)).toThrow(ArgumentError);
  });
});
