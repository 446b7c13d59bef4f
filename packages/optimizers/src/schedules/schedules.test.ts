import { ArgumentError } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { cosineDecay, cosineDecayRestarts } from './cosine';
import { exponentialDecay, inverseTimeDecay, piecewiseConstant, polynomialDecay } from './decay';
import { getSchedule, serializeSchedule } from './registry';
import type { LearningRateSchedule } from './schedule';
import { linearWarmup } from './warmup';

/** Values at chosen steps, each expected value worked out by hand from the Keras formula in the comment. */
function expectValues(s: LearningRateSchedule, table: [step: number, value: number][]): void {
  for (const [step, value] of table) expect(s.call(step), `step ${step}`).toBeCloseTo(value, 12);
}

describe('exponentialDecay: initial · rate^(step / decaySteps)', () => {
  it('decays smoothly', () => {
    const s = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
    expectValues(s, [
      [0, 0.1],
      [50, 0.1 * Math.SQRT1_2],
      [100, 0.05],
      [300, 0.0125],
    ]);
  });

  it('decays in stairs with staircase', () => {
    const s = exponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 100,
      decayRate: 0.5,
      staircase: true,
    });
    expectValues(s, [
      [99, 0.1],
      [100, 0.05],
      [199, 0.05],
      [200, 0.025],
    ]);
  });

  it('rejects decaySteps ≤ 0 and a negative step', () => {
    expect(() => exponentialDecay({ initialLearningRate: 1, decaySteps: 0, decayRate: 0.5 })).toThrow(
      ArgumentError,
    );
    const s = exponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 });
    expect(() => s.call(-1)).toThrow(/step must be a number ≥ 0/);
  });
});

describe('inverseTimeDecay: initial / (1 + rate · step / decaySteps)', () => {
  it('decays as 1/t, optionally in stairs', () => {
    expectValues(inverseTimeDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5 }), [
      [0, 1],
      [15, 1 / 1.75],
      [20, 0.5],
    ]);
    expectValues(
      inverseTimeDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5, staircase: true }),
      [[15, 1 / 1.5]],
    );
  });
});

describe('piecewiseConstant', () => {
  const s = piecewiseConstant({ boundaries: [100, 200], values: [1, 0.5, 0.1] });

  it('holds values[i] up to and including boundaries[i]', () => {
    expectValues(s, [
      [0, 1],
      [100, 1],
      [100.5, 0.5],
      [101, 0.5],
      [200, 0.5],
      [201, 0.1],
      [1e9, 0.1],
    ]);
  });

  it('needs one more value than boundaries, and increasing boundaries', () => {
    expect(() => piecewiseConstant({ boundaries: [1, 2], values: [1, 2] })).toThrow(
      /exactly one more element/,
    );
    expect(() => piecewiseConstant({ boundaries: [2, 1], values: [1, 2, 3] })).toThrow(
      /boundaries must increase/,
    );
  });
});

describe('polynomialDecay: (initial − end)(1 − step/decaySteps)^power + end', () => {
  it('decays to endLearningRate and stays there', () => {
    const s = polynomialDecay({ initialLearningRate: 1, decaySteps: 100, endLearningRate: 0.1, power: 2 });
    expectValues(s, [
      [0, 1],
      [50, 0.9 * 0.25 + 0.1],
      [100, 0.1],
      [150, 0.1],
    ]);
  });

  it('with cycle, decays over the next multiple of decaySteps', () => {
    const s = polynomialDecay({
      initialLearningRate: 1,
      decaySteps: 100,
      endLearningRate: 0.1,
      power: 2,
      cycle: true,
    });
    expectValues(s, [
      [0, 1],
      [100, 0.1], // ceil(100/100) = 1: still the first cycle, at its end
      [150, 0.9 * 0.25 ** 2 + 0.1], // decaySteps → 200, p = 0.75
    ]);
  });

  it('defaults to linear decay to 0.0001 (Keras)', () => {
    expectValues(polynomialDecay({ initialLearningRate: 1, decaySteps: 10 }), [[5, 0.9999 * 0.5 + 0.0001]]);
  });
});

describe('cosineDecay', () => {
  it('follows half a cosine from initial to alpha·initial, then stays', () => {
    const s = cosineDecay({ initialLearningRate: 2, decaySteps: 100, alpha: 0.1 });
    expectValues(s, [
      [0, 2],
      [50, 2 * (0.9 * 0.5 + 0.1)],
      [25, 2 * (0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)) + 0.1)],
      [100, 0.2],
      [1000, 0.2],
    ]);
  });

  it('warms up linearly to warmupTarget, then decays from it over decaySteps', () => {
    const s = cosineDecay({ initialLearningRate: 0, warmupTarget: 1, warmupSteps: 10, decaySteps: 100 });
    expectValues(s, [
      [0, 0],
      [5, 0.5],
      [10, 1],
      [60, 0.5],
      [110, 0],
      [500, 0],
    ]);
  });

  it('ignores warmupSteps without a warmupTarget, as Keras does', () => {
    const s = cosineDecay({ initialLearningRate: 1, decaySteps: 100, warmupSteps: 50 });
    expectValues(s, [[0, 1]]);
  });
});

describe('cosineDecayRestarts', () => {
  it('restarts with periods growing by tMul and peaks shrinking by mMul', () => {
    // Periods of 10, 20, 40 steps starting at 0, 10, 30; peaks 1, 0.5, 0.25.
    const s = cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 2, mMul: 0.5 });
    expectValues(s, [
      [0, 1],
      [5, 0.5],
      [10, 0.5],
      [20, 0.25],
      [30, 0.25],
      [50, 0.125],
    ]);
  });

  it('with tMul = 1 repeats the same period', () => {
    const s = cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 1, alpha: 0.2 });
    expectValues(s, [
      [5, 0.8 * 0.5 + 0.2],
      [10, 1],
      [25, 0.8 * 0.5 + 0.2],
    ]);
  });

  it('restarts exactly at every boundary despite floating-point logarithms', () => {
    // tMul = 1.5: period i starts at Σ_{k<i} 1.5^k periods of 1024 steps (whole steps); Keras' floor(log(…)/log(1.5))
    // lands one period early at i = 5, 7 and 10.
    const s = cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1024, tMul: 1.5, mMul: 0.9 });
    let start = 0;
    for (let i = 1; i <= 10; i++) {
      start += 1.5 ** (i - 1);
      expect(s.call(start * 1024), `period ${i}`).toBeCloseTo(0.9 ** i, 12); // each period starts at its peak
      expect(s.call(start * 1024 - 1), `end of period ${i - 1}`).toBeLessThan(1e-5);
    }
  });

  it('rejects tMul < 1 (periods cannot shrink)', () => {
    expect(() => cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 0.5 })).toThrow(
      ArgumentError,
    );
  });
});

describe('linearWarmup', () => {
  it('climbs linearly to a constant', () => {
    expectValues(linearWarmup({ warmupSteps: 10, after: 0.1 }), [
      [0, 0],
      [5, 0.05],
      [10, 0.1],
      [100, 0.1],
    ]);
    expectValues(linearWarmup({ warmupSteps: 10, initialLearningRate: 0.02, after: 0.1 }), [[5, 0.06]]);
  });

  it('hands off continuously to a schedule started at its own step 0', () => {
    const after = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expectValues(linearWarmup({ warmupSteps: 10, after }), [
      [5, 0.05],
      [10, 0.1],
      [20, 0.05],
    ]);
  });
});

describe('getSchedule and serializeSchedule', () => {
  const schedules: LearningRateSchedule[] = [
    exponentialDecay({ initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.9, staircase: true }),
    inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.9 }),
    piecewiseConstant({ boundaries: [3, 9], values: [0.3, 0.2, 0.1] }),
    polynomialDecay({
      initialLearningRate: 0.1,
      decaySteps: 20,
      endLearningRate: 0.01,
      power: 0.5,
      cycle: true,
    }),
    cosineDecay({ initialLearningRate: 0, decaySteps: 30, alpha: 0.05, warmupTarget: 0.2, warmupSteps: 4 }),
    cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 5, tMul: 1.5, mMul: 0.8, alpha: 0.1 }),
    linearWarmup({ warmupSteps: 5, after: cosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }) }),
  ];

  it('round-trips every schedule through JSON with the same values', () => {
    for (const s of schedules) {
      const json = JSON.parse(JSON.stringify(serializeSchedule(s))) as { className: string };
      const back = getSchedule(json);
      expect(back.className).toBe(s.className);
      expect(back.getConfig()).toEqual(s.getConfig());
      for (const step of [0, 1, 4, 9, 17, 40]) expect(back.call(step)).toBe(s.call(step));
    }
  });

  it('reads Keras’ own JSON (class_name, snake_case keys, a name)', () => {
    const s = getSchedule({
      class_name: 'ExponentialDecay',
      config: {
        initial_learning_rate: 0.1,
        decay_steps: 10,
        decay_rate: 0.5,
        staircase: false,
        name: 'ExponentialDecay',
      },
    } as unknown as { className: string });
    expect(s.call(10)).toBeCloseTo(0.05, 15);
    expect(
      getSchedule({ className: 'PiecewiseConstant', config: { boundaries: [1], values: [1, 2] } }).className,
    ).toBe('PiecewiseConstantDecay');
  });

  it('names the valid schedules for an unknown class and rejects unknown keys', () => {
    expect(() => getSchedule({ className: 'StepDecay', config: {} })).toThrow(
      /Valid names: ExponentialDecay/,
    );
    expect(() =>
      getSchedule({
        className: 'ExponentialDecay',
        config: { initialLearningRate: 1, decaySteps: 1, decayRate: 1, decay: 2 },
      }),
    ).toThrow(/unknown config key 'decay'/);
  });
});
