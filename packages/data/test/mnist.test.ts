import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, DataFormatError, fashionMnist, mnist } from '../src/index';
import { list } from './helpers';

// Small MNIST-format files made here (5 training and 3 test images of 2×3 pixels), so these tests run anywhere.
// The real files are tested in mnist-files.test.ts.
function idxImages(n: number, rows: number, cols: number, pixel: (i: number) => number): Uint8Array {
  const buf = new Uint8Array(16 + n * rows * cols);
  const v = new DataView(buf.buffer);
  v.setUint32(0, 0x803);
  v.setUint32(4, n);
  v.setUint32(8, rows);
  v.setUint32(12, cols);
  for (let i = 0; i < n * rows * cols; i++) buf[16 + i] = pixel(i);
  return buf;
}
function idxLabels(labels: number[]): Uint8Array {
  const buf = new Uint8Array(8 + labels.length);
  new DataView(buf.buffer).setUint32(0, 0x801);
  new DataView(buf.buffer).setUint32(4, labels.length);
  buf.set(labels, 8);
  return buf;
}
const FILES: Record<string, Uint8Array> = {
  'train-images-idx3-ubyte': idxImages(5, 2, 3, (i) => (i * 17) % 256),
  'train-labels-idx1-ubyte': idxLabels([3, 1, 4, 1, 5]),
  't10k-images-idx3-ubyte': idxImages(3, 2, 3, (i) => 255 - i),
  't10k-labels-idx1-ubyte': idxLabels([9, 2, 6]),
};

const tmp = mkdtempSync(join(tmpdir(), 'backprop-mnist-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function writeSet(
  dir: string,
  gz: boolean,
  edit: (name: string, bytes: Uint8Array) => Uint8Array = (_, b) => b,
): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(FILES)) {
    const b = edit(name, bytes);
    writeFileSync(join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(b) : b);
  }
  return dir;
}

describe('mnist() from a folder', () => {
  it('loads gzip files into [n, rows, cols, 1] float32 images scaled to [0, 1] and int32 labels', async () => {
    const { train, test } = await mnist({ dir: writeSet(join(tmp, 'gz'), true) });
    expect(train.xs.shape).toEqual([5, 2, 3, 1]);
    expect(train.xs.dtype).toBe('float32');
    expect(train.ys.dtype).toBe('int32');
    expect(list(train.ys.dataSync())).toEqual([3, 1, 4, 1, 5]);
    expect(list(test.ys.dataSync())).toEqual([9, 2, 6]);
    const expected = Array.from({ length: 30 }, (_, i) => Math.fround(((i * 17) % 256) / 255));
    expect(list(train.xs.dataSync())).toEqual(expected);
    expect(test.xs.dataSync()[0]).toBe(1);
  });

  it('loads uncompressed files too; flatten and normalize: false change the layout and scale', async () => {
    const { train } = await mnist({
      dir: writeSet(join(tmp, 'plain'), false),
      flatten: true,
      normalize: false,
    });
    expect(train.xs.shape).toEqual([5, 6]);
    expect(list(train.xs.dataSync().subarray(0, 4))).toEqual([0, 17, 34, 51]);
  });

  it('a missing folder is a DataError telling the user what to pass', async () => {
    await expect(mnist({ dir: join(tmp, 'absent') })).rejects.toThrow(DataError);
    await expect(mnist({ dir: join(tmp, 'absent') })).rejects.toThrow(/pass \{dir\} pointing at the folder/);
  });

  it('labels and images that disagree in count are an error naming both files', async () => {
    const dir = writeSet(join(tmp, 'count'), true, (name, b) =>
      name === 'train-labels-idx1-ubyte' ? idxLabels([1, 2, 3, 4]) : b,
    );
    await expect(mnist({ dir })).rejects.toThrow(
      /train-labels-idx1-ubyte\.gz, byte offset 4: 4 labels, but .*train-images-idx3-ubyte\.gz holds 5 images/,
    );
  });

  it('a labels file in place of an images file is a wrong magic number', async () => {
    const dir = writeSet(join(tmp, 'swap'), true, (name, b) =>
      name === 't10k-images-idx3-ubyte' ? idxLabels([1]) : b,
    );
    await expect(mnist({ dir })).rejects.toThrow(
      /t10k-images-idx3-ubyte\.gz, byte offset 0: wrong magic number 0x00000801 \(expected 0x00000803\)/,
    );
  });
});

describe('mnist() from a URL with a cache directory (a local HTTP server; nothing leaves the machine)', () => {
  let server: Server;
  let base = '';
  const requests: string[] = [];
  let corrupt = false;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const name = (req.url ?? '').split('/').pop()!.replace(/\.gz$/, '');
      requests.push(name);
      const bytes = FILES[name];
      if (!bytes || req.url?.includes('/missing/')) {
        res.writeHead(404).end();
        return;
      }
      const gz = gzipSync(bytes);
      res
        .writeHead(200, { 'content-type': 'application/gzip' })
        .end(corrupt ? gz.subarray(0, gz.length - 8) : gz);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mnist`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('downloads once into the cache and reads the cache afterwards', async () => {
    const cacheDir = join(tmp, 'cache');
    requests.length = 0;
    const first = await mnist({ url: base, cacheDir, verify: false });
    expect(list(first.train.ys.dataSync())).toEqual([3, 1, 4, 1, 5]);
    expect(requests).toHaveLength(4);
    expect(readdirSync(cacheDir).sort()).toEqual(
      Object.keys(FILES)
        .map((f) => `${f}.gz`)
        .sort(),
    );
    const second = await mnist({ url: `${base}/`, cacheDir, verify: false });
    expect(list(second.test.ys.dataSync())).toEqual([9, 2, 6]);
    expect(requests).toHaveLength(4); // no new request
  });

  it('checks downloads against the published MNIST checksums: other bytes are refused and not cached', async () => {
    const cacheDir = join(tmp, 'cache-verify');
    const err = await mnist({ url: base, cacheDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(
      /checksum mismatch for http:\/\/127\.0\.0\.1:\d+\/mnist\/.*-ubyte\.gz: expected SHA-256/,
    );
    expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
  });

  it('a truncated download is a DataFormatError naming the URL', async () => {
    corrupt = true;
    try {
      const err = await fashionMnist({ url: base, cacheDir: join(tmp, 'cache-cut'), verify: false }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DataFormatError);
      expect((err as Error).message).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/mnist\/.*\.gz, byte offset \d+: truncated or corrupt gzip/,
      );
    } finally {
      corrupt = false;
    }
  });

  it('an HTTP error or an unreachable server is a DataError naming the URL', async () => {
    const notFound = await mnist({ url: `${base}/missing/`, cacheDir: join(tmp, 'c404') }).catch(
      (e: unknown) => e,
    );
    expect(notFound).toBeInstanceOf(DataError);
    expect((notFound as Error).message).toMatch(/cannot download http:.*\/missing\/.*-ubyte\.gz: HTTP 404/);
    const dead = await mnist({ url: 'http://127.0.0.1:1/', cacheDir: join(tmp, 'cdead') }).catch(
      (e: unknown) => e,
    );
    expect(dead).toBeInstanceOf(DataError);
    expect((dead as Error).message).toMatch(/cannot download http:\/\/127\.0\.0\.1:1\//);
  });
});
