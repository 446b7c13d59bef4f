import type { Tensor } from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import { variable } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { Adadelta } from './adadelta';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { Adamax } from './adamax';
import { AdamW } from './adamw';
import { Nadam } from './nadam';
import type { Optimizer } from './optimizer';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';

/** mulberry32: test data from a PRNG that is not the library's. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('convergence on linear regression (y = 2x₁ − 3x₂ + 0.5x₃ + 1, 64 samples, MSE)', () => {
  const r = rng(1);
  const rows = Array.from({ length: 64 }, () => [r() * 2 - 1, r() * 2 - 1, r() * 2 - 1]);
  const x = tensor(rows, undefined, 'float64');
  const y = tensor(
    rows.map(([a, b, c]) => [2 * a! - 3 * b! + 0.5 * c! + 1]),
    undefined,
    'float64',
  );

  // Learning rates are tuned per method (Keras' defaults are made for deep nets and would need thousands of steps).
  const cases: [string, () => Optimizer, number][] = [
    ['SGD', () => new SGD({ learningRate: 0.1 }), 300],
    ['SGD with momentum', () => new SGD({ learningRate: 0.05, momentum: 0.9 }), 300],
    ['SGD with Nesterov momentum', () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }), 300],
    ['RMSprop', () => new RMSprop({ learningRate: 0.01 }), 400],
    [
      'RMSprop centered with momentum',
      () => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.5 }),
      300,
    ],
    ['Adam', () => new Adam({ learningRate: 0.1 }), 300],
    ['Adam with AMSGrad', () => new Adam({ learningRate: 0.1, amsgrad: true }), 300],
    ['AdamW', () => new AdamW({ learningRate: 0.1, weightDecay: 1e-4 }), 300],
    ['Adagrad', () => new Adagrad({ learningRate: 0.5 }), 300],
    ['Adadelta', () => new Adadelta({ learningRate: 1, epsilon: 1e-4 }), 300],
    ['Adamax', () => new Adamax({ learningRate: 0.1 }), 300],
    ['Nadam', () => new Nadam({ learningRate: 0.1 }), 300],
  ];

  for (const [name, make, steps] of cases) {
    it(`${name} fits the weights`, () => {
      const w = variable(tensor([[0], [0], [0]], undefined, 'float64'));
      const b = variable(tensor([0], undefined, 'float64'));
      const opt = make();
      const loss = () => x.matmul(w).add(b).sub(y).square().mean();
      let first = Number.NaN;
      let last = Number.NaN;
      for (let i = 0; i < steps; i++) {
        const l: Tensor = opt.minimize(loss, [w, b]);
        if (i === 0) first = l.item();
        last = l.item();
        l.dispose();
      }
      expect(first).toBeGreaterThan(1);
      expect(last).toBeLessThan(1e-3);
      [2, -3, 0.5].forEach((want, i) => expect(Math.abs(w.dataSync()[i]! - want)).toBeLessThan(0.05));
      expect(Math.abs(b.item() - 1)).toBeLessThan(0.05);
    });
  }
});

describe('convergence on the Rosenbrock function (1 − x)² + 100(y − x²)², from (−1.5, 2)', () => {
  // A long curved valley: gradients across it are ~100× those along it, the case per-parameter scaling is for.
  const rosenbrock = (p: Tensor) => {
    const [x, y] = p.split(2) as [Tensor, Tensor];
    return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100)).sum();
  };

  const cases: [string, () => Optimizer, number][] = [
    ['Adam', () => new Adam({ learningRate: 0.1 }), 1500],
    ['RMSprop with momentum', () => new RMSprop({ learningRate: 0.001, momentum: 0.9 }), 2000],
  ];

  for (const [name, make, steps] of cases) {
    it(`${name} reaches the minimum at (1, 1)`, { timeout: 30_000 }, () => {
      const p = variable(tensor([-1.5, 2], undefined, 'float64'));
      const opt = make();
      let last = Number.NaN;
      for (let i = 0; i < steps; i++) {
        const l = opt.minimize(() => rosenbrock(p));
        last = l.item();
        l.dispose();
      }
      expect(last).toBeLessThan(1e-4);
      const [px, py] = p.dataSync();
      expect(Math.abs(px! - 1)).toBeLessThan(0.01);
      expect(Math.abs(py! - 1)).toBeLessThan(0.01);
    });
  }
});
