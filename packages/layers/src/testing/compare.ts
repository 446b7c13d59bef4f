import type { Tensor } from '@backprop/core-tensor';
import type { SymbolicShape } from '../engine/shape';

/** Whether a concrete shape fits an expected one; a null (unknown) dimension matches anything. */
export function shapeMatches(expected: SymbolicShape, actual: readonly number[]): boolean {
  return expected.length === actual.length && expected.every((d, i) => d === null || d === actual[i]);
}

/** Same shape, dtype and elements, bit for bit (NaN equals NaN: a repeatable NaN is still repeatable). */
export function sameValues(a: Tensor, b: Tensor): boolean {
  if (a.dtype !== b.dtype || !shapeMatches(a.shape, b.shape)) return false;
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

/**
 * Same shape and dtype, elements equal up to float32 rounding (|a − b| ≤ 1e-6·(1 + |b|)): for results that a
 * backend may legitimately sum in another order, such as the same rows inside a larger batch.
 */
export function closeValues(a: Tensor, b: Tensor): boolean {
  if (a.dtype !== b.dtype || !shapeMatches(a.shape, b.shape)) return false;
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) {
    const u = x[i]!;
    const v = y[i]!;
    if (!(Object.is(u, v) || Math.abs(u - v) <= 1e-6 * (1 + Math.abs(v)))) return false;
  }
  return true;
}

/**
 * Why a config would not survive `JSON.stringify` unchanged (undefined, functions, NaN/Infinity, class instances,
 * or non-finite numbers), as a path like `config.noiseShape`; null when it is JSON-safe.
 */
export function assertJsonSafe(value: unknown, path: string): string | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} is ${value}`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = assertJsonSafe(value[i], `${path}[${i}]`);
      if (p) return p;
    }
    return null;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null)
      return `${path} is a class instance, not a plain object`;
    for (const [k, v] of Object.entries(value)) {
      const p = assertJsonSafe(v, `${path}.${k}`);
      if (p) return p;
    }
    return null;
  }
  return `${path} is ${typeof value} (use null for "not set")`;
}

/** Deep equality of JSON-safe values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) => k in b && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}
