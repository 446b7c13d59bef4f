import { getBackend } from '../backend';
import type { DType, TypedArray } from '../dtype';
import { allocArray, assertDType, dtypeOfArray, storeValues, storedValue } from '../dtype';
import { ArgumentError, ShapeError } from '../errors';
import type { Shape } from '../shape';
import { assertValidShape, fmtShape, sizeOf } from '../shape';
import type { NestedArray } from '../tensor';
import { Tensor } from '../tensor';
import { makeTensor } from './util';

/** Anything that can become a tensor: a tensor, a number or boolean, nested arrays, or a typed array. */
export type TensorLike = Tensor | number | boolean | TypedArray | NestedArray[];

function inferShape(values: unknown, op: string): number[] {
  const shape: number[] = [];
  let v = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  const check = (x: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(x)) throw new ShapeError(`${op}: ragged nested array: too deep at dimension ${dim}`);
      if (typeof x !== 'number' && typeof x !== 'boolean') {
        throw new ArgumentError(`${op}: elements must be numbers or booleans, got ${typeof x}`);
      }
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) {
      throw new ShapeError(
        `${op}: ragged nested array: dimension ${dim} should have length ${shape[dim]}, got ` +
          (Array.isArray(x) ? x.length : 'a scalar'),
      );
    }
    for (const y of x) check(y, dim + 1);
  };
  check(values, 0);
  return shape;
}

function flatten(values: unknown, out: number[]): void {
  if (Array.isArray(values)) for (const v of values) flatten(v, out);
  else out.push(values === true ? 1 : values === false ? 0 : (values as number));
}

/**
 * Creates a tensor from a number, a boolean, nested arrays or a typed array.
 * The dtype defaults to the typed array's, `bool` for booleans, and `float32` otherwise.
 * @example tensor([[1, 2], [3, 4]])   // shape [2, 2], float32
 * @example tensor(new Float64Array(6), [2, 3])
 */
export function tensor(values: TensorLike, shape?: Shape, dtype?: DType): Tensor {
  if (values instanceof Tensor) {
    const t = shape ? values.reshape(shape) : values;
    return dtype ? t.cast(dtype) : t;
  }
  let inferred: number[];
  let flat: ArrayLike<number>;
  let fromType: DType | undefined;
  if (ArrayBuffer.isView(values)) {
    fromType = dtypeOfArray(values);
    if (!fromType)
      throw new ArgumentError(
        'tensor: typed array must be Float32Array, Float64Array, Int32Array or Uint8Array',
      );
    inferred = [values.length];
    flat = values;
  } else {
    inferred = inferShape(values, 'tensor');
    const list: number[] = [];
    flatten(values, list);
    flat = list;
    const first = Array.isArray(values) ? list.length > 0 && isBoolLeaf(values) : typeof values === 'boolean';
    fromType = first ? 'bool' : undefined;
  }
  // Shape before dtype, as every factory checks them, so a call with both wrong reports the same error anywhere.
  const finalShape = shape ? assertValidShape('tensor', shape) : inferred;
  if (dtype !== undefined) assertDType('tensor', dtype);
  if (sizeOf(finalShape) !== flat.length) {
    throw new ShapeError(
      `tensor: ${flat.length} values cannot fill shape ${fmtShape(finalShape)} (${sizeOf(finalShape)} elements)`,
    );
  }
  const dt = dtype ?? fromType ?? 'float32';
  const arr = allocArray(dt, flat.length);
  storeValues(arr, flat, dt);
  return makeTensor(getBackend().fromArray(arr, dt), finalShape, dt);
}

function isBoolLeaf(values: unknown): boolean {
  let v = values;
  while (Array.isArray(v)) v = v[0];
  return typeof v === 'boolean';
}

/** A rank-0 tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, [], dtype);
}

/** A tensor of `shape` filled with `value` (stored with `cast`'s rounding rules). */
export function full(
  shape: Shape,
  value: number | boolean,
  dtype: DType = typeof value === 'boolean' ? 'bool' : 'float32',
): Tensor {
  return filled('full', shape, value, dtype);
}

// Each factory validates under its own name, so `zeros([-1])` says "zeros:", not "full:".
function filled(op: string, shape: Shape, value: number | boolean, dtype: DType): Tensor {
  assertValidShape(op, shape);
  assertDType(op, dtype);
  const arr = allocArray(dtype, sizeOf(shape));
  arr.fill(storedValue(typeof value === 'boolean' ? (value ? 1 : 0) : value, dtype));
  return makeTensor(getBackend().fromArray(arr, dtype), shape, dtype);
}

/** A tensor of `shape` filled with 0. */
export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  return filled('zeros', shape, 0, dtype);
}

/** A tensor of `shape` filled with 1. */
export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  return filled('ones', shape, 1, dtype);
}

/** Zeros with the shape and dtype of `x`. */
export function zerosLike(x: Tensor): Tensor {
  return filled('zerosLike', x.shape, 0, x.dtype);
}

/** Ones with the shape and dtype of `x`. */
export function onesLike(x: Tensor): Tensor {
  return filled('onesLike', x.shape, 1, x.dtype);
}

/**
 * Values from `start` (inclusive) to `stop` (exclusive) by `step`, like NumPy. With one argument, `arange(n)`
 * is 0…n−1. The dtype is int32 when every argument is an integer, float32 otherwise.
 */
export function arange(start: number, stop?: number, step = 1, dtype?: DType): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step))
    throw new ArgumentError(`arange: step must be a finite non-zero number, got ${step}`);
  if (!Number.isFinite(start) || !Number.isFinite(stop))
    throw new ArgumentError(`arange: start and stop must be finite, got ${start}, ${stop}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dt =
    dtype === undefined ? ([start, stop, step].every(Number.isInteger) ? 'int32' : 'float32') : dtype;
  assertDType('arange', dt);
  const arr = allocArray(dt, n);
  for (let i = 0; i < n; i++) arr[i] = storedValue(start + i * step, dt);
  return makeTensor(getBackend().fromArray(arr, dt), [n], dt);
}

/** `num` evenly spaced values from `start` to `stop`, both included. */
export function linspace(start: number, stop: number, num: number, dtype: DType = 'float32'): Tensor {
  if (!Number.isInteger(num) || num < 0)
    throw new ArgumentError(`linspace: num must be a non-negative integer, got ${num}`);
  assertDType('linspace', dtype);
  const arr = allocArray(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++)
    arr[i] = storedValue(i === num - 1 && num > 1 ? stop : start + i * step, dtype);
  return makeTensor(getBackend().fromArray(arr, dtype), [num], dtype);
}

/** An `n×m` matrix with ones on the diagonal shifted by `k`. */
export function eye(n: number, m: number = n, k = 0, dtype: DType = 'float32'): Tensor {
  assertValidShape('eye', [n, m]);
  assertDType('eye', dtype);
  const arr = allocArray(dtype, n * m);
  for (let i = 0; i < n; i++) {
    const j = i + k;
    if (j >= 0 && j < m) arr[i * m + j] = 1;
  }
  return makeTensor(getBackend().fromArray(arr, dtype), [n, m], dtype);
}

/** @internal A tensor owning `values` (no copy). */
export function fromValues(values: TypedArray, shape: Shape, dtype: DType): Tensor {
  return makeTensor(getBackend().fromArray(values, dtype), shape, dtype);
}

/** @internal A tensor whose elements `write` fills in place (in the backend's own memory where it offers that). */
export function fromWriter(shape: Shape, dtype: DType, write: (out: TypedArray) => void): Tensor {
  const backend = getBackend();
  const size = sizeOf(shape);
  if (!backend.fromWriter) {
    const values = allocArray(dtype, size);
    write(values);
    return makeTensor(backend.fromArray(values, dtype), shape, dtype);
  }
  return makeTensor(backend.fromWriter(dtype, size, write), shape, dtype);
}
