import { ArgumentError } from '@backprop/core-tensor';

/**
 * A learning rate that depends on the optimizer's step. The optimizer calls `call(iterations)` once per update,
 * with iterations = 0 for the first update (Keras semantics). `className` and `getConfig()` let optimizer configs
 * save it; `getSchedule` rebuilds it.
 */
export interface LearningRateSchedule {
  /** The Keras class name, e.g. `'ExponentialDecay'`. */
  readonly className: string;
  /** The learning rate at `step` (0-based). */
  call(step: number): number;
  /** The options that rebuild this schedule (JSON-safe). */
  getConfig(): Record<string, unknown>;
}

/** @internal A finite number option. */
export function finite(owner: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ArgumentError(`${owner}: ${name} must be a finite number, got ${String(value)}`);
  return value;
}

/** @internal A finite number > 0. */
export function positive(owner: string, name: string, value: unknown): number {
  const v = finite(owner, name, value);
  if (!(v > 0)) throw new ArgumentError(`${owner}: ${name} must be > 0, got ${v}`);
  return v;
}

/** @internal A finite number ≥ 0. */
export function nonNegative(owner: string, name: string, value: unknown): number {
  const v = finite(owner, name, value);
  if (v < 0) throw new ArgumentError(`${owner}: ${name} must be ≥ 0, got ${v}`);
  return v;
}

/** @internal Schedules are called with the optimizer's step count; a negative or NaN step is a caller's bug. */
export function checkStep(owner: string, step: number): number {
  if (typeof step !== 'number' || Number.isNaN(step) || step < 0)
    throw new ArgumentError(`${owner}: step must be a number ≥ 0, got ${String(step)}`);
  return step;
}

/** @internal True for objects that can serve as a schedule. */
export function isSchedule(x: unknown): x is LearningRateSchedule {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as LearningRateSchedule).call === 'function' &&
    typeof (x as LearningRateSchedule).getConfig === 'function' &&
    typeof (x as LearningRateSchedule).className === 'string'
  );
}
