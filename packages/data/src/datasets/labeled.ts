import type { Tensor } from '@backprop/core-tensor';

/**
 * Features and targets as tensors along a shared first (sample) dimension — the shape every built-in data set
 * returns, and what `Dataset.fromTensors` and `trainTestSplit` take.
 */
export interface LabeledData {
  /** Features, `[n, …]`. */
  xs: Tensor;
  /** Targets, `[n]` class ids (int32) or `[n, k]` values (float32). */
  ys: Tensor;
}
