import type { BackendData } from '../backend';
import { getBackend } from '../backend';
import type { DType } from '../dtype';
import { isFloatDType } from '../dtype';
import { Storage } from '../engine';
import { ArgumentError, DTypeError } from '../errors';
import type { Shape } from '../shape';
import { fmtShape } from '../shape';
import { Tensor } from '../tensor';
import type { TensorLike } from './create';
import { tensor } from './create';

/** Wraps data a primitive returned into a new tensor on the active backend. */
export function makeTensor(data: BackendData, shape: Shape, dtype: DType = data.dtype): Tensor {
  return new Tensor(new Storage(data, getBackend()), shape, dtype);
}

/** A tensor view of `t`'s storage with another shape of the same size (no copy). */
export function viewAs(t: Tensor, shape: Shape): Tensor {
  return new Tensor(t.storage, shape, t.dtype);
}

/**
 * Accepts a tensor or anything `tensor()` accepts; plain numbers take `like`'s dtype (a "weak" scalar, as in
 * NumPy 2 and JAX) unless that dtype cannot hold them: a fraction, NaN, ±Inf or a value outside the int32 range
 * next to an int32 tensor, or any number next to a bool tensor, becomes float32 instead of being truncated.
 */
export function toTensor(x: TensorLike, like?: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number' && like !== undefined) {
    const fitsInt = Number.isInteger(x) && x >= -2147483648 && x <= 2147483647;
    const dtype = like === 'bool' || (like === 'int32' && !fitsInt) ? 'float32' : like;
    return tensor(x, undefined, dtype);
  }
  return tensor(x);
}

/** "[2,3] float32": a tensor's shape and dtype for error messages. */
export function describe(t: Tensor): string {
  return `${fmtShape(t.shape)} ${t.dtype}`;
}

/** Throws a DTypeError naming `op` unless `t` is float32 or float64. */
export function assertFloat(op: string, t: Tensor, name = 'x'): void {
  if (!isFloatDType(t.dtype)) {
    throw new DTypeError(
      `${op}: ${name} must be float32 or float64, got ${t.dtype} (cast it first: x.cast('float32'))`,
    );
  }
}

/** Throws a DTypeError naming `op` if `t` is bool. */
export function assertNumeric(op: string, t: Tensor, name = 'x'): void {
  if (t.dtype === 'bool') {
    throw new DTypeError(`${op}: ${name} must be numeric, got bool (cast it first: x.cast('float32'))`);
  }
}

/**
 * Throws an ArgumentError naming `op` and the argument unless `v` is a number (finite unless `allowInf`). A
 * composite op checks its scalar arguments itself, so a wrong one is reported under the op the user called
 * rather than the inner op it would reach (`leakyRelu: alpha …`, not `tensor: elements must be numbers`).
 */
export function assertNumberArg(op: string, name: string, v: unknown, allowInf = false): number {
  if (typeof v !== 'number' || Number.isNaN(v) || (!allowInf && !Number.isFinite(v))) {
    throw new ArgumentError(
      `${op}: ${name} must be a ${allowInf ? 'number' : 'finite number'}, got ${typeof v === 'number' ? v : typeof v === 'string' ? JSON.stringify(v) : String(v)}`,
    );
  }
  return v;
}
