/**
 * Browser targets: `indexeddb://name` (one record per model, written in one transaction, so a save is atomic),
 * `downloads://name` (the files the browser offers to save) and {@link browserFiles} (loading those files back
 * from an `<input type="file">`). Each checks for the browser feature it needs and says so when it is missing.
 */
import { ModelFormatError } from './errors';
import { fileRef, readReferencedBlobs } from './file-refs';
import { parseUntrustedJson } from './json';
import type { ModelArtifacts } from './model-format';
import { checkModelJson } from './model-format';
import type { IOHandler } from './targets';

const DB_NAME = 'backprop-models';
const STORE = 'models';

function indexedDBFactory(): IDBFactory {
  const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory)
    throw new ModelFormatError(
      'indexeddb://: IndexedDB is not available here (it exists in browsers; in Node save to a directory path)',
    );
  return factory;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new ModelFormatError('IndexedDB request failed'));
  });
}

async function openDatabase(): Promise<IDBDatabase> {
  const req = indexedDBFactory().open(DB_NAME, 1);
  req.onupgradeneeded = () => req.result.createObjectStore(STORE);
  return request(req);
}

async function inStore<T>(
  mode: IDBTransactionMode,
  use: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDatabase();
  try {
    const tx = db.transaction(STORE, mode);
    const result = request(use(tx.objectStore(STORE)));
    // Resolve only when the transaction commits: a put is durable (and atomic) at complete, not at success.
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = tx.onerror = () =>
        reject(tx.error ?? new ModelFormatError('IndexedDB transaction aborted'));
    });
    return await result;
  } finally {
    db.close();
  }
}

/** `indexeddb://name`: the model in the browser's IndexedDB (database "backprop-models"), under `name`. */
export function indexedDBHandler(name: string): IOHandler {
  return {
    async save(artifacts) {
      await inStore('readwrite', (s) => s.put({ ...artifacts }, name));
      return artifacts;
    },
    async load() {
      const record = await inStore('readonly', (s) => s.get(name) as IDBRequest<unknown>);
      if (record === undefined)
        throw new ModelFormatError(`loadModel: no model named "${name}" in IndexedDB`);
      const r = record as Partial<ModelArtifacts>;
      if (!(r.weights instanceof Uint8Array))
        throw new ModelFormatError(`loadModel: IndexedDB record "${name}" is not a saved model`);
      const modelJson = checkModelJson(r.modelJson);
      return r.optimizer instanceof Uint8Array
        ? { modelJson, weights: r.weights, optimizer: r.optimizer }
        : { modelJson, weights: r.weights };
    },
  };
}

/** Deletes `indexeddb://name` (no error if absent). */
export async function removeIndexedDBModel(name: string): Promise<void> {
  await inStore('readwrite', (s) => s.delete(name));
}

/**
 * `downloads://name`: offers `name.json`, `name.weights.safetensors` and (with optimizer state)
 * `name.optimizer.safetensors` as downloads. Load them back with {@link browserFiles}.
 */
export function downloadsHandler(name: string): IOHandler {
  return {
    async save(artifacts) {
      const doc = (globalThis as { document?: Document }).document;
      if (!doc || typeof URL.createObjectURL !== 'function')
        throw new ModelFormatError('downloads://: needs a browser page (document and URL.createObjectURL)');
      const files: NonNullable<ModelArtifacts['modelJson']['files']> = {
        weights: await fileRef(`${name}.weights.safetensors`, artifacts.weights),
      };
      if (artifacts.optimizer)
        files.optimizer = await fileRef(`${name}.optimizer.safetensors`, artifacts.optimizer);
      const modelJson = { ...artifacts.modelJson, files };
      const offer = (file: string, blob: Blob): void => {
        const url = URL.createObjectURL(blob);
        const a = doc.createElement('a');
        a.download = file;
        a.href = url;
        a.click();
        // Revoking at once can cancel the download in some browsers; a minute is plenty.
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      };
      offer(files.weights.path, new Blob([artifacts.weights as Uint8Array<ArrayBuffer>]));
      if (artifacts.optimizer && files.optimizer)
        offer(files.optimizer.path, new Blob([artifacts.optimizer as Uint8Array<ArrayBuffer>]));
      offer(`${name}.json`, new Blob([JSON.stringify(modelJson)], { type: 'application/json' }));
      return { ...artifacts, modelJson };
    },
  };
}

/** Files a user picked (e.g. `input.files`): one model .json and the safetensors files it names. */
export function browserFiles(files: Iterable<Blob & { readonly name: string }>): IOHandler {
  const list = [...files];
  return {
    async load() {
      const jsons = list.filter((f) => f.name.endsWith('.json'));
      if (jsons.length !== 1)
        throw new ModelFormatError(`browserFiles: expected exactly one .json file, got ${jsons.length}`);
      const modelJson = checkModelJson(
        parseUntrustedJson(await jsons[0]!.text(), (_, m) => new ModelFormatError(`loadModel: ${m}`)),
      );
      return readReferencedBlobs(modelJson, jsons[0]!.name, async (name) => {
        const file = list.find((f) => f.name === name);
        if (!file) throw new ModelFormatError(`browserFiles: ${name} was not among the files given`);
        return new Uint8Array(await file.arrayBuffer());
      });
    },
  };
}
