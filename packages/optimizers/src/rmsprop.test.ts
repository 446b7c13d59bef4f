import { describe, expect, it } from 'vitest';
import { RMSprop } from './rmsprop';
import { expectMoves, expectTrajectory, referenceTrajectory, trajectory } from './testing/trajectory';

interface Opts {
  lr: number;
  rho: number;
  momentum: number;
  eps: number;
  centered: boolean;
}

/** Hinton's RMSprop with ε inside the square root (Keras' placement), centered and momentum variants. */
function reference(o: Opts) {
  return referenceTrajectory((w, g, _t, s) => {
    s.ms = o.rho * (s.ms ?? 0) + (1 - o.rho) * g * g;
    let denom = s.ms + o.eps;
    if (o.centered) {
      s.mg = o.rho * (s.mg ?? 0) + (1 - o.rho) * g;
      denom = s.ms - s.mg * s.mg + o.eps;
    }
    const step = (o.lr * g) / Math.sqrt(denom);
    if (o.momentum > 0) {
      s.buf = o.momentum * (s.buf ?? 0) + step;
      return w - s.buf;
    }
    return w - step;
  });
}

const variants: [string, Opts][] = [
  ['plain', { lr: 0.01, rho: 0.9, momentum: 0, eps: 1e-7, centered: false }],
  ['centered', { lr: 0.01, rho: 0.8, momentum: 0, eps: 1e-7, centered: true }],
  ['with momentum', { lr: 0.01, rho: 0.9, momentum: 0.7, eps: 1e-7, centered: false }],
  ['centered with momentum and a large ε', { lr: 0.02, rho: 0.85, momentum: 0.5, eps: 0.01, centered: true }],
];

describe('RMSprop', () => {
  for (const [name, o] of variants) {
    it(`${name} follows the reference (float64 and float32)`, () => {
      const make = () =>
        new RMSprop({
          learningRate: o.lr,
          rho: o.rho,
          momentum: o.momentum,
          epsilon: o.eps,
          centered: o.centered,
        });
      const ref = reference(o);
      expectMoves(ref);
      expectTrajectory(trajectory(make(), 'float64'), ref, 1e-11);
      expectTrajectory(trajectory(make(), 'float32'), ref, 2e-5, 1e-6);
    });
  }

  it('puts ε inside the square root: PyTorch’s √v + ε gives a different trajectory', () => {
    const torch = referenceTrajectory((w, g, _t, s) => {
      s.ms = 0.9 * (s.ms ?? 0) + 0.1 * g * g;
      return w - (0.01 * g) / (Math.sqrt(s.ms) + 0.01);
    });
    const got = trajectory(new RMSprop({ learningRate: 0.01, epsilon: 0.01 }), 'float64');
    expect(() => expectTrajectory(got, torch, 1e-6)).toThrow();
  });

  it('has Keras’ defaults', () => {
    expect(new RMSprop().getConfig()).toMatchObject({
      learningRate: 0.001,
      rho: 0.9,
      momentum: 0,
      epsilon: 1e-7,
      centered: false,
    });
  });
});
