import { ArgumentError } from '@backprop/core-tensor';
import type { LearningRateSchedule } from './schedule';
import { checkStep, finite, nonNegative, positive } from './schedule';

/** Options of {@link ExponentialDecay}. */
export interface ExponentialDecayOptions {
  /** The rate at step 0. */
  initialLearningRate: number;
  /** Steps over which the rate is multiplied by `decayRate` once (> 0). */
  decaySteps: number;
  /** The factor per `decaySteps` steps (e.g. 0.96). */
  decayRate: number;
  /** Decay in whole steps of `decaySteps` (a staircase) instead of smoothly (default false). */
  staircase?: boolean;
}

/**
 * `initialLearningRate · decayRate^(step / decaySteps)`; with `staircase`, the exponent is floored.
 * @example
 * exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.5 }).call(2000); // 0.025
 */
export class ExponentialDecay implements LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  constructor(options: ExponentialDecayOptions) {
    this.initialLearningRate = finite(this.className, 'initialLearningRate', options.initialLearningRate);
    this.decaySteps = positive(this.className, 'decaySteps', options.decaySteps);
    this.decayRate = finite(this.className, 'decayRate', options.decayRate);
    this.staircase = options.staircase ?? false;
  }
  /** The decayed rate at `step`. */
  call(step: number): number {
    let p = checkStep(this.className, step) / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * this.decayRate ** p;
  }
  /** `{ initialLearningRate, decaySteps, decayRate, staircase }`. */
  getConfig(): Record<string, unknown> {
    const { initialLearningRate, decaySteps, decayRate, staircase } = this;
    return { initialLearningRate, decaySteps, decayRate, staircase };
  }
}

/** Options of {@link InverseTimeDecay}. */
export interface InverseTimeDecayOptions {
  /** The rate at step 0. */
  initialLearningRate: number;
  /** The step unit of the decay (> 0). */
  decaySteps: number;
  /** How fast the rate falls: it is halved after `decaySteps / decayRate` steps. */
  decayRate: number;
  /** Floor `step / decaySteps` (default false). */
  staircase?: boolean;
}

/** `initialLearningRate / (1 + decayRate · step / decaySteps)` (floored ratio with `staircase`), as in Keras. */
export class InverseTimeDecay implements LearningRateSchedule {
  readonly className = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  constructor(options: InverseTimeDecayOptions) {
    this.initialLearningRate = finite(this.className, 'initialLearningRate', options.initialLearningRate);
    this.decaySteps = positive(this.className, 'decaySteps', options.decaySteps);
    this.decayRate = finite(this.className, 'decayRate', options.decayRate);
    this.staircase = options.staircase ?? false;
  }
  /** The decayed rate at `step`. */
  call(step: number): number {
    let p = checkStep(this.className, step) / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate / (1 + this.decayRate * p);
  }
  /** `{ initialLearningRate, decaySteps, decayRate, staircase }`. */
  getConfig(): Record<string, unknown> {
    const { initialLearningRate, decaySteps, decayRate, staircase } = this;
    return { initialLearningRate, decaySteps, decayRate, staircase };
  }
}

/** Options of {@link PiecewiseConstantDecay}. */
export interface PiecewiseConstantOptions {
  /** Increasing step boundaries. */
  boundaries: readonly number[];
  /** One more value than boundaries: `values[i]` applies up to and including `boundaries[i]`. */
  values: readonly number[];
}

/**
 * A step function: `values[0]` while step ≤ boundaries[0], `values[i]` while boundaries[i−1] < step ≤
 * boundaries[i], and the last value after the last boundary (Keras' PiecewiseConstantDecay).
 * @example
 * const s = piecewiseConstant({ boundaries: [100, 200], values: [1, 0.5, 0.1] });
 * [s.call(100), s.call(101), s.call(500)]; // [1, 0.5, 0.1]
 */
export class PiecewiseConstantDecay implements LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  constructor(options: PiecewiseConstantOptions) {
    // From JSON these may be anything; check the runtime shape before trusting the declared types.
    const rawB: unknown = options.boundaries;
    const rawV: unknown = options.values;
    if (!Array.isArray(rawB) || !Array.isArray(rawV) || rawV.length !== rawB.length + 1) {
      throw new ArgumentError(
        `PiecewiseConstantDecay: values must have exactly one more element than boundaries ` +
          `(got ${Array.isArray(rawV) ? rawV.length : String(rawV)} values for ` +
          `${Array.isArray(rawB) ? rawB.length : String(rawB)} boundaries)`,
      );
    }
    const { boundaries, values } = options;
    boundaries.forEach((b, i) => {
      finite(this.className, `boundaries[${i}]`, b);
      if (i > 0 && !(b > boundaries[i - 1]!))
        throw new ArgumentError(
          `PiecewiseConstantDecay: boundaries must increase, got [${boundaries.join(', ')}]`,
        );
    });
    values.forEach((v, i) => finite(this.className, `values[${i}]`, v));
    this.boundaries = Object.freeze([...boundaries]);
    this.values = Object.freeze([...values]);
  }
  /** The value of the interval `step` falls in. */
  call(step: number): number {
    checkStep(this.className, step);
    let i = 0;
    while (i < this.boundaries.length && step > this.boundaries[i]!) i++;
    return this.values[i]!;
  }
  /** `{ boundaries, values }`. */
  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values] };
  }
}

/** Options of {@link PolynomialDecay}. */
export interface PolynomialDecayOptions {
  /** The rate at step 0. */
  initialLearningRate: number;
  /** Steps to reach `endLearningRate` (> 0). */
  decaySteps: number;
  /** The rate reached at `decaySteps` (default 0.0001, as in Keras). */
  endLearningRate?: number;
  /** 1 (default) decays linearly; 2 quadratically, … */
  power?: number;
  /** Start again after `decaySteps`, each cycle decaying over the next multiple of `decaySteps` (default false). */
  cycle?: boolean;
}

/**
 * `(initial − end) · (1 − s / decaySteps)^power + end`, with s = min(step, decaySteps); with `cycle`, decaySteps
 * becomes the first multiple of itself ≥ step instead (Keras' PolynomialDecay).
 */
export class PolynomialDecay implements LearningRateSchedule {
  readonly className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  constructor(options: PolynomialDecayOptions) {
    this.initialLearningRate = finite(this.className, 'initialLearningRate', options.initialLearningRate);
    this.decaySteps = positive(this.className, 'decaySteps', options.decaySteps);
    this.endLearningRate = finite(this.className, 'endLearningRate', options.endLearningRate ?? 0.0001);
    this.power = nonNegative(this.className, 'power', options.power ?? 1);
    this.cycle = options.cycle ?? false;
  }
  /** The decayed rate at `step`. */
  call(step: number): number {
    let s = checkStep(this.className, step);
    let steps = this.decaySteps;
    if (this.cycle) steps *= s === 0 ? 1 : Math.ceil(s / this.decaySteps);
    else s = Math.min(s, steps);
    const p = s / steps;
    return (this.initialLearningRate - this.endLearningRate) * (1 - p) ** this.power + this.endLearningRate;
  }
  /** `{ initialLearningRate, decaySteps, endLearningRate, power, cycle }`. */
  getConfig(): Record<string, unknown> {
    const { initialLearningRate, decaySteps, endLearningRate, power, cycle } = this;
    return { initialLearningRate, decaySteps, endLearningRate, power, cycle };
  }
}

/** An exponential decay schedule (see {@link ExponentialDecay}). */
export function exponentialDecay(options: ExponentialDecayOptions): ExponentialDecay {
  return new ExponentialDecay(options);
}

/** An inverse-time decay schedule (see {@link InverseTimeDecay}). */
export function inverseTimeDecay(options: InverseTimeDecayOptions): InverseTimeDecay {
  return new InverseTimeDecay(options);
}

/** A piecewise constant schedule (see {@link PiecewiseConstantDecay}). */
export function piecewiseConstant(options: PiecewiseConstantOptions): PiecewiseConstantDecay {
  return new PiecewiseConstantDecay(options);
}

/** A polynomial decay schedule (see {@link PolynomialDecay}). */
export function polynomialDecay(options: PolynomialDecayOptions): PolynomialDecay {
  return new PolynomialDecay(options);
}
