import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { memory, type Tensor } from '@backprop/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFormatError, Dataset, fashionMnist, mnist, type ImageSplits } from '../src/index';
import { SHARED_DATA, hasShared } from './helpers';

const MNIST_DIR = `${SHARED_DATA}/mnist`;
const FASHION_DIR = `${SHARED_DATA}/fashion-mnist`;

function histogram(ys: Tensor, k = 10): number[] {
  const counts = new Array<number>(k).fill(0);
  ys.dataSync().forEach((c) => counts[c]!++);
  return counts;
}

/** Rebuilds the decompressed IDX file from loaded tensors, to checksum what the loader decoded. */
function rebuildIdx(t: Tensor, images: boolean): Uint8Array {
  const values = t.dataSync();
  const dims = images ? t.shape.slice(0, 3) : [t.shape[0]!];
  const head = 4 + 4 * dims.length;
  const out = new Uint8Array(head + values.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, images ? 0x803 : 0x801);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(values, head); // values are exact integers 0…255 with normalize: false
  return out;
}
const sha16 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

function pixelStats(xs: Tensor): { mean: number; std: number } {
  const v = xs.dataSync();
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < v.length; i++) {
    sum += v[i]!;
    sq += v[i]! * v[i]!;
  }
  const mean = sum / v.length;
  return { mean, std: Math.sqrt(sq / v.length - mean * mean) };
}

// Reading 55 MB of gzip and ten passes over 60 000 images take seconds, more on a busy machine.
const SLOW = { timeout: 120_000 };

describe.skipIf(!hasShared('mnist'))('MNIST (the real files in ../shared/data/mnist)', SLOW, () => {
  let raw: ImageSplits;
  beforeAll(async () => {
    raw = await mnist({ dir: MNIST_DIR, normalize: false });
  }, SLOW.timeout);

  it('has 60 000 training and 10 000 test images of 28×28×1 and int32 labels', () => {
    expect(raw.train.xs.shape).toEqual([60000, 28, 28, 1]);
    expect(raw.train.ys.shape).toEqual([60000]);
    expect(raw.test.xs.shape).toEqual([10000, 28, 28, 1]);
    expect(raw.test.ys.dtype).toBe('int32');
  });

  it('has the training label histogram the data README gives', () => {
    expect(histogram(raw.train.ys)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(histogram(raw.test.ys).reduce((a, b) => a + b)).toBe(10000);
  });

  it('decodes every byte: the files rebuilt from the tensors have the README checksums', () => {
    expect(sha16(rebuildIdx(raw.train.xs, true))).toBe('ba891046e6505d7a');
    expect(sha16(rebuildIdx(raw.train.ys, false))).toBe('65a50cbbf4e906d7');
    expect(sha16(rebuildIdx(raw.test.xs, true))).toBe('0fa7898d509279e4');
    expect(sha16(rebuildIdx(raw.test.ys, false))).toBe('ff7bcfd416de3373');
  });

  it('pixels have the well-known MNIST mean 0.1307 and deviation 0.3081 (on the 0…1 scale)', () => {
    const { mean, std } = pixelStats(raw.train.xs);
    expect(mean / 255).toBeCloseTo(0.1307, 4);
    expect(std / 255).toBeCloseTo(0.3081, 4);
  });

  it('memory stays flat over ten shuffled passes of batches when each batch is disposed', async () => {
    const ds = Dataset.fromTensors(raw.train).shuffle(60000, 0).batch(128);
    const start = memory();
    let peak = 0;
    let batches = 0;
    for (let epoch = 0; epoch < 10; epoch++) {
      for await (const { xs, ys } of ds) {
        peak = Math.max(peak, memory().numTensors - start.numTensors);
        batches++;
        xs.dispose();
        ys.dispose();
      }
    }
    expect(batches).toBe(10 * 469);
    expect(peak).toBeLessThanOrEqual(2); // one batch alive at a time
    // "≤" rather than "=": the garbage collector may meanwhile free unrelated tensors; a leak would only add.
    expect(memory().numTensors).toBeLessThanOrEqual(start.numTensors);
    expect(memory().numBytes).toBeLessThanOrEqual(start.numBytes);
  });

  describe('corrupted copies', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'backprop-mnist-bad-'));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));
    const names = [
      'train-images-idx3-ubyte',
      'train-labels-idx1-ubyte',
      't10k-images-idx3-ubyte',
      't10k-labels-idx1-ubyte',
    ];

    /** A copy of the MNIST folder with one file replaced by `edit(decompressed)` (recompressed), or by `gz` bytes. */
    function corrupted(
      tag: string,
      target: string,
      edit: { raw?: (b: Uint8Array) => Uint8Array; gz?: (b: Uint8Array) => Uint8Array },
    ): string {
      const dir = join(tmp, tag);
      mkdirSync(dir);
      for (const n of names) {
        const gz = readFileSync(join(MNIST_DIR, `${n}.gz`));
        let out: Uint8Array = gz;
        if (n === target && edit.raw) out = gzipSync(edit.raw(new Uint8Array(gunzipSync(gz))));
        if (n === target && edit.gz) out = edit.gz(new Uint8Array(gz));
        writeFileSync(join(dir, `${n}.gz`), out);
      }
      return dir;
    }

    it('truncated gzip names the file and the compressed length', async () => {
      const dir = corrupted('truncated', 't10k-labels-idx1-ubyte', { gz: (b) => b.subarray(0, 3000) });
      const err = await mnist({ dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataFormatError);
      expect((err as DataFormatError).file).toBe(join(dir, 't10k-labels-idx1-ubyte.gz'));
      expect((err as Error).message).toMatch(/byte offset 3000: truncated or corrupt gzip data/);
    });

    it('a wrong magic number names the file and offset 0', async () => {
      const dir = corrupted('magic', 'train-labels-idx1-ubyte', {
        raw: (b) => {
          b[2] = 0x0c;
          return b;
        },
      });
      await expect(mnist({ dir })).rejects.toThrow(
        /train-labels-idx1-ubyte\.gz, byte offset 0: wrong magic number 0x00000c01 \(expected 0x00000801\)/,
      );
    });

    it('a header count that disagrees with the file size is reported with both', async () => {
      const dir = corrupted('count', 't10k-labels-idx1-ubyte', {
        raw: (b) => {
          new DataView(b.buffer, b.byteOffset).setUint32(4, 10001);
          return b;
        },
      });
      await expect(mnist({ dir })).rejects.toThrow(
        /t10k-labels-idx1-ubyte\.gz, byte offset 10008: the header declares 10001 uint8 values \(10001 bytes\), but the file has 10000 bytes after the 8-byte header \(truncated\)/,
      );
    });
  });
});

describe.skipIf(!hasShared('fashion-mnist'))(
  'Fashion-MNIST (the real files in ../shared/data/fashion-mnist)',
  SLOW,
  () => {
    it('has 6000 training and 1000 test images per class and the known pixel statistics', async () => {
      const { train, test } = await fashionMnist({ dir: FASHION_DIR });
      expect(train.xs.shape).toEqual([60000, 28, 28, 1]);
      expect(histogram(train.ys)).toEqual(new Array(10).fill(6000));
      expect(histogram(test.ys)).toEqual(new Array(10).fill(1000));
      const { mean, std } = pixelStats(train.xs);
      expect(mean).toBeCloseTo(0.286, 3);
      expect(std).toBeCloseTo(0.353, 3);
    });
  },
);
