import type { Tensor } from 'backprop';
import { argmax, layers, losses, noGrad, scope, setSeed, softmax, tensor } from 'backprop';

/** Images as [n, 784] floats in [0, 1] and their labels. */
export interface MnistArrays {
  xs: Float32Array;
  ys: Int32Array;
}

/** uint8 IDX pixels (0…255, [n, 28, 28]) as [n, 784] floats in [0, 1]. */
export function toMnistArrays(pixels: ArrayLike<number>, labels: ArrayLike<number>): MnistArrays {
  const xs = new Float32Array(pixels.length);
  for (let i = 0; i < xs.length; i++) xs[i] = pixels[i]! / 255;
  return { xs, ys: Int32Array.from(labels) };
}

/** The MNIST tab's classifier: 784-128-10, ReLU with He init, logits out (small enough to train in a page). */
export function buildMnistModel(): layers.Sequential {
  const model = new layers.Sequential({ name: 'mnist_small' });
  model.add(
    new layers.Dense({ units: 128, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [784] }),
  );
  model.add(new layers.Dense({ units: 10 }));
  model.compile({
    optimizer: 'adam',
    loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    metrics: ['accuracy'],
  });
  return model;
}

/** Trains {@link buildMnistModel} on `train` and measures it on `test`. */
export async function trainMnist(
  train: MnistArrays,
  test: MnistArrays,
  options: {
    epochs?: number;
    seed?: number;
    onEpoch?: (epoch: number, accuracy: number) => void;
  } = {},
): Promise<{ model: layers.Sequential; testAccuracy: number; seconds: number }> {
  setSeed(options.seed ?? 0);
  const model = buildMnistModel();
  const x = tensor(train.xs, [train.ys.length, 784]);
  const y = tensor(train.ys, [train.ys.length], 'int32');
  const onEpoch = options.onEpoch;
  class Report extends layers.Callback {
    override onEpochEnd(epoch: number, logs?: layers.Logs): void {
      onEpoch?.(epoch, logs?.accuracy ?? NaN);
    }
  }
  const started = performance.now();
  await model.fit(x, y, {
    epochs: options.epochs ?? 4,
    batchSize: 64,
    verbose: 0,
    seed: options.seed ?? 0,
    callbacks: [new Report()],
  });
  const seconds = (performance.now() - started) / 1000;
  const logs = await model.evaluate(
    tensor(test.xs, [test.ys.length, 784]),
    tensor(test.ys, [test.ys.length], 'int32'),
    { verbose: 0, batchSize: 500 },
  );
  return { model, testAccuracy: logs.accuracy ?? NaN, seconds };
}

/**
 * A drawing (RGBA pixels; whichever of dark and light is rarer is ink) the way MNIST digits were made: the ink's
 * bounding box scaled to fit 20×20 keeping its aspect ratio (each pixel the average ink over its area, so
 * edges come out grey as in MNIST), then placed in 28×28 with its centre of mass at the centre.
 */
export function toMnistSample(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
): Float32Array | undefined {
  const ink = new Float32Array(width * height);
  let dark = 0;
  for (let i = 0; i < width * height; i++) {
    const lum = (rgba[4 * i]! + rgba[4 * i + 1]! + rgba[4 * i + 2]!) / (3 * 255);
    ink[i] = 1 - lum;
    if (lum < 0.5) dark++;
  }
  if (dark > (width * height) / 2) for (let i = 0; i < ink.length; i++) ink[i] = 1 - ink[i]!;
  let x0 = width;
  let x1 = -1;
  let y0 = height;
  let y1 = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (ink[y * width + x]! > 0.1) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  if (x1 < 0) return undefined;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const scale = 20 / Math.max(w, h);
  const tw = Math.max(1, Math.round(w * scale));
  const th = Math.max(1, Math.round(h * scale));
  const small = new Float32Array(tw * th);
  for (let ty = 0; ty < th; ty++)
    for (let tx = 0; tx < tw; tx++) {
      const sx0 = x0 + Math.floor(tx / scale);
      const sx1 = Math.max(sx0 + 1, Math.min(x1 + 1, x0 + Math.floor((tx + 1) / scale)));
      const sy0 = y0 + Math.floor(ty / scale);
      const sy1 = Math.max(sy0 + 1, Math.min(y1 + 1, y0 + Math.floor((ty + 1) / scale)));
      let s = 0;
      for (let y = sy0; y < sy1; y++) for (let x = sx0; x < sx1; x++) s += ink[y * width + x]!;
      small[ty * tw + tx] = s / ((sx1 - sx0) * (sy1 - sy0));
    }
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x]!;
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  const ox = Math.round(14 - cx / mass);
  const oy = Math.round(14 - cy / mass);
  const out = new Float32Array(784);
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) {
      const X = x + ox;
      const Y = y + oy;
      if (X >= 0 && X < 28 && Y >= 0 && Y < 28) out[Y * 28 + X] = Math.min(1, small[y * tw + x]!);
    }
  return out;
}

/** Class probabilities (softmax of the logits) for one 784-pixel sample. */
export function classify(model: layers.Sequential, sample: Float32Array): { probs: number[]; best: number } {
  return noGrad(() =>
    scope(() => {
      const logits: Tensor = model.predict(tensor(sample, [1, 784]));
      return { probs: Array.from(softmax(logits, -1).dataSync()), best: argmax(logits, -1).dataSync()[0]! };
    }),
  );
}
