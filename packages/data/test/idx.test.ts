import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFormatError, loadIdx, parseIdx } from '../src/index';
import { gunzipNode, gunzipWeb } from '../src/io/gzip';
import { list } from './helpers';

/** Builds an IDX file by hand: big-endian magic (0, 0, type, rank), dims, then big-endian values. */
function idx(type: number, dims: number[], values: number[], width = 1): Uint8Array {
  const head = 4 + 4 * dims.length;
  const buf = new Uint8Array(head + values.length * width);
  const v = new DataView(buf.buffer);
  buf[2] = type;
  buf[3] = dims.length;
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d)); // DataView defaults to big-endian
  values.forEach((x, i) => {
    const at = head + i * width;
    if (type === 0x08) v.setUint8(at, x);
    else if (type === 0x09) v.setInt8(at, x);
    else if (type === 0x0b) v.setInt16(at, x);
    else if (type === 0x0c) v.setInt32(at, x);
    else if (type === 0x0d) v.setFloat32(at, x);
    else v.setFloat64(at, x);
  });
  return buf;
}

const tmp = mkdtempSync(join(tmpdir(), 'backprop-idx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('parseIdx', () => {
  it('decodes uint8 images with a big-endian header, as views of the input (no copy)', () => {
    const bytes = idx(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    const out = parseIdx(bytes);
    expect(out.shape).toEqual([2, 2, 3]);
    expect(out.type).toBe('uint8');
    expect(list(out.values)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    expect(out.values.buffer).toBe(bytes.buffer);
  });

  it('decodes dimensions above 2^16 and 2^24 (all four header bytes count)', () => {
    const out = parseIdx(idx(0x08, [70000, 0, 300], []));
    expect(out.shape).toEqual([70000, 0, 300]);
  });

  it.each([
    ['int8', 0x09, 1, [-128, -1, 0, 127]],
    ['int16', 0x0b, 2, [-32768, -2, 1, 32767]],
    ['int32', 0x0c, 4, [-2147483648, -3, 70000, 2147483647]],
    ['float32', 0x0d, 4, [-1.5, 0, 0.25, 3e38]],
    ['float64', 0x0e, 8, [-1e300, 0, Math.PI, 5e-324]],
  ] as const)('decodes %s values with byte swapping', (type, code, width, values) => {
    const out = parseIdx(idx(code, [4], [...values], width));
    expect(out.type).toBe(type);
    expect(list(out.values)).toEqual(type === 'float32' ? values.map(Math.fround) : values);
  });

  it('a wrong magic number is a DataFormatError at offset 0 naming the file', () => {
    const bytes = idx(0x08, [1], [5]);
    bytes[0] = 0x12;
    const err = (() => {
      try {
        parseIdx(bytes, 'images.idx');
      } catch (e) {
        return e;
      }
    })() as DataFormatError;
    expect(err).toBeInstanceOf(DataFormatError);
    expect(err.file).toBe('images.idx');
    expect(err.offset).toBe(0);
    expect(err.message).toMatch(/^images\.idx, byte offset 0: wrong magic number 0x12000801/);
  });

  it('gzip bytes passed as IDX are recognised in the message', () => {
    expect(() => parseIdx(gzipSync(idx(0x08, [1], [1])), 'x')).toThrow(/gzip file would start with 1f 8b/);
  });

  it('an unknown type code is reported at offset 2', () => {
    expect(() => parseIdx(idx(0x0a, [0], []), 'f')).toThrow(/f, byte offset 2: .*unknown IDX type code 0xa/);
  });

  it('an expectation on type and rank is checked against the magic number', () => {
    expect(() => parseIdx(idx(0x08, [3], [1, 2, 3]), 'labels', { type: 'uint8', rank: 3 })).toThrow(
      /wrong magic number 0x00000801 \(expected 0x00000803\): this file holds 1-D uint8 values/,
    );
  });

  it('counts that disagree with the file size are reported with both numbers and the offset', () => {
    const full = idx(
      0x08,
      [3, 2, 2],
      Array.from({ length: 12 }, (_, i) => i),
    );
    const short = full.subarray(0, full.length - 1);
    expect(() => parseIdx(short, 'img')).toThrow(
      /img, byte offset 27: the header declares 3 × 2 × 2 uint8 values \(12 bytes\), but the file has 11 bytes after the 16-byte header \(truncated\)/,
    );
    const long = new Uint8Array(full.length + 5);
    long.set(full);
    let err: unknown;
    try {
      parseIdx(long, 'img');
    } catch (e) {
      err = e;
    }
    expect((err as DataFormatError).offset).toBe(28);
    expect((err as Error).message).toMatch(/trailing data/);
  });

  it('a truncated header and a too-short file are errors', () => {
    expect(() => parseIdx(idx(0x08, [3, 2], []).subarray(0, 9), 'h')).toThrow(/truncated header/);
    expect(() => parseIdx(new Uint8Array(2), 'h')).toThrow(/too short/);
  });
});

describe('loadIdx and gzip', () => {
  const plain = idx(0x08, [2, 3], [1, 2, 3, 4, 5, 6]);

  it('reads plain and gzip files from disk (gzip recognised by content, not name)', async () => {
    writeFileSync(join(tmp, 'a.idx'), plain);
    writeFileSync(join(tmp, 'b.idx'), gzipSync(plain)); // compressed, though not named .gz
    for (const name of ['a.idx', 'b.idx']) {
      const out = await loadIdx(join(tmp, name));
      expect(out.shape).toEqual([2, 3]);
      expect(list(out.values)).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it('reads from bytes, Blobs and file: URLs', async () => {
    expect((await loadIdx(gzipSync(plain))).shape).toEqual([2, 3]);
    expect((await loadIdx(new Blob([plain.slice().buffer]))).shape).toEqual([2, 3]);
    writeFileSync(join(tmp, 'c.idx'), plain);
    expect((await loadIdx(new URL(`file://${join(tmp, 'c.idx')}`))).shape).toEqual([2, 3]);
  });

  it('truncated gzip is a DataFormatError naming the file and the compressed length', async () => {
    const gz = gzipSync(new Uint8Array(10000).fill(7));
    const cut = gz.subarray(0, gz.length - 20);
    const path = join(tmp, 'cut.gz');
    writeFileSync(path, cut);
    const err = await loadIdx(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as DataFormatError).file).toBe(path);
    expect((err as DataFormatError).offset).toBe(cut.length);
    expect((err as Error).message).toMatch(/truncated or corrupt gzip data/);
  });

  it('a missing file is a DataError naming it', async () => {
    await expect(loadIdx(join(tmp, 'nope.idx'))).rejects.toThrow(/cannot read .*nope\.idx: no such file/);
  });

  it('the browser decompressor (DecompressionStream) gives the same bytes and the same typed error', async () => {
    const data = Uint8Array.from({ length: 70000 }, (_, i) => (i * 31) % 251);
    const gz = gzipSync(data);
    expect(list(await gunzipWeb(gz, 'w'))).toEqual(list(data));
    expect(list(await gunzipNode(gz, 'n'))).toEqual(list(data));
    // Two gzip members back to back decompress to both payloads, as gunzip(1) does.
    const two = new Uint8Array([...gzipSync(Uint8Array.of(1, 2)), ...gzipSync(Uint8Array.of(3))]);
    expect(list(await gunzipNode(two, 'n'))).toEqual([1, 2, 3]);
    await expect(gunzipWeb(gz.subarray(0, gz.length - 10), 'w.gz')).rejects.toThrow(DataFormatError);
    await expect(gunzipWeb(gz.subarray(0, gz.length - 10), 'w.gz')).rejects.toThrow(/^w\.gz, byte offset/);
  });
});
