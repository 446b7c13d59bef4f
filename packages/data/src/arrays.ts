import type { DType, Shape, TypedArray } from '@backprop/core-tensor';
import { ArgumentError, Tensor, tensor } from '@backprop/core-tensor';

/** Any typed array of numbers a user may hand us; converted to one of the tensor storage types at the edge. */
export type NumericTypedArray =
  TypedArray | Int8Array | Uint8ClampedArray | Int16Array | Uint16Array | Uint32Array;

/** Nested JS arrays of numbers or booleans, as `tensor()` accepts them. */
export type NestedNumbers = readonly (number | boolean | NestedNumbers)[];

/** Number of elements in a shape. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `[2,3]` as a string, for messages. */
export function fmtShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function isTypedArray(x: unknown): x is NumericTypedArray {
  return (
    ArrayBuffer.isView(x) &&
    !(x instanceof DataView) &&
    !(x instanceof BigInt64Array || x instanceof BigUint64Array)
  );
}

/**
 * The dtype a typed array becomes by default. Bytes (`Uint8Array`) become int32, not bool as in core-tensor: in
 * data they are pixels or labels far more often than flags; pass `'bool'` explicitly to get booleans.
 */
export function defaultDType(values: NumericTypedArray | readonly unknown[]): DType {
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Float32Array || Array.isArray(values)) return 'float32';
  return 'int32';
}

/** A new, zeroed array of the storage type of `dtype`. */
export function allocFor(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'bool':
      return new Uint8Array(n);
  }
}

function storageMatches(values: NumericTypedArray, dtype: DType): values is TypedArray {
  switch (dtype) {
    case 'float32':
      return values instanceof Float32Array;
    case 'float64':
      return values instanceof Float64Array;
    case 'int32':
      return values instanceof Int32Array;
    case 'bool':
      return false; // always normalised to 0/1 below
  }
}

/**
 * `values` in the storage type of `dtype`: the same array when it already is (no copy), else one converting pass.
 * int32 truncates toward zero like `tensor(…, 'int32')`; bool maps non-zero to 1.
 */
export function asDType(values: NumericTypedArray | ArrayLike<number>, dtype: DType): TypedArray {
  if (isTypedArray(values) && storageMatches(values, dtype)) return values;
  const out = allocFor(dtype, values.length);
  if (dtype === 'bool') for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  else if (dtype === 'int32') for (let i = 0; i < values.length; i++) out[i] = Math.trunc(values[i]!);
  else out.set(values);
  return out;
}

/** A tensor over `values` (already in the storage type of `dtype`); core-tensor takes ownership of the array. */
export function toTensor(values: TypedArray, shape: Shape, dtype: DType): Tensor {
  return tensor(values, shape, dtype);
}

/** Checks an option that must be a non-negative integer; names the caller and the option in the error. */
export function assertCount(op: string, name: string, value: number, min = 0): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ArgumentError(`${op}: ${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
}

/** Checks a fraction in the open or closed unit interval. */
export function assertFraction(op: string, name: string, value: number, open = true): void {
  const ok = open ? value > 0 && value < 1 : value >= 0 && value <= 1;
  if (typeof value !== 'number' || !ok) {
    throw new ArgumentError(
      `${op}: ${name} must be a number in ${open ? '(0, 1)' : '[0, 1]'}, got ${String(value)}`,
    );
  }
}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}
