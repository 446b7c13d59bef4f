import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, DTypeError } from '@backprop/core-tensor';
import { isTensor, toTensor } from '../arrays';

/**
 * One-hot encodes integer class ids: shape `[...labels.shape, numClasses]`, float32 (the target format of
 * `categoricalCrossentropy`). `numClasses` defaults to the largest id + 1. An id that is negative, fractional or
 * not below `numClasses` is an `ArgumentError` naming its position.
 * @example oneHot([0, 2, 1], 3) // [[1,0,0],[0,0,1],[0,1,0]]
 */
export function oneHot(labels: Tensor | ArrayLike<number>, numClasses?: number): Tensor {
  let values: ArrayLike<number>;
  let shape: number[];
  if (isTensor(labels)) {
    if (labels.dtype === 'bool')
      throw new DTypeError('oneHot: labels must be int32 or float class ids, got bool');
    values = labels.dataSync();
    shape = [...labels.shape];
  } else {
    values = labels;
    shape = [labels.length];
  }
  let k = numClasses;
  if (k === undefined) {
    k = 0;
    for (let i = 0; i < values.length; i++) k = Math.max(k, values[i]! + 1);
  }
  if (!Number.isInteger(k) || k < 1)
    throw new ArgumentError(`oneHot: numClasses must be an integer ≥ 1, got ${k}`);
  const out = new Float32Array(values.length * k);
  for (let i = 0; i < values.length; i++) {
    const c = values[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= k) {
      throw new ArgumentError(`oneHot: label ${c} at position ${i} is not a class id in [0, ${k})`);
    }
    out[i * k + c] = 1;
  }
  return toTensor(out, [...shape, k], 'float32');
}
