import { describe, expect, it } from 'vitest';
import { Adam } from './adam';
import { Nadam } from './nadam';
import { expectMoves, expectTrajectory, referenceTrajectory, trajectory } from './testing/trajectory';

/**
 * Dozat (2016), Algorithm 2, with the momentum schedule μₜ = β₁(1 − ½·0.96ᵗ) that Keras uses:
 * m̂ = μₜ₊₁·m/(1 − Π_{i≤t+1} μᵢ) + (1 − μₜ)·g/(1 − Π_{i≤t} μᵢ), v̂ = v/(1 − β₂ᵗ), w ← w − lr·m̂/(√v̂ + ε).
 */
function reference(lr: number, b1: number, b2: number, eps: number, steps?: number) {
  const mu = (t: number) => b1 * (1 - 0.5 * 0.96 ** t);
  const prod = (t: number) => {
    let p = 1;
    for (let i = 1; i <= t; i++) p *= mu(i);
    return p;
  };
  return referenceTrajectory((w, g, t, s) => {
    s.m = b1 * (s.m ?? 0) + (1 - b1) * g;
    s.v = b2 * (s.v ?? 0) + (1 - b2) * g * g;
    const mHat = (mu(t + 1) * s.m) / (1 - prod(t + 1)) + ((1 - mu(t)) * g) / (1 - prod(t));
    const vHat = s.v / (1 - b2 ** t);
    return w - (lr * mHat) / (Math.sqrt(vHat) + eps);
  }, steps);
}

describe('Nadam', () => {
  it('follows Dozat’s algorithm (float64 and float32)', () => {
    const ref = reference(0.01, 0.9, 0.999, 1e-7);
    expectMoves(ref);
    expectTrajectory(trajectory(new Nadam({ learningRate: 0.01 }), 'float64'), ref, 1e-11);
    expectTrajectory(trajectory(new Nadam({ learningRate: 0.01 }), 'float32'), ref, 2e-5, 1e-6);
    expect(() =>
      expectTrajectory(trajectory(new Adam({ learningRate: 0.01 }), 'float64'), ref, 1e-6),
    ).toThrow();
  });

  it('honours beta1, beta2 and ε over more steps', () => {
    const make = () => new Nadam({ learningRate: 0.03, beta1: 0.8, beta2: 0.95, epsilon: 0.01 });
    expectTrajectory(trajectory(make(), 'float64', 12), reference(0.03, 0.8, 0.95, 0.01, 12), 1e-10);
  });

  it('has Keras’ defaults', () => {
    expect(new Nadam().getConfig()).toMatchObject({
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
  });
});
