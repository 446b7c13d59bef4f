import { ArgumentError } from '@backprop/core-tensor';
import type { LearningRateSchedule } from './schedule';
import { checkStep, finite, isSchedule, nonNegative } from './schedule';

/** Options of {@link LinearWarmup}. */
export interface LinearWarmupOptions {
  /** Steps spent climbing. */
  warmupSteps: number;
  /** The rate at step 0 (default 0). */
  initialLearningRate?: number;
  /** What follows: a constant rate, or a schedule that starts at its own step 0 when the warmup ends. */
  after: number | LearningRateSchedule;
}

/**
 * A linear warmup that hands off to a constant or another schedule: for step < warmupSteps,
 * `initial + (target − initial) · step / warmupSteps`, where target is `after` (a number) or `after.call(0)`;
 * from then on `after` (or `after.call(step − warmupSteps)`). The hand-off is continuous.
 *
 * Why warm up: adaptive optimizers estimate gradient statistics from few samples in the first steps, and large
 * batches make the first steps large; a small rate at first keeps those early updates from throwing the weights
 * somewhere they do not recover from (Goyal et al., 2017).
 * @example
 * linearWarmup({ warmupSteps: 10, after: 0.1 }).call(5); // 0.05
 */
export class LinearWarmup implements LearningRateSchedule {
  readonly className = 'LinearWarmup';
  readonly warmupSteps: number;
  readonly initialLearningRate: number;
  readonly after: number | LearningRateSchedule;
  constructor(options: LinearWarmupOptions) {
    this.warmupSteps = nonNegative(this.className, 'warmupSteps', options.warmupSteps);
    this.initialLearningRate = finite(
      this.className,
      'initialLearningRate',
      options.initialLearningRate ?? 0,
    );
    const after: unknown = options.after;
    if (!isSchedule(after) && (typeof after !== 'number' || !Number.isFinite(after))) {
      throw new ArgumentError(
        `LinearWarmup: after must be a finite number or a schedule, got ${String(after)}`,
      );
    }
    this.after = after;
  }

  private afterAt(step: number): number {
    return typeof this.after === 'number' ? this.after : this.after.call(step);
  }

  /** The rate at `step`. */
  call(step: number): number {
    const s = checkStep(this.className, step);
    if (s >= this.warmupSteps) return this.afterAt(s - this.warmupSteps);
    const target = this.afterAt(0);
    return this.initialLearningRate + ((target - this.initialLearningRate) * s) / this.warmupSteps;
  }

  /** `{ warmupSteps, initialLearningRate, after }`, with a schedule `after` saved as `{ className, config }`. */
  getConfig(): Record<string, unknown> {
    const after =
      typeof this.after === 'number'
        ? this.after
        : { className: this.after.className, config: this.after.getConfig() };
    return { warmupSteps: this.warmupSteps, initialLearningRate: this.initialLearningRate, after };
  }
}

/** A linear warmup followed by a constant or a schedule (see {@link LinearWarmup}). */
export function linearWarmup(options: LinearWarmupOptions): LinearWarmup {
  return new LinearWarmup(options);
}
