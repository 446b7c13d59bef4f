import { describe, expect, it } from 'vitest';
import { Adam } from './adam';
import { expectMoves, expectTrajectory, referenceTrajectory, trajectory } from './testing/trajectory';

/**
 * Kingma & Ba's Algorithm 1 with bias-corrected moments m̂ and v̂. Keras adds ε to √v before the bias correction,
 * which equals adding ε/√(1 − β₂ᵗ) to √v̂: written that way here, the reference is the paper's form, not Keras'.
 */
function reference(lr: number, b1: number, b2: number, eps: number, amsgrad = false) {
  return referenceTrajectory((w, g, t, s) => {
    s.m = b1 * (s.m ?? 0) + (1 - b1) * g;
    s.v = b2 * (s.v ?? 0) + (1 - b2) * g * g;
    s.vmax = Math.max(s.vmax ?? 0, s.v);
    const mHat = s.m / (1 - b1 ** t);
    const vHat = (amsgrad ? s.vmax : s.v) / (1 - b2 ** t);
    return w - (lr * mHat) / (Math.sqrt(vHat) + eps / Math.sqrt(1 - b2 ** t));
  });
}

describe('Adam', () => {
  it('follows the paper’s algorithm (float64 and float32)', () => {
    const ref = reference(0.01, 0.9, 0.999, 1e-7);
    expectMoves(ref);
    expectTrajectory(trajectory(new Adam({ learningRate: 0.01 }), 'float64'), ref, 1e-11);
    expectTrajectory(trajectory(new Adam({ learningRate: 0.01 }), 'float32'), ref, 2e-5, 1e-6);
  });

  it('honours beta1, beta2 and a large ε', () => {
    const make = () => new Adam({ learningRate: 0.05, beta1: 0.5, beta2: 0.9, epsilon: 0.1 });
    expectTrajectory(trajectory(make(), 'float64'), reference(0.05, 0.5, 0.9, 0.1), 1e-11);
  });

  it('AMSGrad divides by the running maximum of v', () => {
    const make = () => new Adam({ learningRate: 0.05, beta2: 0.9, amsgrad: true });
    const ref = reference(0.05, 0.9, 0.9, 1e-7, true);
    expectTrajectory(trajectory(make(), 'float64'), ref, 1e-11);
    expectTrajectory(trajectory(make(), 'float32'), ref, 2e-5, 1e-6);
    // The gradients shrink and grow again, so the maximum matters: plain Adam differs.
    expect(() =>
      expectTrajectory(trajectory(make(), 'float64'), reference(0.05, 0.9, 0.9, 1e-7), 1e-6),
    ).toThrow();
  });

  it('places ε as Keras does, not as PyTorch (√v̂ + ε)', () => {
    const torch = referenceTrajectory((w, g, t, s) => {
      s.m = 0.9 * (s.m ?? 0) + 0.1 * g;
      s.v = 0.999 * (s.v ?? 0) + 0.001 * g * g;
      return w - (0.01 * (s.m / (1 - 0.9 ** t))) / (Math.sqrt(s.v / (1 - 0.999 ** t)) + 0.1);
    });
    const got = trajectory(new Adam({ learningRate: 0.01, epsilon: 0.1 }), 'float64');
    expect(() => expectTrajectory(got, torch, 1e-6)).toThrow();
  });

  it('has Keras’ defaults', () => {
    expect(new Adam().getConfig()).toMatchObject({
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
      weightDecay: null,
    });
  });
});
