import { ArgumentError } from '@backprop/core-tensor';

/** @internal A hyperparameter in [lo, hi) (or [lo, hi] with `closed`), checked where the optimizer is built. */
export function inRange(
  owner: string,
  name: string,
  value: unknown,
  lo: number,
  hi: number,
  closed = false,
): number {
  const ok = typeof value === 'number' && value >= lo && (closed ? value <= hi : value < hi);
  if (!ok)
    throw new ArgumentError(
      `${owner}: ${name} must be a number in [${lo}, ${hi}${closed ? ']' : ')'}, got ${String(value)}`,
    );
  return value;
}

/** @internal A finite number ≥ 0 (epsilon, initial accumulator values). */
export function nonNegative(owner: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new ArgumentError(`${owner}: ${name} must be a finite number ≥ 0, got ${String(value)}`);
  return value;
}

/** @internal A boolean flag (rejects the strings a hand-written config might hold). */
export function flag(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new ArgumentError(`${owner}: ${name} must be true or false, got ${String(value)}`);
  return value;
}
