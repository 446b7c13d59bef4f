import { StateError } from '@backprop/core-tensor';
import { ModelFormatError } from './errors';
import type { FileRef, ModelArtifacts, ModelJson } from './model-format';

function subtle(): SubtleCrypto {
  const s = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!s)
    throw new StateError(
      'saving to files needs WebCrypto (crypto.subtle): Node ≥ 20 or a secure browser context',
    );
  return s;
}

/** Lower-case hex SHA-256 of `bytes` (WebCrypto, so the same code runs in Node and browsers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await subtle().digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The reference a model.json keeps to one of its blobs. */
export async function fileRef(path: string, bytes: Uint8Array): Promise<FileRef> {
  return { path, byteLength: bytes.byteLength, sha256: await sha256Hex(bytes) };
}

/** Random lower-case hex, for file names that never collide with a previous save's. */
export function randomHex(bytes = 6): string {
  const b = new Uint8Array(bytes);
  (globalThis as { crypto: Crypto }).crypto.getRandomValues(b);
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * Checks a file reference from an untrusted model.json: a bare file name (no directories, so a model cannot point
 * a loader elsewhere on disk), a length and a digest.
 */
export function checkFileRef(ref: unknown, what: string): FileRef {
  const r = ref as Partial<FileRef> | null;
  const ok =
    typeof r === 'object' &&
    r !== null &&
    typeof r.path === 'string' &&
    /^[\w.-]+$/.test(r.path) &&
    !r.path.startsWith('.') &&
    Number.isSafeInteger(r.byteLength) &&
    typeof r.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(r.sha256);
  if (!ok)
    throw new ModelFormatError(
      `loadModel: model.json's ${what} reference must be {path: a bare file name, byteLength, sha256}, ` +
        `got ${JSON.stringify(ref)}`,
    );
  return r as FileRef;
}

/** Fails unless `bytes` are exactly the file `ref` describes (a partial or swapped file is never loaded). */
export async function verifyFile(bytes: Uint8Array, ref: FileRef): Promise<void> {
  if (bytes.byteLength !== ref.byteLength)
    throw new ModelFormatError(
      `loadModel: ${ref.path} has ${bytes.byteLength} bytes, model.json expects ${ref.byteLength} (partial copy?)`,
    );
  if ((await sha256Hex(bytes)) !== ref.sha256)
    throw new ModelFormatError(`loadModel: ${ref.path} does not match the SHA-256 recorded in model.json`);
}

/**
 * The artifacts of a model.json that names its blobs as files: each is fetched by `read(fileName)` and verified
 * against its reference. Shared by the directory, URL and picked-files sources.
 */
export async function readReferencedBlobs(
  modelJson: ModelJson,
  where: string,
  read: (fileName: string) => Promise<Uint8Array>,
): Promise<ModelArtifacts> {
  if (!modelJson.files) throw new ModelFormatError(`loadModel: ${where} names no weights file`);
  const fetchOne = async (ref: unknown, what: string): Promise<Uint8Array> => {
    const r = checkFileRef(ref, what);
    const bytes = await read(r.path);
    await verifyFile(bytes, r);
    return bytes;
  };
  const weights = await fetchOne(modelJson.files.weights, 'weights');
  if (modelJson.files.optimizer === undefined) return { modelJson, weights };
  return { modelJson, weights, optimizer: await fetchOne(modelJson.files.optimizer, 'optimizer') };
}
