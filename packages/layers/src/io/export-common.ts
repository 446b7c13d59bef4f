/** What the PyTorch and ONNX exporters share: layer walking, TF's 'same' padding, and axis permutes on raw data. */
import type { TypedArray } from '@backprop/core-tensor';
import { ArgumentError, StateError } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import type { SymbolicShape } from '../engine/shape';
import type { Layer } from '../layer';
import type { Sequential } from '../sequential';

/** Each layer with the (batch-first, symbolic) shape it receives and the one it returns. */
export interface LayerStep {
  layer: Layer;
  index: number;
  input: SymbolicShape;
  output: SymbolicShape;
}

/** The layers of a built model with their shapes; builds the model first when it knows its input shape. */
export function layerSteps(model: Sequential, who: string): LayerStep[] {
  if (!model.built && model.inputShape) model.build();
  const input = model.inputShape;
  if (!model.built || !input)
    throw new StateError(
      `${who}: build the model first (call it on data, or give the first layer an inputShape)`,
    );
  const outputs = model.outputShapes();
  return model.layers.map((layer, index) => ({
    layer,
    index,
    input: index === 0 ? input : outputs[index - 1]!,
    output: outputs[index]!,
  }));
}

/**
 * TensorFlow's split of 'same' padding for one spatial axis: total = max(0, (out−1)·s + (k−1)·d + 1 − n) with
 * out = ceil(n/s), floor(total/2) before and the rest after. PyTorch and ONNX take explicit pads, so the input
 * size must be known unless the stride is 1 (then total = (k−1)·d whatever n is).
 */
export function samePadding(
  n: number | null,
  k: number,
  s: number,
  d: number,
  who: string,
): [number, number] {
  const effective = (k - 1) * d + 1;
  let total: number;
  if (n === null) {
    if (s !== 1)
      throw new ArgumentError(`${who}: 'same' padding with stride ${s} needs a known input size to export`);
    total = effective - 1;
  } else total = Math.max(0, (Math.ceil(n / s) - 1) * s + effective - n);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The weight of `layer` named `<layer>/<short>` (e.g. 'kernel'), or undefined. */
export function weightOf(layer: Layer, short: string): Variable | undefined {
  return layer.weights.find((w) => w.name === `${layer.name}/${short}`);
}

/** `data` (row-major, of `shape`) with its axes reordered: out axis i is input axis perm[i]. */
export function permuteData<T extends TypedArray>(
  data: T,
  shape: readonly number[],
  perm: readonly number[],
): { data: T; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const stridesInOutOrder = perm.map((p) => inStrides[p]!);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < data.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += index[i]! * stridesInOutOrder[i]!;
    out[o] = data[src]!;
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i]! < outShape[i]!) break;
      index[i] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** An error for a layer or option an exporter cannot express. */
export function unsupported(who: string, layer: Layer, what: string): ArgumentError {
  return new ArgumentError(`${who}: ${layer.name} (${layer.className}): ${what}`);
}
