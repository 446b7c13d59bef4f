import { randomHex } from './file-refs';

/** The temporary-file prefix {@link writeFileAtomic} uses, so a later save can recognise leftovers. */
export const TMP_MARKER = '.tmp-';

/**
 * Writes a file so that readers see either the old content or the new, never a mix: the data goes to a temporary
 * file in the same directory, is flushed to disk, and is renamed over `path` (rename is atomic within a file
 * system). A process killed mid-write leaves the old file intact plus a stray temporary file. Node only.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const fs = await import('node:fs/promises');
  const paths = await import('node:path');
  const dir = paths.dirname(path);
  const tmp = paths.join(dir, `.${paths.basename(path)}${TMP_MARKER}${process.pid}-${randomHex(4)}`);
  const handle = await fs.open(tmp, 'wx');
  try {
    await handle.writeFile(data);
    // Flush before the rename: otherwise a power cut can leave the new name pointing at unwritten blocks.
    await handle.sync();
    await handle.close();
    await fs.rename(tmp, path);
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDirectory(dir);
}

/** Makes a rename durable (POSIX); platforms that cannot open a directory for syncing simply skip it. */
async function syncDirectory(dir: string): Promise<void> {
  const fs = await import('node:fs/promises');
  try {
    const h = await fs.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic there.
  }
}
