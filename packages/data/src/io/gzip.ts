import { DataFormatError } from '../errors';
import { isNode } from './source';

/** True when `bytes` start with the gzip magic number 1f 8b (checked instead of trusting a `.gz` name). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip data (all members, as `gunzip` does). In Node it uses `node:zlib` on the libuv thread pool
 * (fast, and several files decompress in parallel); elsewhere the standard `DecompressionStream`. Truncated or
 * corrupt data is a `DataFormatError` naming `file` and the compressed size.
 */
export async function gunzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  return isNode() ? gunzipNode(bytes, file) : gunzipWeb(bytes, file);
}

/** @internal Exported for tests; `gunzip` picks the implementation. */
export async function gunzipNode(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  const zlib = await import(/* @vite-ignore */ 'node:zlib');
  try {
    const out = await new Promise<Uint8Array>((resolve, reject) =>
      zlib.gunzip(bytes, (err, result) => (err ? reject(err) : resolve(result))),
    );
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    throw corrupt(file, bytes.length, e);
  }
}

/** @internal Exported for tests; `gunzip` picks the implementation. */
export async function gunzipWeb(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') {
    throw new DataFormatError('gzip data, but this environment has no DecompressionStream to decompress it', {
      file,
    });
  }
  try {
    const input = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
    const reader = input.pipeThrough(new DecompressionStream('gzip')).getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } catch (e) {
    throw corrupt(file, bytes.length, e);
  }
}

function corrupt(file: string, compressedBytes: number, cause: unknown): DataFormatError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new DataFormatError(
    `truncated or corrupt gzip data (${compressedBytes} compressed bytes; decompressor said: ${detail})`,
    { file, offset: compressedBytes },
    { cause },
  );
}

/** `bytes` decompressed when they are gzip, else unchanged. */
export async function maybeGunzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  return isGzip(bytes) ? gunzip(bytes, file) : bytes;
}
