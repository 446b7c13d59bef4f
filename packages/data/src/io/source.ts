import { DataError } from '../errors';

/**
 * Where bytes come from: a file path (Node; in a browser a path is fetched as a relative URL), an `http(s):`,
 * `file:`, `data:` or `blob:` URL, a `Blob`/`File` (e.g. from an `<input type=file>`), or the bytes themselves.
 */
export type DataSource = string | URL | Uint8Array | ArrayBuffer | Blob;

/** Whether this runtime is Node (file paths and `node:` modules are available). */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

const URL_SCHEME = /^(https?|file|data|blob):/i;

/** A human-readable name for a source, used in error messages. */
export function sourceName(source: DataSource): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  if (source instanceof Blob) {
    return 'name' in source && typeof source.name === 'string' ? source.name : '<blob>';
  }
  return '<bytes>';
}

/** Reads a source completely. Missing files and failed requests are `DataError`s naming the source. */
export async function readBytes(source: DataSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  const href = source instanceof URL ? source.href : source;
  if (URL_SCHEME.test(href)) {
    if (/^file:/i.test(href) && isNode()) {
      const { fileURLToPath } = await import(/* @vite-ignore */ 'node:url');
      return readFile(fileURLToPath(href));
    }
    return fetchBytes(href);
  }
  return isNode() ? readFile(href) : fetchBytes(href);
}

export async function readFile(path: string): Promise<Uint8Array> {
  const fs = await import(/* @vite-ignore */ 'node:fs/promises');
  try {
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(e);
    throw new DataError(`cannot read ${path}: ${why}`, path, { cause: e });
  }
}

export async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new DataError(`cannot download ${url}: ${e instanceof Error ? e.message : String(e)}`, url, {
      cause: e,
    });
  }
  if (!response.ok) {
    throw new DataError(`cannot download ${url}: HTTP ${response.status} ${response.statusText}`.trim(), url);
  }
  return new Uint8Array(await response.arrayBuffer());
}
