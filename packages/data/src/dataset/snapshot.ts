import type { DType, Shape, TypedArray } from '@backprop/core-tensor';
import { isTensor, toTensor } from '../arrays';

/** A tensor's values held as plain data, so that what `cache()` keeps survives the consumer disposing tensors. */
class TensorSnapshot {
  constructor(
    readonly values: TypedArray,
    readonly shape: Shape,
    readonly dtype: DType,
  ) {}
}

/** An element with every tensor replaced by a `TensorSnapshot` (other values kept as they are). */
export type Snapshot = unknown;

export function snapshotTensors(x: unknown): Snapshot {
  if (isTensor(x)) return new TensorSnapshot(x.dataSync(), x.shape, x.dtype);
  if (Array.isArray(x)) return x.map(snapshotTensors);
  if (isPlainObject(x)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = snapshotTensors(v);
    return out;
  }
  return x;
}

export function restoreTensors(x: Snapshot): unknown {
  // Each replay gets its own copy: core-tensor owns the array it is given.
  if (x instanceof TensorSnapshot) return toTensor(x.values.slice(), x.shape, x.dtype);
  if (Array.isArray(x)) return x.map(restoreTensors);
  if (isPlainObject(x)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = restoreTensors(v);
    return out;
  }
  return x;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;
}
