/**
 * The saved form of a model: `model.json` (architecture, training config, weight and optimizer manifests) next
 * to two safetensors blobs (weights, optimizer slots). Converting between a Sequential and these artifacts lives
 * here; where the bytes go (memory, a directory, IndexedDB) is the targets' business.
 */
import type { DType, Tensor } from '@backprop/core-tensor';
import { DTYPES, bytesPerElement } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { getLoss, getMetric, serializeLoss, serializeMetric } from '@backprop/losses';
import type { OptimizerState } from '@backprop/optimizers';
import { getOptimizer, serializeOptimizer } from '@backprop/optimizers';
import type { MetricId } from '../engine/compile';
import type { LayerConfig } from '../registry';
import { Sequential } from '../sequential';
import { ModelFormatError } from './errors';
import { isRecord } from './json';
import { rebuilding } from './rebuilding';
import type { SafetensorsTensor } from './safetensors';
import { decodeSafetensors, encodeSafetensors } from './safetensors';
import { fromSafetensorsTensor, safetensorsDType, toSafetensorsTensor } from './tensors';

/** The `format` field of every model.json backprop writes. */
export const MODEL_FORMAT = 'backprop.model';
/** The version of the model.json layout this build writes (and the newest it reads). */
export const MODEL_FORMAT_VERSION = 1;

/** One weight of the manifest, in `model.weights` order. */
export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: DType;
}

/** Where a directory, URL or download keeps a blob, with what lets a loader detect a wrong or partial file. */
export interface FileRef {
  path: string;
  byteLength: number;
  /** Lower-case hex SHA-256 of the file. */
  sha256: string;
}

/** What `compile` was given, serialized: rebuilt on load so training resumes where it stopped. */
export interface TrainingConfig {
  optimizer: { className: string; config: Record<string, unknown> };
  loss: { className: string; config?: Record<string, unknown> };
  metrics: (string | { className: string; config?: Record<string, unknown> })[];
}

/** The optimizer's step count and, per variable and slot, the tensor name in the optimizer blob. */
export interface OptimizerStateManifest {
  iterations: number;
  slots: { variable: string; slot: string; key: string }[];
}

/** The JSON half of a saved model. */
export interface ModelJson {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  generatedBy: string;
  modelConfig: { className: 'Sequential'; config: { name: string; layers: LayerConfig[] } };
  /** The input shape (batch first, null) the model was built for, or null if it was saved unbuilt. */
  buildInputShape: (number | null)[] | null;
  weights: WeightEntry[];
  trainingConfig?: TrainingConfig;
  optimizerState?: OptimizerStateManifest;
  /** Set by targets that store blobs as separate files (directories, URLs, downloads). */
  files?: { weights: FileRef; optimizer?: FileRef };
}

/** A saved model in memory: what `saveModel(model, {kind: 'memory'})` returns and `loadModel` accepts. */
export interface ModelArtifacts {
  modelJson: ModelJson;
  /** The weights as a safetensors file, tensors named like the variables (`dense/kernel`). */
  weights: Uint8Array;
  /** The optimizer slots as a safetensors file, when saved with the optimizer. */
  optimizer?: Uint8Array;
}

/** Options of `saveModel`. */
export interface SaveOptions {
  /** Save the optimizer's state for an exact resume (default true; needs a compiled model). */
  includeOptimizer?: boolean;
}

/** Options of `loadModel`. */
export interface LoadOptions {
  /** Compile the model with the saved optimizer, loss and metrics (default true, when they were saved). */
  compile?: boolean;
}

function uniqueNames(what: string, variables: readonly Variable[]): void {
  const seen = new Set<string>();
  for (const v of variables) {
    if (seen.has(v.name))
      throw new ModelFormatError(
        `${what}: two weights are named "${v.name}"; saved weights are keyed by name`,
      );
    seen.add(v.name);
  }
}

/** The artifacts of a model: config, weights and (if compiled and asked for) optimizer state. */
export async function modelToArtifacts(
  model: Sequential,
  options: SaveOptions = {},
): Promise<ModelArtifacts> {
  // Build now if we can: otherwise the loaded model would draw fresh random weights at its first call.
  if (!model.built && model.inputShape) model.build();
  const variables = model.weights;
  uniqueNames('saveModel', variables);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const v of variables) tensors.set(v.name, await toSafetensorsTensor(v));
  const modelJson: ModelJson = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    generatedBy: '@backprop/layers',
    modelConfig: { className: 'Sequential', config: model.getConfig() },
    buildInputShape: model.built && model.inputShape ? [...model.inputShape] : null,
    weights: variables.map((v) => ({ name: v.name, shape: [...v.shape], dtype: v.dtype })),
  };
  const artifacts: ModelArtifacts = {
    modelJson,
    weights: encodeSafetensors(tensors, { format: 'backprop' }),
  };
  const compiled = model.compiled;
  if (compiled) {
    modelJson.trainingConfig = {
      optimizer: serializeOptimizer(compiled.optimizer),
      loss: serializeLoss(compiled.loss),
      metrics: compiled.metricIds.map((m) => (typeof m === 'string' ? m : serializeMetric(m))),
    };
    if (options.includeOptimizer ?? true) {
      const state = compiled.optimizer.getState();
      const slots: OptimizerStateManifest['slots'] = [];
      const blobs = new Map<string, SafetensorsTensor>();
      for (const [variable, record] of Object.entries(state.slots)) {
        for (const [slot, t] of Object.entries(record)) {
          const key = `${variable}/${slot}`;
          slots.push({ variable, slot, key });
          blobs.set(key, await toSafetensorsTensor(t));
        }
      }
      modelJson.optimizerState = { iterations: state.iterations, slots };
      artifacts.optimizer = encodeSafetensors(blobs, { format: 'backprop.optimizer' });
    }
  }
  // A JSON round trip now, so the in-memory artifacts hold exactly what a file would (no undefined, no class
  // instances) and a config that cannot be written fails at save time, not at load time.
  artifacts.modelJson = JSON.parse(JSON.stringify(modelJson)) as ModelJson;
  return artifacts;
}

const fail = (message: string): ModelFormatError => new ModelFormatError(`loadModel: ${message}`);

/** Checks the parts of an untrusted model.json that loading relies on, and returns it typed. */
export function checkModelJson(json: unknown): ModelJson {
  if (!isRecord(json)) throw fail('model.json must be a JSON object');
  if (json.format !== MODEL_FORMAT)
    throw fail(`not a backprop model (format is ${JSON.stringify(json.format)}, expected "${MODEL_FORMAT}")`);
  const version = json.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw fail(`formatVersion must be a positive integer, got ${JSON.stringify(version)}`);
  if (version > MODEL_FORMAT_VERSION)
    throw fail(
      `saved with format version ${version}; this build reads up to ${MODEL_FORMAT_VERSION} (upgrade)`,
    );
  const mc = json.modelConfig;
  if (
    !isRecord(mc) ||
    mc.className !== 'Sequential' ||
    !isRecord(mc.config) ||
    !Array.isArray(mc.config.layers)
  )
    throw fail('modelConfig must be {className: "Sequential", config: {name, layers: [...]}}');
  const weights = json.weights;
  const ok = (w: unknown): boolean =>
    isRecord(w) &&
    typeof w.name === 'string' &&
    Array.isArray(w.shape) &&
    w.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0) &&
    (DTYPES as readonly unknown[]).includes(w.dtype);
  if (!Array.isArray(weights) || !weights.every(ok))
    throw fail('weights must be a list of {name, shape: non-negative integers, dtype}');
  const shape = json.buildInputShape;
  if (shape !== null && !(Array.isArray(shape) && shape.every((d) => d === null || Number.isInteger(d))))
    throw fail(`buildInputShape must be null or a shape, got ${JSON.stringify(shape)}`);
  const tc = json.trainingConfig;
  if (tc !== undefined) {
    const named = (x: unknown): boolean => isRecord(x) && typeof x.className === 'string';
    if (
      !isRecord(tc) ||
      !named(tc.optimizer) ||
      !named(tc.loss) ||
      !Array.isArray(tc.metrics) ||
      !tc.metrics.every((m) => typeof m === 'string' || named(m))
    )
      throw fail(
        'trainingConfig must be {optimizer: {className, config}, loss: {className}, metrics: [...]}',
      );
  }
  const os = json.optimizerState;
  if (os !== undefined) {
    const entry = (s: unknown): boolean =>
      isRecord(s) &&
      typeof s.variable === 'string' &&
      typeof s.slot === 'string' &&
      typeof s.key === 'string';
    if (
      !isRecord(os) ||
      !Number.isInteger(os.iterations) ||
      !Array.isArray(os.slots) ||
      !os.slots.every(entry)
    )
      throw fail('optimizerState must be {iterations, slots: [{variable, slot, key}]}');
  }
  return json as unknown as ModelJson;
}

/** Decodes a weights blob and checks it holds exactly the tensors of `expected`, with their shapes and dtypes. */
export function readWeights(bytes: Uint8Array, expected: readonly WeightEntry[], what: string): Tensor[] {
  const file = decodeSafetensors(bytes);
  const wanted = new Set(expected.map((w) => w.name));
  const extra = [...file.tensors.keys()].filter((k) => !wanted.has(k));
  if (extra.length > 0) throw fail(`${what} has tensors the model does not: ${extra.join(', ')}`);
  return expected.map((w) => {
    const t = file.tensors.get(w.name);
    if (!t) throw fail(`${what} has no tensor "${w.name}"`);
    const sameShape = t.shape.length === w.shape.length && t.shape.every((d, i) => d === w.shape[i]);
    if (!sameShape || t.dtype !== safetensorsDType(w.dtype))
      throw fail(
        `"${w.name}" is ${t.dtype} [${t.shape.join(',')}] in ${what}; the model needs ` +
          `${safetensorsDType(w.dtype)} [${w.shape.join(',')}]`,
      );
    return fromSafetensorsTensor(t, w.name);
  });
}

/** Rebuilds the model of `artifacts`: architecture, weights, and (unless `compile: false`) compile + optimizer. */
export function artifactsToModel(artifacts: ModelArtifacts, options: LoadOptions = {}): Sequential {
  const json = checkModelJson(artifacts.modelJson);
  checkManifestFits(json.weights, artifacts.weights);
  const model = rebuilding('loadModel: the architecture in model.json cannot be rebuilt', () => {
    const m = Sequential.fromConfig(json.modelConfig.config);
    if (json.buildInputShape) m.build(json.buildInputShape);
    return m;
  });
  const names = model.weights.map((w) => `${w.name} [${w.shape.join(',')}] ${w.dtype}`);
  const saved = json.weights.map((w) => `${w.name} [${w.shape.join(',')}] ${w.dtype}`);
  if (names.join('\n') !== saved.join('\n'))
    throw fail(
      `the rebuilt model's weights (${names.join('; ') || 'none'}) differ from the saved ones ` +
        `(${saved.join('; ') || 'none'}); was a custom layer changed or not registered the same way?`,
    );
  if (json.weights.length > 0)
    model.setWeights(readWeights(artifacts.weights, json.weights, 'the weights file'));
  if (json.trainingConfig && (options.compile ?? true))
    rebuilding('loadModel: the training config in model.json cannot be restored', () =>
      compileFrom(model, json, artifacts.optimizer),
    );
  return model;
}

/**
 * The weights the manifest lists must fit in the weights file before anything is built: a model.json claiming
 * more (a 1e12-element kernel) is refused here, before any initializer allocates for it.
 */
function checkManifestFits(weights: readonly WeightEntry[], blob: Uint8Array | undefined): void {
  let bytes = 0;
  for (const w of weights) {
    bytes += w.shape.reduce((n, d) => n * d, 1) * bytesPerElement(w.dtype);
    if (!Number.isSafeInteger(bytes))
      throw fail(`the weights listed in model.json add up to more than 2^53 bytes ("${w.name}")`);
  }
  if (weights.length === 0) return;
  // A malformed file is reported as what it is (SafetensorsError, with its reason) before any size comparison.
  let have = 0;
  for (const t of decodeSafetensors(blob ?? new Uint8Array(0)).tensors.values()) have += t.data.byteLength;
  if (bytes > have)
    throw fail(
      `the weights model.json lists (${weights.length}, ${bytes} bytes) differ from the saved ones (${have} ` +
        'bytes in the weights file)',
    );
}

function compileFrom(model: Sequential, json: ModelJson, optimizerBytes: Uint8Array | undefined): void {
  const tc = json.trainingConfig!;
  let loss;
  try {
    loss = getLoss(tc.loss);
  } catch (e) {
    throw fail(`${(e as Error).message} (load with {compile: false}, then compile with your loss)`);
  }
  const metrics: MetricId[] = tc.metrics.map((m) => (typeof m === 'string' ? m : getMetric(m)));
  const optimizer = getOptimizer(tc.optimizer);
  model.compile({ optimizer, loss, metrics });
  const os = json.optimizerState;
  if (!os) return;
  if (!optimizerBytes) throw fail('model.json describes optimizer state but no optimizer file came with it');
  const file = decodeSafetensors(optimizerBytes);
  // Null-prototype records: a variable named "constructor" must not find Object.prototype's.
  const state: OptimizerState = {
    iterations: os.iterations,
    slots: Object.create(null) as OptimizerState['slots'],
  };
  for (const { variable, slot, key } of os.slots) {
    const t = file.tensors.get(key);
    if (!t) throw fail(`the optimizer file has no tensor "${key}"`);
    (state.slots[variable] ??= Object.create(null) as Record<string, Tensor>)[slot] = fromSafetensorsTensor(
      t,
      key,
    );
  }
  optimizer.setState(state);
}
