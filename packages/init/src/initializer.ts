import type { DType, Tensor } from '@backprop/core-tensor';
import { ArgumentError, ShapeError } from '@backprop/core-tensor';

/**
 * Something that makes the first value of a weight: given a shape (and a dtype), it returns a tensor.
 * Layers call it once per weight in `build()`. `className` and `getConfig()` are what `serializeInitializer`
 * writes, so a model's config can name its initializers and `getInitializer` can rebuild them.
 */
export interface Initializer {
  /** The Keras class name, e.g. `'GlorotUniform'`; `getInitializer` accepts it. */
  readonly className: string;
  /** A new tensor of `shape` (float32 unless `dtype` says otherwise). */
  call(shape: readonly number[], dtype?: DType): Tensor;
  /** The constructor options that rebuild this initializer (JSON-safe). */
  getConfig(): Record<string, unknown>;
}

/** @internal Validates a shape up front, so the error names the initializer rather than a tensor op. */
export function checkShape(className: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(
      `${className}: invalid shape [${String(shape)}]: every dimension must be a non-negative integer`,
    );
  }
}

/** @internal A seed is an integer or absent; `null` (what a saved config holds) means absent. */
export function checkSeed(className: string, seed: number | null | undefined): number | null {
  if (seed === undefined || seed === null) return null;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new ArgumentError(`${className}: seed must be a finite number or null, got ${String(seed)}`);
  }
  return seed;
}

/** @internal A finite number option (rejects NaN, strings from hand-written JSON, …). */
export function checkNumber(className: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ArgumentError(`${className}: ${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}
