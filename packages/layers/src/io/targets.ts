import { ArgumentError } from '@backprop/core-tensor';
import { ModelFormatError } from './errors';
import { isRecord } from './json';
import { unpackModel } from './pack';
import type { ModelArtifacts } from './model-format';
import { downloadsHandler, indexedDBHandler } from './targets-browser';
import { httpHandler } from './targets-http';
import { loadFromDirectory, saveToDirectory } from './targets-node';

/** Keep the saved model in memory: `saveModel` resolves to the {@link ModelArtifacts}. */
export interface MemoryTarget {
  kind: 'memory';
}

/**
 * Where models go and come from, for storage this package does not know: implement `save` and/or `load`.
 * `save` may return the artifacts with `modelJson.files` filled in.
 */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<ModelArtifacts>;
  load?(): Promise<ModelArtifacts>;
}

/**
 * Where `saveModel` writes:
 * - a path string (Node): a directory holding model.json and safetensors files, written atomically;
 *   `file://` URLs work too;
 * - `'indexeddb://name'` (browser): one IndexedDB record;
 * - `'downloads://name'` (browser): files offered as downloads;
 * - `{ kind: 'memory' }`: nothing is written, the artifacts are returned;
 * - any {@link IOHandler}.
 */
export type IOTarget = string | MemoryTarget | IOHandler;

/**
 * Where `loadModel` reads: the targets above, `http(s)://` URLs, {@link ModelArtifacts}, one ArrayBuffer made by
 * `packModel`, or an IOHandler.
 */
export type IOSource = string | ModelArtifacts | ArrayBuffer | IOHandler;

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

function isNode(): boolean {
  return (
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string'
  );
}

/** A Node file-system path for `spec`, or an error that says what works here instead. */
async function nodePath(spec: string): Promise<string> {
  if (!isNode())
    throw new ModelFormatError(
      `"${spec}" is a file path, which needs Node; in a browser use 'indexeddb://name', 'downloads://name', ` +
        `{ kind: 'memory' }, or load from an http(s) URL`,
    );
  if (!spec.toLowerCase().startsWith('file://')) return spec;
  const { fileURLToPath } = await import('node:url');
  return fileURLToPath(spec);
}

function directoryHandler(spec: string): IOHandler {
  return {
    save: async (a) => saveToDirectory(await nodePath(spec), a),
    load: async () => loadFromDirectory(await nodePath(spec)),
  };
}

/** The handler a target string names. */
export function resolveHandler(spec: string): IOHandler {
  const scheme = SCHEME.exec(spec)?.[1]?.toLowerCase();
  const rest = spec.slice((scheme?.length ?? 0) + 3);
  switch (scheme) {
    case undefined:
    case 'file':
      return directoryHandler(spec);
    case 'indexeddb':
      return indexedDBHandler(rest);
    case 'downloads':
      return downloadsHandler(rest);
    case 'http':
    case 'https':
      return httpHandler(spec);
    default:
      throw new ArgumentError(
        `unknown scheme "${scheme}://" in ${JSON.stringify(spec)}; use a path, file://, indexeddb://, ` +
          `downloads://, or http(s):// to load`,
      );
  }
}

/** Whether `x` looks like in-memory {@link ModelArtifacts}. */
export function isArtifacts(x: unknown): x is ModelArtifacts {
  return isRecord(x) && 'modelJson' in x && x.weights instanceof Uint8Array;
}

/** Saves through a target; memory returns the artifacts unchanged. */
export async function saveTo(target: IOTarget, artifacts: ModelArtifacts): Promise<ModelArtifacts> {
  if (isRecord(target) && (target as Partial<MemoryTarget>).kind === 'memory') return artifacts;
  const handler = typeof target === 'string' ? resolveHandler(target) : (target as IOHandler);
  if (typeof handler.save !== 'function')
    throw new ArgumentError(`saveModel: ${describe(target)} cannot be saved to (it has no save)`);
  return handler.save(artifacts);
}

/** Loads artifacts from a source. */
export async function loadFrom(source: IOSource): Promise<ModelArtifacts> {
  if (isArtifacts(source)) return source;
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) return await unpackModel(source);
  const handler: IOHandler | null = typeof source === 'string' ? resolveHandler(source) : source;
  if (typeof handler?.load !== 'function')
    throw new ArgumentError(`loadModel: ${describe(source)} cannot be loaded from (it has no load)`);
  return await handler.load();
}

function describe(x: unknown): string {
  return typeof x === 'string' ? JSON.stringify(x) : 'this target';
}
