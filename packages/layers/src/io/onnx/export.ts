import { StateError } from '@backprop/core-tensor';
import type { SymbolicShape } from '../../engine/shape';
import type { Sequential } from '../../sequential';
import { layerSteps } from '../export-common';
import { GraphBuilder } from './graph';
import type { Value } from './layers';
import { convertLayer, finalLayout } from './layers';
import { ONNX_DTYPE, onnxRoot } from './schema';

/** Options of {@link exportOnnx}. */
export interface OnnxExportOptions {
  /** Name of the graph input (default 'input'). */
  inputName?: string;
  /** Name of the graph output (default 'output'). */
  outputName?: string;
  /** Stored in the model's doc_string. */
  docString?: string;
}

/** The IR version that goes with opset 13 (ONNX 1.8): readable by every runtime from 2020 on. */
const IR_VERSION = 7;
const OPSET = 13;

function valueInfo(name: string, elemType: number, shape: SymbolicShape): Record<string, unknown> {
  const dim = shape.map((d, i) => (d === null ? { dimParam: i === 0 ? 'batch' : `d${i}` } : { dimValue: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/**
 * Encodes the model as an ONNX file (opset 13), runnable in ONNX Runtime, TensorRT, OpenVINO and friends.
 * Inputs and outputs keep backprop's layout (NHWC images); inside, convolutions and pooling run NCHW with
 * Transposes inserted where the layout changes. Dropout is dropped (inference), BatchNormalization uses its
 * moving statistics. Supported: Dense, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAverage/MaxPooling2D,
 * BatchNormalization, LayerNormalization (last axis), Embedding, Flatten, Reshape, Dropout, Activation and every
 * activation of `ACTIVATIONS`. Float32 models only.
 * @example
 * await writeFile('model.onnx', await exportOnnx(model));
 */
export async function exportOnnx(model: Sequential, options: OnnxExportOptions = {}): Promise<Uint8Array> {
  const steps = layerSteps(model, 'exportOnnx');
  const g = new GraphBuilder();
  const inputName = g.reserve(options.inputName ?? 'input');
  const inputShape = steps[0]!.input;
  // Embedding takes integer ids: the graph input is then int32, as predict() receives them.
  const inputType = steps[0]!.layer.className === 'Embedding' ? ONNX_DTYPE.INT32 : ONNX_DTYPE.FLOAT;
  let x: Value = { name: inputName, rank: inputShape.length, nchw: false };
  for (const step of steps) x = await convertLayer(g, step, x);
  x = finalLayout(g, x);
  const outputName = options.outputName ?? 'output';
  g.nodes.push({
    name: g.fresh('output/Identity'),
    opType: 'Identity',
    input: [x.name],
    output: [g.reserve(outputName)],
    attribute: [],
  });
  const proto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'backprop',
    producerVersion: '@backprop/layers',
    docString: options.docString ?? '',
    graph: {
      name: model.name,
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(inputName, inputType, inputShape)],
      output: [valueInfo(outputName, ONNX_DTYPE.FLOAT, steps[steps.length - 1]!.output)],
    },
  };
  const ModelProto = onnxRoot().lookupType('onnx.ModelProto');
  const problem = ModelProto.verify(proto);
  if (problem) throw new StateError(`exportOnnx: internal error, invalid ModelProto: ${problem}`);
  return ModelProto.encode(ModelProto.fromObject(proto)).finish();
}
