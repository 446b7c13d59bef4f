import type { Tensor } from 'backprop';
import { argmax, data, layers, losses, noGrad, scope, setSeed, softmax, tensor } from 'backprop';

/**
 * The drawing tab's classifier: an MLP trained in the page on the 8×8 scikit-learn digits embedded in
 * @backprop/data (MNIST's 47 MB of images are not shipped to the browser).
 */
export async function trainDigits(
  options: { epochs?: number; seed?: number; onEpoch?: (epoch: number, accuracy: number) => void } = {},
): Promise<{ model: layers.Sequential; testAccuracy: number }> {
  setSeed(options.seed ?? 0);
  const all = data.digits({ normalize: true });
  const { train, test } = data.trainTestSplit(all, {
    testSize: 0.2,
    seed: options.seed ?? 0,
    stratify: true,
  });
  const model = new layers.Sequential({ name: 'digits' });
  model.add(
    new layers.Dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [64] }),
  );
  model.add(new layers.Dense({ units: 10 }));
  model.compile({
    optimizer: 'adam',
    loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    metrics: ['accuracy'],
  });
  const epochs = options.epochs ?? 25;
  const onEpoch = options.onEpoch;
  class Report extends layers.Callback {
    override onEpochEnd(epoch: number, logs?: layers.Logs): void {
      onEpoch?.(epoch, logs?.accuracy ?? NaN);
    }
  }
  await model.fit(train.xs, train.ys, {
    epochs,
    batchSize: 32,
    verbose: 0,
    seed: options.seed ?? 0,
    callbacks: [new Report()],
  });
  const logs = await model.evaluate(test.xs, test.ys, { verbose: 0 });
  return { model, testAccuracy: logs.accuracy ?? NaN };
}

/**
 * A drawing (RGBA pixels, ink dark on light or light on dark: whichever is rarer is ink) as a digits sample:
 * the ink's bounding box scaled to fit 32×32 keeping its aspect ratio and centred, then each 4×4 block's count
 * of inked pixels (0…16), divided by 16. That is how the UCI digits were made from 32×32 bitmaps.
 */
export function toDigitsSample(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
): Float32Array | undefined {
  const ink = new Uint8Array(width * height);
  let dark = 0;
  for (let i = 0; i < width * height; i++) {
    const lum = (rgba[4 * i]! + rgba[4 * i + 1]! + rgba[4 * i + 2]!) / 3;
    ink[i] = lum < 128 ? 1 : 0;
    dark += ink[i]!;
  }
  if (dark > (width * height) / 2) for (let i = 0; i < ink.length; i++) ink[i] = 1 - ink[i]!;
  let x0 = width;
  let x1 = -1;
  let y0 = height;
  let y1 = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (ink[y * width + x]) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  if (x1 < 0) return undefined;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const scale = 32 / Math.max(w, h);
  const offX = (32 - w * scale) / 2;
  const offY = (32 - h * scale) / 2;
  const bitmap = new Uint8Array(32 * 32);
  for (let by = 0; by < 32; by++)
    for (let bx = 0; bx < 32; bx++) {
      const sx = Math.floor(x0 + (bx + 0.5 - offX) / scale);
      const sy = Math.floor(y0 + (by + 0.5 - offY) / scale);
      if (sx >= x0 && sx <= x1 && sy >= y0 && sy <= y1) bitmap[by * 32 + bx] = ink[sy * width + sx]!;
    }
  const out = new Float32Array(64);
  for (let by = 0; by < 32; by++)
    for (let bx = 0; bx < 32; bx++) out[(by >> 2) * 8 + (bx >> 2)]! += bitmap[by * 32 + bx]!;
  for (let i = 0; i < 64; i++) out[i] = out[i]! / 16;
  return out;
}

/** Class probabilities (softmax of the logits) for one 64-pixel sample. */
export function classify(model: layers.Sequential, sample: Float32Array): { probs: number[]; best: number } {
  return noGrad(() =>
    scope(() => {
      const logits: Tensor = model.predict(tensor(sample, [1, 64]));
      return { probs: Array.from(softmax(logits, -1).dataSync()), best: argmax(logits, -1).dataSync()[0]! };
    }),
  );
}
