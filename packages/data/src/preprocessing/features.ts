import type { DType, Tensor } from '@backprop/core-tensor';
import { ShapeError } from '@backprop/core-tensor';
import { fmtShape, sizeOf, toTensor } from '../arrays';

/** A tensor viewed as `n` samples (axis 0) of `width` features each (all other axes flattened). */
export interface FeatureView {
  values: ArrayLike<number>;
  n: number;
  width: number;
  featureShape: number[];
  dtype: DType;
}

export function featureView(op: string, x: Tensor): FeatureView {
  if (x.rank === 0) throw new ShapeError(`${op}: expected samples along axis 0, got a scalar`);
  const featureShape = x.shape.slice(1);
  return { values: x.dataSync(), n: x.shape[0]!, width: sizeOf(featureShape), featureShape, dtype: x.dtype };
}

export function checkFeatureShape(op: string, expected: readonly number[], x: FeatureView): void {
  if (fmtShape(expected) !== fmtShape(x.featureShape)) {
    throw new ShapeError(
      `${op}: the scaler was fitted on samples of shape ${fmtShape(expected)}, got ${fmtShape(x.featureShape)}`,
    );
  }
}

/** `out[i,j] = (x[i,j] − shift[j]) · scale[j]` as a tensor of x's shape; float64 stays float64, else float32. */
export function affine(x: FeatureView, shift: Float64Array, scale: Float64Array): Tensor {
  const { values, n, width } = x;
  const dtype: DType = x.dtype === 'float64' ? 'float64' : 'float32';
  const out = dtype === 'float64' ? new Float64Array(n * width) : new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < width; j++) out[i * width + j] = (values[i * width + j]! - shift[j]!) * scale[j]!;
  }
  return toTensor(out, [n, ...x.featureShape], dtype);
}
