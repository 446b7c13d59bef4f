import { ArgumentError } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { piecewiseConstant } from './schedules/decay';
import { expectMoves, expectTrajectory, referenceTrajectory, trajectory } from './testing/trajectory';

/** Loshchilov & Hutter's decoupled decay: shrink w by lr·wd·w, then an Adam step that never sees the decay. */
function reference(lrAt: (t: number) => number, wd: number) {
  return referenceTrajectory((w, g, t, s) => {
    const lr = lrAt(t);
    const decayed = w - lr * wd * w;
    s.m = 0.9 * (s.m ?? 0) + 0.1 * g;
    s.v = 0.999 * (s.v ?? 0) + 0.001 * g * g;
    const mHat = s.m / (1 - 0.9 ** t);
    const vHat = s.v / (1 - 0.999 ** t);
    return decayed - (lr * mHat) / (Math.sqrt(vHat) + 1e-7 / Math.sqrt(1 - 0.999 ** t));
  });
}

describe('AdamW', () => {
  it('decays weights by lr·wd·w before each Adam step (float64 and float32)', () => {
    const ref = reference(() => 0.01, 0.1);
    expectMoves(ref);
    expectTrajectory(trajectory(new AdamW({ learningRate: 0.01, weightDecay: 0.1 }), 'float64'), ref, 1e-11);
    expectTrajectory(
      trajectory(new AdamW({ learningRate: 0.01, weightDecay: 0.1 }), 'float32'),
      ref,
      2e-5,
      1e-6,
    );
    // And the decay is really there: plain Adam differs.
    expect(() =>
      expectTrajectory(trajectory(new Adam({ learningRate: 0.01 }), 'float64'), ref, 1e-6),
    ).toThrow();
  });

  it('multiplies the decay by the scheduled rate', () => {
    const schedule = piecewiseConstant({ boundaries: [1, 3], values: [0.02, 0.01, 0.005] });
    const lrAt = (t: number) => schedule.call(t - 1);
    expect([1, 2, 3, 4].map(lrAt)).toEqual([0.02, 0.02, 0.01, 0.01]);
    const got = trajectory(new AdamW({ learningRate: schedule, weightDecay: 0.5 }), 'float64');
    expectTrajectory(got, reference(lrAt, 0.5), 1e-11);
  });

  it('defaults to Keras’ weightDecay 0.004 and refuses none', () => {
    const opt = new AdamW();
    expect(opt.weightDecay).toBe(0.004);
    expect(opt.className).toBe('AdamW');
    expect(opt.getConfig()).toMatchObject({
      learningRate: 0.001,
      weightDecay: 0.004,
      beta1: 0.9,
      epsilon: 1e-7,
    });
    expect(() => new AdamW({ weightDecay: null as unknown as number })).toThrow(ArgumentError);
  });
});
