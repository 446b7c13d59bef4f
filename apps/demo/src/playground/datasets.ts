import { data } from 'backprop';
import type { PlaygroundConfig } from './config';
import { classCount } from './config';

/** Points scaled into [-1, 1]² and integer labels, split into train and test. */
export interface Points2D {
  /** x0, y0, x1, y1, … */
  train: { xs: Float32Array; ys: Int32Array };
  test: { xs: Float32Array; ys: Int32Array };
  classes: number;
}

function raw(c: PlaygroundConfig): { xs: Float32Array; ys: Int32Array } {
  const seed = c.seed;
  const k = classCount(c);
  let d;
  switch (c.dataset) {
    case 'spiral':
      d = data.spiral({ classes: k, samplesPerClass: Math.ceil(c.samples / k), noise: c.noise, seed });
      break;
    case 'circles':
      d = data.circles({ samples: c.samples, noise: c.noise * 0.5, factor: 0.5, seed });
      break;
    case 'moons':
      d = data.moons({ samples: c.samples, noise: c.noise, seed });
      break;
    case 'xor':
      d = data.xor({ samples: c.samples, noise: c.noise, seed });
      break;
    case 'gaussian':
      d = data.blobs({ samples: c.samples, centers: k, clusterStd: 0.5 + 4 * c.noise, seed });
      break;
  }
  return { xs: Float32Array.from(d.xs.dataSync()), ys: Int32Array.from(d.ys.dataSync()) };
}

/** Own data (a user's CSV): scaled and split like the built-in sets. */
export function splitPoints(xs: Float32Array, ys: Int32Array, testFraction: number, seed: number): Points2D {
  const n = ys.length;
  let lo0 = Infinity;
  let hi0 = -Infinity;
  let lo1 = Infinity;
  let hi1 = -Infinity;
  for (let i = 0; i < n; i++) {
    lo0 = Math.min(lo0, xs[2 * i]!);
    hi0 = Math.max(hi0, xs[2 * i]!);
    lo1 = Math.min(lo1, xs[2 * i + 1]!);
    hi1 = Math.max(hi1, xs[2 * i + 1]!);
  }
  const c0 = (lo0 + hi0) / 2;
  const c1 = (lo1 + hi1) / 2;
  const half = Math.max(hi0 - lo0, hi1 - lo1, 1e-9) / 2;
  // A seeded permutation (mulberry32) decides the split, so the same seed gives the same test set.
  let s = seed >>> 0 || 1;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nTest = Math.max(1, Math.round(n * testFraction));
  const part = (idx: number[]): { xs: Float32Array; ys: Int32Array } => {
    const px = new Float32Array(idx.length * 2);
    const py = new Int32Array(idx.length);
    idx.forEach((i, j) => {
      px[2 * j] = (xs[2 * i]! - c0) / half;
      px[2 * j + 1] = (xs[2 * i + 1]! - c1) / half;
      py[j] = ys[i]!;
    });
    return { xs: px, ys: py };
  };
  let classes = 0;
  for (let i = 0; i < n; i++) classes = Math.max(classes, ys[i]! + 1);
  return { train: part(order.slice(nTest)), test: part(order.slice(0, nTest)), classes };
}

export function makePoints(c: PlaygroundConfig): Points2D {
  const { xs, ys } = raw(c);
  const p = splitPoints(xs, ys, c.testFraction, c.seed);
  return { ...p, classes: Math.max(p.classes, classCount(c)) };
}
