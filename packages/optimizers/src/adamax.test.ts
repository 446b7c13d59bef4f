import { describe, expect, it } from 'vitest';
import { Adamax } from './adamax';
import { expectMoves, expectTrajectory, referenceTrajectory, trajectory } from './testing/trajectory';

/** Kingma & Ba's Algorithm 2 (AdaMax), with Keras' ε added to u. */
function reference(lr: number, b1: number, b2: number, eps: number) {
  return referenceTrajectory((w, g, t, s) => {
    s.m = b1 * (s.m ?? 0) + (1 - b1) * g;
    s.u = Math.max(b2 * (s.u ?? 0), Math.abs(g));
    return w - (lr / (1 - b1 ** t)) * (s.m / (s.u + eps));
  });
}

describe('Adamax', () => {
  it('follows the paper’s algorithm (float64 and float32)', () => {
    const ref = reference(0.02, 0.9, 0.999, 1e-7);
    expectMoves(ref);
    expectTrajectory(trajectory(new Adamax({ learningRate: 0.02 }), 'float64'), ref, 1e-11);
    expectTrajectory(trajectory(new Adamax({ learningRate: 0.02 }), 'float32'), ref, 2e-5, 1e-6);
  });

  it('honours beta1, beta2 and ε', () => {
    const make = () => new Adamax({ learningRate: 0.05, beta1: 0.6, beta2: 0.5, epsilon: 0.05 });
    expectTrajectory(trajectory(make(), 'float64'), reference(0.05, 0.6, 0.5, 0.05), 1e-11);
  });

  it('has Keras’ defaults', () => {
    expect(new Adamax().getConfig()).toMatchObject({
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
  });
});
