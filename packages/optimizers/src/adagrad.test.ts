import { describe, expect, it } from 'vitest';
import { Adagrad } from './adagrad';
import { expectMoves, expectTrajectory, referenceTrajectory, trajectory } from './testing/trajectory';

/** Duchi et al.'s diagonal Adagrad, accumulator started at a₀ and ε inside the root (Keras). */
function reference(lr: number, a0: number, eps: number) {
  return referenceTrajectory((w, g, _t, s) => {
    s.acc = (s.acc ?? a0) + g * g;
    return w - (lr * g) / Math.sqrt(s.acc + eps);
  });
}

describe('Adagrad', () => {
  it('follows the reference (float64 and float32)', () => {
    const ref = reference(0.1, 0.1, 1e-7);
    expectMoves(ref);
    expectTrajectory(trajectory(new Adagrad({ learningRate: 0.1 }), 'float64'), ref, 1e-11);
    expectTrajectory(trajectory(new Adagrad({ learningRate: 0.1 }), 'float32'), ref, 2e-5, 1e-6);
  });

  it('starts the accumulator at initialAccumulatorValue', () => {
    const make = () => new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 2, epsilon: 0.01 });
    expectTrajectory(trajectory(make(), 'float64'), reference(0.1, 2, 0.01), 1e-11);
    expect(() => expectTrajectory(trajectory(make(), 'float64'), reference(0.1, 0.1, 0.01), 1e-6)).toThrow();
  });

  it('has Keras’ defaults', () => {
    expect(new Adagrad().getConfig()).toMatchObject({
      learningRate: 0.001,
      initialAccumulatorValue: 0.1,
      epsilon: 1e-7,
    });
  });
});
