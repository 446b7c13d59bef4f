import { ArgumentError } from '@backprop/core-tensor';
import type { Sequential } from '../sequential';
import { writeFileAtomic } from './atomic';
import type { LoadOptions, ModelArtifacts, SaveOptions } from './model-format';
import { artifactsToModel, modelToArtifacts, readWeights } from './model-format';
import { encodeSafetensors } from './safetensors';
import type { IOSource, IOTarget, MemoryTarget } from './targets';
import { loadFrom, saveTo } from './targets';
import { readFileBytes } from './targets-node';
import { toSafetensorsTensor } from './tensors';

/**
 * Saves a model: its architecture and compile settings (model.json), its weights (safetensors) and, unless
 * `includeOptimizer: false`, its optimizer state, so that training resumes exactly where it stopped.
 * Directory saves are atomic: a crash mid-save leaves the previous save loadable.
 * @returns the saved artifacts (for `{ kind: 'memory' }`, the only copy).
 * @example
 * await saveModel(model, './checkpoints/mnist');            // Node: a directory
 * await saveModel(model, 'indexeddb://mnist');               // browser
 * const { modelJson, weights } = await saveModel(model, { kind: 'memory' });
 */
export async function saveModel(
  model: Sequential,
  target: IOTarget,
  options: SaveOptions = {},
): Promise<ModelArtifacts> {
  return saveTo(target, await modelToArtifacts(model, options));
}

/**
 * Loads a model saved by {@link saveModel}: rebuilt from its config, weights restored bit for bit, and (when it
 * was compiled, unless `compile: false`) compiled with the saved optimizer, loss and metrics, optimizer state
 * included. Every file is validated; a damaged or foreign file throws a ModelFormatError or SafetensorsError.
 * @example
 * const model = await loadModel('./checkpoints/mnist');
 */
export async function loadModel(source: IOSource, options: LoadOptions = {}): Promise<Sequential> {
  return artifactsToModel(await loadFrom(source), options);
}

/**
 * Saves only the weights, as one safetensors file named like the variables (`dense/kernel`), written atomically
 * to `target` (a file path, Node) or returned (`{ kind: 'memory' }`).
 */
export async function saveWeights(model: Sequential, target: string | MemoryTarget): Promise<Uint8Array> {
  if (!model.built) model.build();
  const tensors = new Map(
    await Promise.all(model.weights.map(async (v) => [v.name, await toSafetensorsTensor(v)] as const)),
  );
  if (tensors.size !== model.weights.length)
    throw new ArgumentError('saveWeights: weight names are not unique; saved weights are keyed by name');
  const bytes = encodeSafetensors(tensors, { format: 'backprop.weights' });
  if (typeof target === 'string') {
    await writeFileAtomic(target, bytes);
  } else if (target?.kind !== 'memory') {
    throw new ArgumentError("saveWeights: target must be a file path or { kind: 'memory' }");
  }
  return bytes;
}

/**
 * Loads weights saved by {@link saveWeights} (or any safetensors file with the same tensor names, shapes and
 * dtypes) into `model`, building it first if needed. Throws, changing nothing, if any tensor is missing, extra
 * or of the wrong shape.
 */
export async function loadWeights(model: Sequential, source: string | Uint8Array): Promise<void> {
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    bytes = await readFileBytes(source);
  } else bytes = source;
  if (!model.built) model.build();
  const manifest = model.weights.map((v) => ({ name: v.name, shape: [...v.shape], dtype: v.dtype }));
  model.setWeights(readWeights(bytes, manifest, 'the weights file'));
}
