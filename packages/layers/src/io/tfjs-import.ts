/**
 * Reads a TensorFlow.js layers model (`model.json` + binary weight shards, as `model.save()` or the Keras
 * converter write it) into a Sequential, for the layers backprop has. Keras and backprop share layouts (NHWC,
 * HWIO kernels, [in, out] Dense kernels) and weight names (`<layer>/kernel`), so weights load as they are.
 */
import { DTYPES, tensor } from '@backprop/core-tensor';
import type { DType, Tensor } from '@backprop/core-tensor';
import type { LayerConfig } from '../registry';
import { Sequential } from '../sequential';
import { ModelFormatError } from './errors';
import { isRecord, parseUntrustedJson } from './json';
import { rebuilding } from './rebuilding';
import { readFileBytes } from './targets-node';

/** A TF.js model already in memory: the parsed model.json and its weight shards, in manifest order. */
export interface TfjsArtifacts {
  modelJson: unknown;
  shards: Uint8Array[];
}

const fail = (message: string): ModelFormatError => new ModelFormatError(`loadTfjsModel: ${message}`);

// Keras option → backprop option, per layer class; options not listed (initializers, constraints, regularizers,
// data_format once checked) do not affect a loaded model's predictions and are dropped.
const OPTIONS: Record<string, Record<string, string>> = {
  Dense: { units: 'units', activation: 'activation', use_bias: 'useBias' },
  Conv2D: {
    filters: 'filters',
    kernel_size: 'kernelSize',
    strides: 'strides',
    padding: 'padding',
    dilation_rate: 'dilationRate',
    activation: 'activation',
    use_bias: 'useBias',
  },
  MaxPooling2D: { pool_size: 'poolSize', strides: 'strides', padding: 'padding' },
  AveragePooling2D: { pool_size: 'poolSize', strides: 'strides', padding: 'padding' },
  GlobalAveragePooling2D: { keepdims: 'keepDims' },
  GlobalMaxPooling2D: { keepdims: 'keepDims' },
  BatchNormalization: {
    axis: 'axis',
    momentum: 'momentum',
    epsilon: 'epsilon',
    center: 'center',
    scale: 'scale',
  },
  LayerNormalization: { axis: 'axis', epsilon: 'epsilon', center: 'center', scale: 'scale' },
  Flatten: {},
  Reshape: { target_shape: 'targetShape' },
  Dropout: { rate: 'rate', noise_shape: 'noiseShape', seed: 'seed' },
  Activation: { activation: 'activation' },
  Embedding: { input_dim: 'inputDim', output_dim: 'outputDim', input_length: 'inputLength' },
};

function convertLayers(topology: unknown): { name: string; layers: LayerConfig[] } {
  // model.save() writes {class_name, config}; the Keras converter wraps it as {model_config: {…}}.
  const top = isRecord(topology) && isRecord(topology.model_config) ? topology.model_config : topology;
  if (!isRecord(top) || top.class_name !== 'Sequential')
    throw fail('only Sequential models can be loaded (modelTopology.class_name must be "Sequential")');
  const config = top.config;
  // Keras 2.0-2.2 stored a bare list of layers.
  const list: unknown = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  if (!Array.isArray(list)) throw fail('modelTopology has no list of layers');
  const name = isRecord(config) && typeof config.name === 'string' ? config.name : 'sequential';
  const layers: LayerConfig[] = [];
  let pendingInput: unknown[] | undefined;
  for (const spec of list) {
    if (!isRecord(spec) || typeof spec.class_name !== 'string' || !isRecord(spec.config))
      throw fail('every layer must be {class_name, config}');
    const c = spec.config;
    const batchShape = c.batch_input_shape ?? c.batch_shape;
    if (spec.class_name === 'InputLayer') {
      pendingInput = Array.isArray(batchShape) ? batchShape : undefined;
      continue;
    }
    // Own keys only: a class named "constructor" or "__proto__" must not find Object.prototype's members.
    const table = Object.hasOwn(OPTIONS, spec.class_name) ? OPTIONS[spec.class_name] : undefined;
    if (!table)
      throw fail(
        `layer class "${spec.class_name}" is not supported; supported: ${Object.keys(OPTIONS).join(', ')}`,
      );
    if (c.data_format !== undefined && c.data_format !== 'channels_last')
      throw fail(
        `${JSON.stringify(c.name)}: data_format ${JSON.stringify(c.data_format)} (only channels_last is supported)`,
      );
    const out: Record<string, unknown> = { name: c.name, trainable: c.trainable ?? true };
    if (typeof c.dtype === 'string' && (DTYPES as readonly string[]).includes(c.dtype)) out.dtype = c.dtype;
    const shape = Array.isArray(batchShape) ? batchShape : pendingInput;
    if (shape) out.inputShape = shape.slice(1);
    pendingInput = undefined;
    for (const [keras, ours] of Object.entries(table)) if (c[keras] !== undefined) out[ours] = c[keras];
    // Keras 3 writes a single-axis BatchNormalization axis as a list.
    if (Array.isArray(out.axis) && out.axis.length === 1) out.axis = out.axis[0] as number;
    layers.push({ className: spec.class_name, config: out });
  }
  return { name, layers };
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: DType;
}

function weightSpecs(manifest: unknown): { paths: string[]; weights: WeightSpec[] } {
  if (!Array.isArray(manifest)) throw fail('weightsManifest must be a list of {paths, weights}');
  const paths: string[] = [];
  const weights: WeightSpec[] = [];
  for (const group of manifest) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights))
      throw fail('weightsManifest entries must be {paths, weights}');
    paths.push(...group.paths.map(String));
    for (const w of group.weights) {
      if (
        !isRecord(w) ||
        typeof w.name !== 'string' ||
        !Array.isArray(w.shape) ||
        !w.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)
      )
        throw fail('each weight must be {name, shape: non-negative integers, dtype}');
      if (w.quantization !== undefined)
        throw fail(`"${w.name}" is quantized; quantized weights are not supported`);
      if (w.dtype !== 'float32' && w.dtype !== 'int32')
        throw fail(`"${w.name}" has dtype ${String(w.dtype)}; float32 and int32 are supported`);
      weights.push({ name: w.name, shape: w.shape as number[], dtype: w.dtype });
    }
  }
  return { paths, weights };
}

/** Builds the model from parsed artifacts: layers from the topology, weights matched by name. */
export function tfjsArtifactsToModel(artifacts: TfjsArtifacts): Sequential {
  const json = artifacts.modelJson;
  if (!isRecord(json)) throw fail('model.json must be an object');
  const { name, layers } = convertLayers(json.modelTopology);
  const { weights } = weightSpecs(json.weightsManifest ?? []);
  const total = artifacts.shards.reduce((n, s) => n + s.byteLength, 0);
  const data = new Uint8Array(total);
  artifacts.shards.reduce((at, s) => (data.set(s, at), at + s.byteLength), 0);
  const byName = new Map<string, Tensor>();
  let offset = 0;
  for (const w of weights) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const end = offset + count * 4;
    if (!Number.isSafeInteger(count) || end > total)
      throw fail(`the weight shards hold ${total} bytes, too few for "${w.name}" [${w.shape.join(',')}]`);
    const bytes = data.slice(offset, end).buffer;
    const values = w.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
    // Keras 3 names weights "<layer>/kernel:0" in some exports; the ":0" suffix is TF's output index.
    byName.set(w.name.replace(/:0$/, ''), tensor(values, w.shape, w.dtype));
    offset = end;
  }
  if (offset !== total)
    throw fail(`the weight shards hold ${total} bytes but the manifest describes ${offset}`);
  const model = rebuilding('loadTfjsModel: the model in model.json cannot be rebuilt', () => {
    const m = Sequential.fromConfig({ name, layers });
    m.build();
    return m;
  });
  rebuilding('loadTfjsModel: the weights do not fit the model', () =>
    model.setWeights(
      model.weights.map((v) => {
        const t = byName.get(v.name);
        if (!t) throw fail(`no weight "${v.name}" in the manifest (has: ${[...byName.keys()].join(', ')})`);
        return t;
      }),
    ),
  );
  return model;
}

/**
 * Loads a TensorFlow.js layers model: a path to its model.json or directory (Node), an http(s) URL of the
 * model.json, or the parsed artifacts. Supports Sequential models of Dense, Conv2D, pooling, BatchNormalization,
 * LayerNormalization, Embedding, Flatten, Reshape, Dropout and Activation layers (channels_last), float32/int32
 * weights. The model comes back uncompiled, as TF.js saves no optimizer state.
 */
export async function loadTfjsModel(source: string | TfjsArtifacts): Promise<Sequential> {
  if (typeof source !== 'string') return tfjsArtifactsToModel(source);
  const remote = /^https?:\/\//i.test(source);
  const jsonPath = remote || source.endsWith('.json') ? source : `${source.replace(/\/$/, '')}/model.json`;
  const read = async (p: string): Promise<Uint8Array> => {
    if (!remote) return readFileBytes(p);
    const res = await fetch(p);
    if (!res.ok) throw fail(`GET ${p} answered ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
  const text = new TextDecoder().decode(await read(jsonPath));
  const modelJson = parseUntrustedJson(text, (_, m) => fail(`${jsonPath}: ${m}`));
  const { paths } = weightSpecs(isRecord(modelJson) ? (modelJson.weightsManifest ?? []) : []);
  const base = jsonPath.slice(0, jsonPath.lastIndexOf('/') + 1);
  const shards = await Promise.all(
    paths.map((p) => {
      if (!/^[\w.-]+$/.test(p) || p.startsWith('.')) throw fail(`shard path "${p}" must be a bare file name`);
      return read(remote ? new URL(p, jsonPath).href : `${base}${p}`);
    }),
  );
  return tfjsArtifactsToModel({ modelJson, shards });
}
