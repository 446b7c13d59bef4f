import { ArgumentError } from '@backprop/core-tensor';
import type { LearningRateSchedule } from './schedule';
import { checkStep, finite, nonNegative, positive } from './schedule';

/** Options of {@link CosineDecay}. */
export interface CosineDecayOptions {
  /** The rate at step 0 (the start of the warmup when there is one). */
  initialLearningRate: number;
  /** Length of the cosine decay (after the warmup). */
  decaySteps: number;
  /** The floor, as a fraction of the rate decayed from (default 0). */
  alpha?: number;
  /** With a warmup: the rate it climbs to (linearly, from `initialLearningRate`), where the decay starts. */
  warmupTarget?: number | null;
  /** Warmup length in steps (default 0; ignored without `warmupTarget`, as in Keras). */
  warmupSteps?: number;
}

/**
 * Cosine decay (Loshchilov & Hutter, SGDR) with an optional linear warmup, as Keras defines it. Without a warmup:
 * `lr(step) = initial · ((1 − alpha) · ½(1 + cos(π · min(step, decaySteps) / decaySteps)) + alpha)`.
 * With `warmupTarget`: for step < warmupSteps, `initial + (warmupTarget − initial) · step / warmupSteps`; then the
 * same cosine from `warmupTarget`, over `decaySteps` steps counted from the end of the warmup.
 * @example
 * cosineDecay({ initialLearningRate: 0, warmupTarget: 0.1, warmupSteps: 100, decaySteps: 1000 }).call(50); // 0.05
 */
export class CosineDecay implements LearningRateSchedule {
  readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;
  constructor(options: CosineDecayOptions) {
    this.initialLearningRate = finite(this.className, 'initialLearningRate', options.initialLearningRate);
    this.decaySteps = positive(this.className, 'decaySteps', options.decaySteps);
    this.alpha = finite(this.className, 'alpha', options.alpha ?? 0);
    const target = options.warmupTarget;
    this.warmupTarget =
      target === undefined || target === null ? null : finite(this.className, 'warmupTarget', target);
    this.warmupSteps = nonNegative(this.className, 'warmupSteps', options.warmupSteps ?? 0);
  }

  private decay(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * step) / this.decaySteps));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  /** The rate at `step`. */
  call(step: number): number {
    const s = checkStep(this.className, step);
    if (this.warmupTarget === null) return this.decay(Math.min(s, this.decaySteps), this.initialLearningRate);
    const t = Math.min(s, this.decaySteps + this.warmupSteps);
    if (t < this.warmupSteps) {
      return (
        this.initialLearningRate + ((this.warmupTarget - this.initialLearningRate) * t) / this.warmupSteps
      );
    }
    return this.decay(t - this.warmupSteps, this.warmupTarget);
  }

  /** `{ initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps }`. */
  getConfig(): Record<string, unknown> {
    const { initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps } = this;
    return { initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps };
  }
}

/** Options of {@link CosineDecayRestarts}. */
export interface CosineDecayRestartsOptions {
  /** The rate at step 0 (the first peak). */
  initialLearningRate: number;
  /** Length of the first cosine period. */
  firstDecaySteps: number;
  /** Each period is `tMul` times longer than the previous one (default 2; must be ≥ 1). */
  tMul?: number;
  /** Each restart begins at `mMul` times the previous peak (default 1). */
  mMul?: number;
  /** The floor, as a fraction of `initialLearningRate` (default 0). */
  alpha?: number;
}

/**
 * Cosine decay with warm restarts (SGDR, Loshchilov & Hutter 2017), as Keras defines it. Period i lasts
 * `firstDecaySteps · tMul^i` steps and peaks at `mMul^i`; within it, with f the fraction of the period elapsed,
 * `lr = initial · ((1 − alpha) · mMul^i · ½(1 + cos(π f)) + alpha)`.
 *
 * Keras finds the period with a logarithm, which can land one period off at exact boundaries through rounding;
 * this implementation corrects that, so a restart happens exactly at the boundary step. Keras accepts tMul < 1,
 * where periods shrink and the schedule is undefined after finitely many steps (NaN); here that is an error.
 */
export class CosineDecayRestarts implements LearningRateSchedule {
  readonly className = 'CosineDecayRestarts';
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  constructor(options: CosineDecayRestartsOptions) {
    this.initialLearningRate = finite(this.className, 'initialLearningRate', options.initialLearningRate);
    this.firstDecaySteps = positive(this.className, 'firstDecaySteps', options.firstDecaySteps);
    this.tMul = finite(this.className, 'tMul', options.tMul ?? 2);
    if (this.tMul < 1)
      throw new ArgumentError(
        `CosineDecayRestarts: tMul must be ≥ 1 (periods cannot shrink), got ${this.tMul}`,
      );
    this.mMul = finite(this.className, 'mMul', options.mMul ?? 1);
    this.alpha = finite(this.className, 'alpha', options.alpha ?? 0);
  }

  /** Start of period i, in units of firstDecaySteps: Σ_{k<i} tMul^k. */
  private periodStart(i: number): number {
    return this.tMul === 1 ? i : (1 - this.tMul ** i) / (1 - this.tMul);
  }

  /** The rate at `step`. */
  call(step: number): number {
    const f = checkStep(this.className, step) / this.firstDecaySteps;
    let i =
      this.tMul === 1 ? Math.floor(f) : Math.floor(Math.log(1 - f * (1 - this.tMul)) / Math.log(this.tMul));
    while (this.periodStart(i + 1) <= f) i++;
    while (i > 0 && this.periodStart(i) > f) i--;
    const fraction = (f - this.periodStart(i)) / this.tMul ** i;
    const cosine = 0.5 * this.mMul ** i * (1 + Math.cos(Math.PI * fraction));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }

  /** `{ initialLearningRate, firstDecaySteps, tMul, mMul, alpha }`. */
  getConfig(): Record<string, unknown> {
    const { initialLearningRate, firstDecaySteps, tMul, mMul, alpha } = this;
    return { initialLearningRate, firstDecaySteps, tMul, mMul, alpha };
  }
}

/** A cosine decay schedule, optionally with linear warmup (see {@link CosineDecay}). */
export function cosineDecay(options: CosineDecayOptions): CosineDecay {
  return new CosineDecay(options);
}

/**
 * A cosine decay schedule with warm restarts (see {@link CosineDecayRestarts}).
 * @example
 * const s = cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 100 });
 * [s.call(0), s.call(50), s.call(100), s.call(200)]; // [0.1, 0.05, 0.1 (restart), 0.05 (middle of a 200-step period)]
 */
export function cosineDecayRestarts(options: CosineDecayRestartsOptions): CosineDecayRestarts {
  return new CosineDecayRestarts(options);
}
