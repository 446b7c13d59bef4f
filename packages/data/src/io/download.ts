import { DataError } from '../errors';
import { sha256Hex } from './sha256';
import { fetchBytes, isNode, readFile } from './source';

/** One file to download: its URL, the name it is cached under, and its expected SHA-256 (hex), if known. */
export interface RemoteFile {
  url: string;
  fileName: string;
  sha256?: string;
}

/**
 * The bytes of a remote file, through a cache directory (Node only): a cached copy whose checksum matches is
 * used without touching the network; otherwise the file is downloaded, checked, and written to the cache
 * atomically (a temporary file renamed into place), so an interrupted download never leaves a corrupt cache
 * entry. A download that does not match its checksum is a `DataError` and is not cached. Without a cache
 * directory (and in browsers, where the HTTP cache does this job) the file is fetched and checked each time.
 */
export async function fetchCached(file: RemoteFile, cacheDir: string | undefined): Promise<Uint8Array> {
  if (cacheDir === undefined || !isNode()) return verify(await fetchBytes(file.url), file);
  const path = await import(/* @vite-ignore */ 'node:path');
  const fs = await import(/* @vite-ignore */ 'node:fs/promises');
  const target = path.join(cacheDir, file.fileName);
  const cached = await readFile(target).catch(() => undefined);
  if (cached && (file.sha256 === undefined || (await sha256Hex(cached)) === file.sha256)) return cached;
  const bytes = await verify(await fetchBytes(file.url), file);
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.mkdir(cacheDir, { recursive: true });
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new DataError(
      `downloaded ${file.url} but cannot write the cache file ${target}: ${String(e)}`,
      target,
      {
        cause: e,
      },
    );
  }
  return bytes;
}

async function verify(bytes: Uint8Array, file: RemoteFile): Promise<Uint8Array> {
  if (file.sha256 === undefined) return bytes;
  const actual = await sha256Hex(bytes);
  if (actual !== file.sha256) {
    throw new DataError(
      `checksum mismatch for ${file.url}: expected SHA-256 ${file.sha256}, got ${actual} (${bytes.length} bytes); ` +
        'the download is incomplete or the server sends a different file (pass verify: false to accept it)',
      file.url,
    );
  }
  return bytes;
}
