import type { DType, Tensor } from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import { SafetensorsError } from './errors';
import type { SafetensorsDType, SafetensorsTensor } from './safetensors';
import { safetensorsArray } from './safetensors';

const TO_SAFETENSORS: Readonly<Record<DType, SafetensorsDType>> = {
  float32: 'F32',
  float64: 'F64',
  int32: 'I32',
  bool: 'BOOL',
};

/** The safetensors dtype that stores a backprop dtype (float32 → F32, float64 → F64, int32 → I32, bool → BOOL). */
export function safetensorsDType(dtype: DType): SafetensorsDType {
  return TO_SAFETENSORS[dtype];
}

/** A tensor's dtype, shape and bytes, ready for {@link encodeSafetensors} (reads the data asynchronously). */
export async function toSafetensorsTensor(t: Tensor): Promise<SafetensorsTensor> {
  const values = await t.data();
  return {
    dtype: TO_SAFETENSORS[t.dtype],
    shape: [...t.shape],
    data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}

/**
 * A backprop tensor from a decoded safetensors tensor. F32, F64, I32 and BOOL map to their dtypes; I64 (PyTorch's
 * integer default, e.g. `num_batches_tracked`) becomes int32 when every value fits, and is rejected otherwise.
 */
export function fromSafetensorsTensor(t: SafetensorsTensor, name: string): Tensor {
  const values = safetensorsArray(t);
  switch (t.dtype) {
    case 'F32':
      return tensor(values as Float32Array, t.shape, 'float32');
    case 'F64':
      return tensor(values as Float64Array, t.shape, 'float64');
    case 'I32':
      return tensor(values as Int32Array, t.shape, 'int32');
    case 'BOOL':
      return tensor(values as Uint8Array, t.shape, 'bool');
    case 'I64': {
      const wide = values as BigInt64Array;
      const narrow = new Int32Array(wide.length);
      for (let i = 0; i < wide.length; i++) {
        const v = wide[i]!;
        if (v > 2147483647n || v < -2147483648n)
          throw new SafetensorsError(
            'unsupported-dtype',
            `"${name}": I64 value ${v} does not fit in int32, the widest integer backprop stores`,
          );
        narrow[i] = Number(v);
      }
      return tensor(narrow, t.shape, 'int32');
    }
    default:
      throw new SafetensorsError(
        'unsupported-dtype',
        `"${name}" is ${t.dtype}; backprop tensors read F32, F64, I32, I64 (as int32) and BOOL`,
      );
  }
}
