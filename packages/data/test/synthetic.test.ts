import { ArgumentError } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { blobs, circles, moons, regression, spiral, xor, type LabeledData } from '../src/index';
import { list } from './helpers';

const points = ({ xs, ys }: LabeledData): { x: number; y: number; c: number }[] => {
  const v = xs.dataSync();
  return list(ys.dataSync()).map((c, i) => ({ x: v[2 * i]!, y: v[2 * i + 1]!, c }));
};
const counts = (ys: ArrayLike<number>, k: number): number[] => {
  const out = new Array<number>(k).fill(0);
  for (let i = 0; i < ys.length; i++) out[ys[i]!]!++;
  return out;
};
const same = (a: LabeledData, b: LabeledData): boolean =>
  list(a.xs.dataSync()).join() === list(b.xs.dataSync()).join() &&
  list(a.ys.dataSync()).join() === list(b.ys.dataSync()).join();

describe.each([
  ['spiral', (seed: number) => spiral({ seed })],
  ['moons', (seed: number) => moons({ seed, noise: 0.1 })],
  ['circles', (seed: number) => circles({ seed, noise: 0.1 })],
  ['xor', (seed: number) => xor({ seed })],
  ['blobs', (seed: number) => blobs({ seed })],
  ['regression', (seed: number) => regression({ seed })],
] as const)('%s', (_name, make) => {
  it('is reproducible from its seed and differs between seeds', () => {
    expect(same(make(1), make(1))).toBe(true);
    expect(same(make(1), make(2))).toBe(false);
  });

  it('returns float32 features and one target per sample', () => {
    const { xs, ys } = make(0);
    expect(xs.dtype).toBe('float32');
    expect(xs.rank).toBe(2);
    expect(ys.shape[0]).toBe(xs.shape[0]);
  });
});

describe('spiral', () => {
  it('with no noise, arm j has radii evenly spaced in [0, 1] and angles 2πj/K + 4r', () => {
    const k = 4;
    const n = 50;
    const pts = points(spiral({ classes: k, samplesPerClass: n, noise: 0, shuffle: false, seed: 0 }));
    expect(pts).toHaveLength(k * n);
    expect(
      counts(
        pts.map((p) => p.c),
        k,
      ),
    ).toEqual([n, n, n, n]);
    pts.forEach((p, idx) => {
      const j = Math.floor(idx / n);
      const r = (idx % n) / (n - 1);
      expect(p.c).toBe(j);
      expect(Math.hypot(p.x, p.y)).toBeCloseTo(r, 5);
      if (r > 0.05) {
        const t = (2 * Math.PI * j) / k + 4 * r;
        expect(p.x).toBeCloseTo(r * Math.sin(t), 5);
        expect(p.y).toBeCloseTo(r * Math.cos(t), 5);
      }
    });
  });

  it('noise moves points along their arm only (the radius is kept)', () => {
    const pts = points(spiral({ samplesPerClass: 20, noise: 0.5, shuffle: false, seed: 3 }));
    pts.forEach((p, idx) => expect(Math.hypot(p.x, p.y)).toBeCloseTo((idx % 20) / 19, 5));
  });

  it('shuffles by default (classes mixed) and keeps the class balance', () => {
    const ys = list(spiral({ seed: 1 }).ys.dataSync());
    expect(counts(ys, 3)).toEqual([100, 100, 100]);
    expect(ys.slice(0, 100).every((c) => c === 0)).toBe(false);
  });
});

describe('moons and circles', () => {
  it('moons without noise: class 0 on the upper unit half circle, class 1 on the lower one shifted by (1, 0.5)', () => {
    const pts = points(moons({ samples: 101, seed: 0 }));
    expect(
      counts(
        pts.map((p) => p.c),
        2,
      ),
    ).toEqual([50, 51]);
    for (const p of pts) {
      if (p.c === 0) {
        expect(Math.hypot(p.x, p.y)).toBeCloseTo(1, 5);
        expect(p.y).toBeGreaterThanOrEqual(-1e-6);
      } else {
        expect(Math.hypot(p.x - 1, p.y - 0.5)).toBeCloseTo(1, 5);
        expect(p.y).toBeLessThanOrEqual(0.5 + 1e-6);
      }
    }
  });

  it('circles without noise: radius 1 for class 0 and `factor` for class 1', () => {
    const pts = points(circles({ samples: 200, factor: 0.3, seed: 0 }));
    expect(
      counts(
        pts.map((p) => p.c),
        2,
      ),
    ).toEqual([100, 100]);
    for (const p of pts) expect(Math.hypot(p.x, p.y)).toBeCloseTo(p.c === 0 ? 1 : 0.3, 5);
  });

  it('noise is Gaussian with the given deviation (radial spread of circles)', () => {
    const pts = points(circles({ samples: 4000, noise: 0.05, seed: 9 }));
    const dev = pts.map((p) => Math.hypot(p.x, p.y) - (p.c === 0 ? 1 : 0.8));
    const rms = Math.sqrt(dev.reduce((a, d) => a + d * d, 0) / dev.length);
    expect(rms).toBeGreaterThan(0.045);
    expect(rms).toBeLessThan(0.055);
  });

  it('rejects bad options', () => {
    expect(() => circles({ factor: 1 })).toThrow(ArgumentError);
    expect(() => moons({ samples: 1 })).toThrow(/samples/);
    expect(() => moons({ noise: -1 })).toThrow(/noise/);
  });
});

describe('xor', () => {
  it('labels 1 exactly where the signs differ, with points in [-1, 1]² and classes near half each', () => {
    const pts = points(xor({ samples: 2000, seed: 5 }));
    for (const p of pts) {
      expect(Math.abs(p.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(p.y)).toBeLessThanOrEqual(1);
      expect(p.c).toBe(p.x > 0 !== p.y > 0 ? 1 : 0);
    }
    const ones = pts.filter((p) => p.c === 1).length;
    expect(Math.abs(ones - 1000)).toBeLessThan(5 * Math.sqrt(2000 * 0.25)); // 5 binomial standard deviations
  });
});

describe('blobs', () => {
  it('each class scatters around its given center with the given deviation', () => {
    const centers = [
      [0, 0, 0],
      [10, -5, 2],
    ];
    const { xs, ys } = blobs({ samples: 3001, centers, clusterStd: 2, seed: 4 });
    expect(xs.shape).toEqual([3001, 3]);
    const y = list(ys.dataSync());
    expect(counts(y, 2)).toEqual([1501, 1500]);
    const v = xs.dataSync();
    centers.forEach((center, c) => {
      const rows = y.flatMap((cls, i) => (cls === c ? [i] : []));
      center.forEach((mu, j) => {
        const vals = rows.map((i) => v[i * 3 + j]!);
        const mean = vals.reduce((a, b) => a + b) / vals.length;
        const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length);
        expect(Math.abs(mean - mu)).toBeLessThan((5 * 2) / Math.sqrt(vals.length));
        expect(Math.abs(sd - 2)).toBeLessThan(0.2);
      });
    });
  });

  it('random centers fall inside centerBox', () => {
    const { xs } = blobs({ samples: 30, centers: 3, features: 4, clusterStd: 0, centerBox: [5, 6], seed: 0 });
    expect(xs.shape).toEqual([30, 4]);
    for (const x of xs.dataSync()) expect(x >= 5 && x <= 6).toBe(true);
  });
});

describe('regression', () => {
  it('without noise the targets are exactly xs · w + b, as [n, 1] float32', () => {
    const { xs, ys } = regression({ samples: 50, weights: [2, -3.4], bias: 4.2, noise: 0, seed: 0 });
    expect(ys.shape).toEqual([50, 1]);
    const x = xs.dataSync();
    ys.dataSync().forEach((y, i) => expect(y).toBeCloseTo(2 * x[2 * i]! - 3.4 * x[2 * i + 1]! + 4.2, 5));
  });

  it('least squares on noisy data recovers the weights and bias', () => {
    const { xs, ys } = regression({ samples: 2000, weights: [1.5], bias: -0.5, noise: 0.1, seed: 2 });
    const x = list(xs.dataSync());
    const y = list(ys.dataSync());
    const mx = x.reduce((a, b) => a + b) / x.length;
    const my = y.reduce((a, b) => a + b) / y.length;
    const slope =
      x.reduce((a, xi, i) => a + (xi - mx) * (y[i]! - my), 0) / x.reduce((a, xi) => a + (xi - mx) ** 2, 0);
    expect(slope).toBeCloseTo(1.5, 1);
    expect(my - slope * mx).toBeCloseTo(-0.5, 1);
    const resid = y.map((yi, i) => yi - (slope * x[i]! + my - slope * mx));
    expect(Math.sqrt(resid.reduce((a, r) => a + r * r, 0) / resid.length)).toBeCloseTo(0.1, 2);
  });

  it('default weights come from the seed, one per feature', () => {
    expect(regression({ features: 3, seed: 1 }).xs.shape).toEqual([100, 3]);
    expect(() => regression({ weights: [] })).toThrow(/weights/);
  });
});
