import { ArgumentError } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { exponentialDecay } from './schedules/decay';
import { SGD } from './sgd';
import { expectMoves, expectTrajectory, referenceTrajectory, trajectory } from './testing/trajectory';

describe('SGD', () => {
  it('plain: w ← w − lr·g (float64 and float32)', () => {
    const ref = referenceTrajectory((w, g) => w - 0.1 * g);
    expectMoves(ref);
    expectTrajectory(trajectory(new SGD({ learningRate: 0.1 }), 'float64'), ref, 1e-12);
    expectTrajectory(trajectory(new SGD({ learningRate: 0.1 }), 'float32'), ref, 1e-5, 1e-6);
  });

  // For a constant rate Keras' velocity (which holds lr·g) and PyTorch's buffer (which holds g) give the same
  // weights, so the reference is PyTorch's form: an independent derivation of the same trajectory.
  it('momentum matches PyTorch’s buf ← μ·buf + g, w ← w − lr·buf for a constant rate', () => {
    const ref = referenceTrajectory((w, g, t, s) => {
      s.buf = t === 1 ? g : 0.9 * s.buf! + g;
      return w - 0.05 * s.buf;
    });
    expectTrajectory(trajectory(new SGD({ learningRate: 0.05, momentum: 0.9 }), 'float64'), ref, 1e-12);
    expectTrajectory(trajectory(new SGD({ learningRate: 0.05, momentum: 0.9 }), 'float32'), ref, 1e-5, 1e-6);
  });

  it('Nesterov matches PyTorch’s w ← w − lr·(g + μ·buf) for a constant rate', () => {
    const ref = referenceTrajectory((w, g, t, s) => {
      s.buf = t === 1 ? g : 0.8 * s.buf! + g;
      return w - 0.05 * (g + 0.8 * s.buf);
    });
    const make = () => new SGD({ learningRate: 0.05, momentum: 0.8, nesterov: true });
    expectTrajectory(trajectory(make(), 'float64'), ref, 1e-12);
    expectTrajectory(trajectory(make(), 'float32'), ref, 1e-5, 1e-6);
  });

  it('with a changing rate keeps lr inside the velocity (Keras), which PyTorch does not', () => {
    const lrAt = (t: number) => 0.1 * 0.5 ** ((t - 1) / 2); // the schedule below, at iterations = t − 1
    const keras = referenceTrajectory((w, g, t, s) => {
      s.v = 0.9 * (s.v ?? 0) - lrAt(t) * g;
      return w + s.v;
    });
    const torch = referenceTrajectory((w, g, t, s) => {
      s.buf = t === 1 ? g : 0.9 * s.buf! + g;
      return w - lrAt(t) * s.buf;
    });
    const opt = new SGD({
      learningRate: exponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }),
      momentum: 0.9,
    });
    const got = trajectory(opt, 'float64');
    expectTrajectory(got, keras, 1e-12);
    expect(() => expectTrajectory(got, torch, 1e-6)).toThrow();
  });

  it('has Keras’ defaults and config', () => {
    const opt = new SGD();
    expect(opt.currentLearningRate()).toBe(0.01);
    expect(opt.getConfig()).toEqual({
      learningRate: 0.01,
      clipnorm: null,
      clipvalue: null,
      globalClipnorm: null,
      weightDecay: null,
      momentum: 0,
      nesterov: false,
    });
    expect(opt.className).toBe('SGD');
  });

  it('rejects momentum outside [0, 1]', () => {
    expect(() => new SGD({ momentum: 1.5 })).toThrow(ArgumentError);
    expect(() => new SGD({ momentum: -0.1 })).toThrow(/momentum must be a number in \[0, 1\]/);
  });
});
