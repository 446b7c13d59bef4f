import { describe, expect, it } from 'vitest';
import { Adadelta } from './adadelta';
import { expectMoves, expectTrajectory, referenceTrajectory, trajectory } from './testing/trajectory';

/** Zeiler's Algorithm 1, scaled by lr (Keras and PyTorch both multiply the step by a learning rate). */
function reference(lr: number, rho: number, eps: number) {
  return referenceTrajectory((w, g, _t, s) => {
    s.eg2 = rho * (s.eg2 ?? 0) + (1 - rho) * g * g;
    const rmsDx = Math.sqrt((s.edx2 ?? 0) + eps);
    const rmsG = Math.sqrt(s.eg2 + eps);
    const dx = -(rmsDx / rmsG) * g;
    s.edx2 = rho * (s.edx2 ?? 0) + (1 - rho) * dx * dx;
    return w + lr * dx;
  });
}

describe('Adadelta', () => {
  it('follows Zeiler’s algorithm with lr = 1 (float64 and float32)', () => {
    const ref = reference(1, 0.95, 1e-6);
    expectMoves(ref);
    expectTrajectory(trajectory(new Adadelta({ learningRate: 1, epsilon: 1e-6 }), 'float64'), ref, 1e-11);
    expectTrajectory(
      trajectory(new Adadelta({ learningRate: 1, epsilon: 1e-6 }), 'float32'),
      ref,
      2e-5,
      1e-6,
    );
  });

  it('scales the step by learningRate and honours rho', () => {
    const make = () => new Adadelta({ learningRate: 0.5, rho: 0.8, epsilon: 1e-3 });
    expectTrajectory(trajectory(make(), 'float64'), reference(0.5, 0.8, 1e-3), 1e-11);
  });

  it('has Keras’ defaults', () => {
    expect(new Adadelta().getConfig()).toMatchObject({ learningRate: 0.001, rho: 0.95, epsilon: 1e-7 });
  });
});
