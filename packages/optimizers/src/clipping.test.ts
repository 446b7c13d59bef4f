import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, tensor } from '@backprop/core-tensor';
import { variable } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { clipByGlobalNorm, clipByNorm, clipByValue, globalNorm } from './clipping';
import { SGD } from './sgd';

const f64 = (v: number[]) => tensor(v, undefined, 'float64');
const vals = (t: Tensor) => [...t.dataSync()];
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0) / (norm(a) * norm(b));

describe('clipByValue', () => {
  it('clamps symmetrically with one bound and to [min, max] with two', () => {
    expect(vals(clipByValue(f64([-3, 0.5, 2]), 1))).toEqual([-1, 0.5, 1]);
    expect(vals(clipByValue(f64([-3, 0.5, 2]), -2, 0))).toEqual([-2, 0, 0]);
  });

  it('rejects a non-positive bound and min > max', () => {
    expect(() => clipByValue(f64([1]), 0)).toThrow(ArgumentError);
    expect(() => clipByValue(f64([1]), 1, -1)).toThrow(/min \(1\) must be ≤ max \(-1\)/);
  });
});

describe('clipByNorm', () => {
  it('rescales a tensor whose norm exceeds the limit to exactly the limit, keeping its direction', () => {
    const out = vals(clipByNorm(f64([3, 4]), 1)); // norm 5
    expect(out[0]).toBeCloseTo(0.6, 15);
    expect(out[1]).toBeCloseTo(0.8, 15);
  });

  it('leaves a tensor within the limit unchanged, and zeros without NaN', () => {
    expect(vals(clipByNorm(f64([3, 4]), 10))).toEqual([3, 4]);
    expect(vals(clipByNorm(f64([0, 0]), 1))).toEqual([0, 0]);
  });
});

describe('clipByGlobalNorm', () => {
  const a = [3, 4]; // norm 5
  const b = [0, 12]; // norm 12; together √(25 + 144) = 13

  it('returns the norm of all gradients as one vector and scales each by clip / norm', () => {
    const { grads, globalNorm: n } = clipByGlobalNorm([f64(a), f64(b)], 6.5);
    expect(n).toBe(13);
    expect(vals(grads[0]!)).toEqual(a.map((x) => x * 0.5));
    expect(vals(grads[1]!)).toEqual(b.map((x) => x * 0.5));
    expect(globalNorm(grads)).toBeCloseTo(6.5, 14);
  });

  it('keeps the direction of the whole update; per-tensor clipping does not', () => {
    const before = [...a, ...b];
    const global = clipByGlobalNorm([f64(a), f64(b)], 2).grads.flatMap(vals);
    expect(cosine(global, before)).toBeCloseTo(1, 14);
    const perTensor = [clipByNorm(f64(a), 2), clipByNorm(f64(b), 2)].flatMap(vals);
    expect(cosine(perTensor, before)).toBeLessThan(0.95); // a's share grew from 5/13 to 1/2 of the norm
  });

  it('leaves gradients within the limit unchanged', () => {
    const { grads } = clipByGlobalNorm([f64(a), f64(b)], 100);
    expect(grads.flatMap(vals)).toEqual([...a, ...b]);
  });

  it('turns every gradient into NaN when the norm is not finite (as Keras does), so the problem is visible', () => {
    const { grads, globalNorm: n } = clipByGlobalNorm([f64([Number.POSITIVE_INFINITY, 1]), f64([1])], 1);
    expect(n).toBe(Number.POSITIVE_INFINITY);
    expect(grads.flatMap(vals).every(Number.isNaN)).toBe(true);
  });
});

describe('clipping inside the optimizer', () => {
  // SGD with lr = 1 turns each gradient straight into −update, so the applied update shows the clipped gradient.
  const run = (options: ConstructorParameters<typeof SGD>[0]) => {
    const x = variable(f64([0, 0]));
    const y = variable(f64([0, 0]));
    new SGD({ learningRate: 1, ...options }).applyGradients([
      [f64(a), x],
      [f64(b), y],
    ]);
    return [...vals(x), ...vals(y)].map((v) => 0 - v); // 0 − v, not −v: no −0
  };
  const a = [3, 4];
  const b = [0, 12];

  it('clipnorm clips each tensor on its own', () => {
    const u = run({ clipnorm: 6 });
    expect(u.map((v) => +v.toFixed(12))).toEqual([3, 4, 0, 6]);
  });

  it('globalClipnorm clips all together', () => {
    const u = run({ globalClipnorm: 6.5 });
    expect(u).toEqual([1.5, 2, 0, 6]);
  });

  it('clipvalue clamps elements', () => {
    expect(run({ clipvalue: 3.5 })).toEqual([3, 3.5, 0, 3.5]);
  });
});
