/**
 * A model directory in Node: `model.json` plus `weights.<id>.safetensors` and `optimizer.<id>.safetensors`.
 * model.json is the commit point: blobs get fresh names and are written (atomically) first, model.json is
 * atomically replaced last, and only then are the previous blobs deleted. A process killed at any moment leaves
 * a model.json whose blobs all exist and are complete: the previous save or the new one, never a mix.
 * One writer per directory at a time.
 */
import { ModelFormatError } from './errors';
import { TMP_MARKER, writeFileAtomic } from './atomic';
import { fileRef, randomHex, readReferencedBlobs } from './file-refs';
import { parseUntrustedJson } from './json';
import type { ModelArtifacts } from './model-format';
import { checkModelJson } from './model-format';

const MODEL_JSON = 'model.json';
const BLOB = /^(weights|optimizer)\.[0-9a-f]+\.safetensors$/;

/** A directory given as itself or as the path of its model.json. */
async function directoryOf(path: string): Promise<string> {
  const paths = await import('node:path');
  return paths.basename(path) === MODEL_JSON ? paths.dirname(path) : path;
}

/** Saves artifacts into `path` (created if needed); returns them with `modelJson.files` filled in. */
export async function saveToDirectory(path: string, artifacts: ModelArtifacts): Promise<ModelArtifacts> {
  const fs = await import('node:fs/promises');
  const paths = await import('node:path');
  const dir = await directoryOf(path);
  await fs.mkdir(dir, { recursive: true });
  const id = randomHex();
  const weightsName = `weights.${id}.safetensors`;
  await writeFileAtomic(paths.join(dir, weightsName), artifacts.weights);
  const files: NonNullable<ModelArtifacts['modelJson']['files']> = {
    weights: await fileRef(weightsName, artifacts.weights),
  };
  if (artifacts.optimizer) {
    const optimizerName = `optimizer.${id}.safetensors`;
    await writeFileAtomic(paths.join(dir, optimizerName), artifacts.optimizer);
    files.optimizer = await fileRef(optimizerName, artifacts.optimizer);
  }
  const modelJson = { ...artifacts.modelJson, files };
  await writeFileAtomic(paths.join(dir, MODEL_JSON), JSON.stringify(modelJson, null, 1));
  await removeStale(dir, new Set([files.weights.path, files.optimizer?.path]));
  return { ...artifacts, modelJson };
}

/** Deletes blobs no longer referenced and temporary files left by processes that died mid-write. */
async function removeStale(dir: string, keep: Set<string | undefined>): Promise<void> {
  const fs = await import('node:fs/promises');
  const paths = await import('node:path');
  for (const name of await fs.readdir(dir)) {
    const tmpPid = name.includes(TMP_MARKER) ? Number(/\.tmp-(\d+)-/.exec(name)?.[1]) : undefined;
    const stale = (BLOB.test(name) && !keep.has(name)) || (tmpPid !== undefined && !isAlive(tmpPid));
    if (stale) await fs.rm(paths.join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid)) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * Loads artifacts from a model directory, checking each blob's length and SHA-256 against model.json. If a blob
 * vanished because a save committed while we read, model.json is read again (a few times) before giving up.
 */
export async function loadFromDirectory(path: string): Promise<ModelArtifacts> {
  const dir = await directoryOf(path);
  for (let attempt = 0; ; attempt++) {
    try {
      return await readDirectory(dir);
    } catch (e) {
      // Only a vanished blob is retried (fs errors carry a code; our own ModelFormatErrors do not).
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT' && attempt < 3) continue;
      if (typeof code !== 'string' || e instanceof ModelFormatError) throw e;
      // A blob that stays missing (or is a directory, or unreadable) is a model that cannot be loaded as it is.
      const error = new ModelFormatError(
        `loadModel: ${dir}: a file model.json names cannot be read (${(e as Error).message})`,
      );
      Object.defineProperty(error, 'cause', { value: e });
      throw error;
    }
  }
}

async function readDirectory(dir: string): Promise<ModelArtifacts> {
  const fs = await import('node:fs/promises');
  const paths = await import('node:path');
  let text: string;
  try {
    text = await fs.readFile(paths.join(dir, MODEL_JSON), 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT')
      throw new ModelFormatError(`loadModel: no ${MODEL_JSON} in ${dir}`);
    throw e;
  }
  const modelJson = checkModelJson(
    parseUntrustedJson(
      text,
      (_, m) => new ModelFormatError(`loadModel: ${paths.join(dir, MODEL_JSON)}: ${m}`),
    ),
  );
  return readReferencedBlobs(modelJson, paths.join(dir, MODEL_JSON), (file) =>
    readFileBytes(paths.join(dir, file)),
  );
}

/** Reads a whole file (Node) into 8-byte-aligned memory, so safetensors views need no copy. */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  const b = await fs.readFile(path);
  // Small Buffers share a pool at arbitrary offsets; copy only those.
  return b.byteOffset % 8 === 0 ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);
}
