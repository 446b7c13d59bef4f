/**
 * A saved model as one ArrayBuffer: for the browser (postMessage, a Blob, a WebSocket frame) and anywhere one
 * buffer travels better than a JSON object and two byte arrays. The layout follows safetensors' own:
 *
 *   bytes 0–7      "BPMODEL\0" (magic)
 *   bytes 8–15     N, the header's length in bytes (unsigned 64-bit little-endian)
 *   bytes 16–16+N  UTF-8 JSON: { "modelJson": {…}, "weights": [begin, end], "weightsSha256": "…",
 *                  "optimizer"?: [begin, end], "optimizerSha256"?: "…" }
 *   then           the blobs; offsets count from the end of the header, and the blobs fill the rest exactly
 *
 * The digests do for one buffer what model.json's file references do for a directory: a flipped byte anywhere in
 * the weights or the optimizer state is refused, never loaded as a slightly different model.
 *
 * Unpacking checks every length and offset against the buffer before reading anything, and then hands the
 * artifacts to `loadModel`, which validates the model and both safetensors files as it does for a directory.
 */
import { ModelFormatError } from './errors';
import { sha256Hex } from './file-refs';
import { isRecord, parseUntrustedJson } from './json';
import type { ModelArtifacts, ModelJson } from './model-format';

const MAGIC = [0x42, 0x50, 0x4d, 0x4f, 0x44, 0x45, 0x4c, 0x00]; // "BPMODEL\0"
const PREFIX = 16;
// A model.json is kilobytes; this bounds what a corrupt length field can make us decode.
const MAX_HEADER = 64 * 1024 * 1024;

/** Packs saved artifacts (from `saveModel(model, { kind: 'memory' })`) into one ArrayBuffer. */
export async function packModel(artifacts: ModelArtifacts): Promise<ArrayBuffer> {
  const { weights, optimizer } = artifacts;
  const header: Record<string, unknown> = {
    modelJson: artifacts.modelJson,
    weights: [0, weights.length],
    weightsSha256: await sha256Hex(weights),
  };
  if (optimizer) {
    header.optimizer = [weights.length, weights.length + optimizer.length];
    header.optimizerSha256 = await sha256Hex(optimizer);
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(PREFIX + json.length + weights.length + (optimizer?.length ?? 0));
  out.set(MAGIC, 0);
  new DataView(out.buffer).setBigUint64(8, BigInt(json.length), true);
  out.set(json, PREFIX);
  out.set(weights, PREFIX + json.length);
  if (optimizer) out.set(optimizer, PREFIX + json.length + weights.length);
  return out.buffer;
}

/** Whether `x` starts like a packed model (an ArrayBuffer or a byte view beginning with the magic). */
export function isPackedModel(x: unknown): x is ArrayBuffer | Uint8Array {
  const bytes = asBytes(x);
  return bytes !== undefined && bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

/** The artifacts inside a buffer made by {@link packModel}; a typed error names what is wrong with it. */
export async function unpackModel(buffer: ArrayBuffer | Uint8Array): Promise<ModelArtifacts> {
  const bytes = asBytes(buffer);
  const fail = (what: string): ModelFormatError => new ModelFormatError(`unpackModel: ${what}`);
  if (!bytes) throw fail('expected an ArrayBuffer or a Uint8Array');
  if (!isPackedModel(bytes)) throw fail('not a packed model (the first 8 bytes are not "BPMODEL\\0")');
  if (bytes.length < PREFIX)
    throw fail(`the buffer is ${bytes.length} bytes, shorter than its 16-byte prefix`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(8, true);
  if (n > BigInt(Math.min(MAX_HEADER, bytes.length - PREFIX)))
    throw fail(`the header claims ${n} bytes, but only ${bytes.length - PREFIX} follow the prefix`);
  const headerEnd = PREFIX + Number(n);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX, headerEnd));
  } catch {
    throw fail('the header is not valid UTF-8');
  }
  const header = parseUntrustedJson(text, (_kind, message) => fail(`header: ${message}`));
  if (!isRecord(header) || !isRecord(header.modelJson))
    throw fail('the header must be a JSON object with a "modelJson" object');
  const data = bytes.subarray(headerEnd);
  const weights = range(header.weights, 'weights', data.length, fail);
  const optimizer =
    header.optimizer === undefined ? undefined : range(header.optimizer, 'optimizer', data.length, fail);
  const end = optimizer ? optimizer[1] : weights[1];
  if (weights[0] !== 0 || (optimizer && optimizer[0] !== weights[1]) || end !== data.length)
    throw fail(
      `the blobs must fill the ${data.length} bytes after the header in order, without holes or overlap ` +
        `(weights ${JSON.stringify(weights)}${optimizer ? `, optimizer ${JSON.stringify(optimizer)}` : ''})`,
    );
  // Copies, so the artifacts own their bytes whatever happens to the caller's buffer.
  const artifacts: ModelArtifacts = {
    modelJson: header.modelJson as unknown as ModelJson,
    weights: data.slice(weights[0], weights[1]),
  };
  if (optimizer) artifacts.optimizer = data.slice(optimizer[0], optimizer[1]);
  await verify(artifacts.weights, header.weightsSha256, 'weights', fail);
  if (artifacts.optimizer) await verify(artifacts.optimizer, header.optimizerSha256, 'optimizer', fail);
  return artifacts;
}

function asBytes(x: unknown): Uint8Array | undefined {
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (x instanceof Uint8Array) return x;
  return undefined;
}

function range(
  v: unknown,
  what: string,
  size: number,
  fail: (what: string) => ModelFormatError,
): [number, number] {
  if (
    !Array.isArray(v) ||
    v.length !== 2 ||
    !v.every((x) => Number.isSafeInteger(x) && (x as number) >= 0) ||
    (v[0] as number) > (v[1] as number) ||
    (v[1] as number) > size
  )
    throw fail(`"${what}" must be [begin, end] with 0 ≤ begin ≤ end ≤ ${size}, got ${JSON.stringify(v)}`);
  return [v[0] as number, v[1] as number];
}

async function verify(
  blob: Uint8Array,
  digest: unknown,
  what: string,
  fail: (what: string) => ModelFormatError,
): Promise<void> {
  if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest))
    throw fail(`"${what}Sha256" must be the blob's lower-case hex SHA-256, got ${JSON.stringify(digest)}`);
  if ((await sha256Hex(blob)) !== digest)
    throw fail(`the ${what} blob does not match the SHA-256 recorded in the header (corrupted in transit?)`);
}
