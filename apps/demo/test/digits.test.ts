import { data } from 'backprop';
import { describe, expect, it } from 'vitest';
import { classify, toDigitsSample, trainDigits } from '../src/playground/digits';

/** A white RGBA canvas with black rectangles drawn on it. */
function canvas(w: number, h: number, rects: [number, number, number, number][]): Uint8ClampedArray {
  const px = new Uint8ClampedArray(w * h * 4).fill(255);
  for (const [x0, y0, x1, y1] of rects)
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) px.fill(0, 4 * (y * w + x), 4 * (y * w + x) + 3);
  return px;
}

describe('drawing → digits sample', () => {
  it('returns undefined for an empty canvas', () => {
    expect(toDigitsSample(canvas(50, 50, []), 50, 50)).toBeUndefined();
  });

  it('scales the ink to the full 8×8 grid: a filled square becomes all ones', () => {
    const s = toDigitsSample(canvas(100, 100, [[20, 30, 60, 70]]), 100, 100)!;
    expect(Array.from(s)).toEqual(new Array(64).fill(1));
  });

  it('keeps the aspect ratio: a tall bar stays in the middle columns', () => {
    const s = toDigitsSample(canvas(100, 100, [[45, 10, 55, 90]]), 100, 100)!;
    for (let r = 0; r < 8; r++) {
      expect(s[r * 8 + 0]).toBe(0);
      expect(s[r * 8 + 7]).toBe(0);
      expect(s[r * 8 + 3]! + s[r * 8 + 4]!).toBeGreaterThan(0.5);
    }
  });
});

describe('the in-page digits classifier', () => {
  it('learns the embedded digits to over 90% and classifies a real test image', async () => {
    const { model, testAccuracy } = await trainDigits({ epochs: 15 });
    expect(testAccuracy).toBeGreaterThan(0.9);
    const d = data.digits({ normalize: true });
    const xs = d.xs.dataSync();
    const ys = d.ys.dataSync();
    let right = 0;
    for (let i = 0; i < 50; i++)
      right += classify(model, Float32Array.from(xs.subarray(64 * i, 64 * i + 64))).best === ys[i] ? 1 : 0;
    expect(right).toBeGreaterThan(45);
  }, 30_000);
});
