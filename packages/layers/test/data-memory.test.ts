import type { Backend, BackendData } from '@backprop/core-tensor';
import {
  ArgumentError,
  createJsBackend,
  getBackendName,
  memory,
  randomUniform,
  registerBackend,
  setBackend,
  setSeed,
  tensor,
  zeros,
} from '@backprop/core-tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Callback, Dense, Sequential } from '../src/index';

/** `base` recording the largest result any elementwise or reduction primitive allocates. */
function measuring(base: Backend, largest: { size: number }): Backend {
  const seen = (d: BackendData): BackendData => {
    largest.size = Math.max(largest.size, d.size);
    return d;
  };
  return {
    ...base,
    name: 'measuring',
    unary: (...a) => seen(base.unary(...a)),
    binary: (...a) => seen(base.binary(...a)),
    reduce: (...a) => seen(base.reduce(...a)),
  };
}

class StopAfterOneBatch extends Callback {
  override onTrainBatchEnd(): void {
    this.model!.stopTraining = true;
  }
}

function model(): Sequential {
  setSeed(3);
  const m = new Sequential({ layers: [new Dense({ units: 2, inputShape: [8] })] });
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
}

describe('fit checks a large data set without copying it', () => {
  let before: string;
  const largest = { size: 0 };
  beforeEach(() => {
    before = getBackendName();
    largest.size = 0;
    registerBackend('measuring', () => measuring(createJsBackend(), largest));
    setBackend('measuring');
  });
  afterEach(() => setBackend(before));

  it('the NaN/Infinity check works a slice at a time: no temporary the size of x', async () => {
    // 3·2²⁰ elements: the check runs in several slices, none of them the whole data set.
    const n = (3 << 20) / 8;
    const x = randomUniform([n, 8], { seed: 1 });
    const y = zeros([n, 2]);
    largest.size = 0;
    await model().fit(x, y, {
      batchSize: 32,
      verbose: 0,
      shuffle: false,
      callbacks: [new StopAfterOneBatch()],
    });
    expect(largest.size).toBeGreaterThan(0);
    expect(largest.size).toBeLessThanOrEqual(1 << 20);
  });

  it('a NaN in a later slice is still found and named', async () => {
    const n = (3 << 20) / 8;
    const values = new Float32Array(n * 8);
    const at = (5 << 19) + 3; // inside the third slice
    values[at] = Number.POSITIVE_INFINITY;
    const err = await model()
      .fit(values, zeros([n, 2]), { batchSize: 32, verbose: 0 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^fit: x contains NaN or Infinity: Infinity at sample ${Math.floor(at / 8)} \\(element ${at} `,
      ),
    );
  });
});

describe('fit and evaluate free what they convert', () => {
  function classifier(): Sequential {
    setSeed(5);
    const m = new Sequential({
      layers: [
        new Dense({ units: 6, activation: 'relu', inputShape: [4] }),
        new Dense({ units: 3, activation: 'softmax' }),
      ],
    });
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return m;
  }
  const n = 40;
  const xs = (): Float32Array => Float32Array.from({ length: n * 4 }, (_, i) => Math.sin(i));
  const ys = (): Int32Array => Int32Array.from({ length: n }, (_, i) => i % 3);

  it('arrays, class weights, validation data and validationSplit leave no tensor behind', async () => {
    const m = classifier();
    await m.fit(xs(), ys(), { epochs: 1, batchSize: 8, verbose: 0 }); // creates weights and optimizer state
    const live = memory().numTensors;
    await m.fit(xs(), ys(), {
      epochs: 2,
      batchSize: 8,
      verbose: 0,
      classWeight: { 0: 1, 1: 2, 2: 0.5 },
      sampleWeight: new Float32Array(n).fill(1),
      validationData: [xs(), ys()],
    });
    await m.fit(xs(), ys(), { epochs: 2, batchSize: 8, verbose: 0, validationSplit: 0.25 });
    await m.evaluate(xs(), ys(), { batchSize: 16 });
    expect(memory().numTensors).toBe(live);
  });

  it('trainOnBatch, testOnBatch and predict on arrays leave no tensor behind', () => {
    const m = classifier();
    m.trainOnBatch(xs(), ys());
    const live = memory().numTensors;
    for (let i = 0; i < 5; i++) {
      m.trainOnBatch(xs(), ys(), { classWeight: { 1: 3 }, sampleWeight: new Float32Array(n).fill(2) });
      m.testOnBatch(xs(), ys(), { sampleWeight: new Float32Array(n).fill(2) });
    }
    const out = m.predict(xs(), { batchSize: 16 });
    expect(out.shape).toEqual([n, 3]);
    out.dispose();
    expect(memory().numTensors).toBe(live);
  });

  it("the caller's own tensors stay usable", async () => {
    const m = classifier();
    const x = tensor(xs(), [n, 4]);
    const y = tensor(ys(), [n], 'int32');
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, validationData: [x, y] });
    await m.evaluate(x, y);
    expect(x.isDisposed || y.isDisposed).toBe(false);
    expect(x.sum().item()).toBeCloseTo(
      Array.from(xs()).reduce((a, b) => a + b, 0),
      4,
    );
  });

  it('a failing fit frees its conversions too', async () => {
    const m = classifier();
    await m.fit(xs(), ys(), { epochs: 1, batchSize: 8, verbose: 0 });
    const live = memory().numTensors;
    const bad = xs();
    bad[7] = Number.NaN;
    await expect(m.fit(bad, ys(), { verbose: 0 })).rejects.toThrow(/contains NaN/);
    await expect(m.fit(xs(), ys(), { verbose: 0, validationData: [bad, ys()] })).rejects.toThrow(/NaN/);
    expect(memory().numTensors).toBe(live);
  });

  it('validation arrays are converted once, not at every epoch', async () => {
    const m = classifier();
    let copies = 0;
    const base = createJsBackend();
    registerBackend('counting', () => ({
      ...base,
      name: 'counting',
      fromArray: (values, dtype) => {
        if (values.length === 11 * 4) copies++;
        return base.fromArray(values, dtype);
      },
    }));
    const before = getBackendName();
    setBackend('counting');
    try {
      const vx = Float32Array.from({ length: 11 * 4 }, (_, i) => Math.cos(i));
      await m.fit(xs(), ys(), {
        epochs: 5,
        batchSize: 8,
        verbose: 0,
        validationData: [vx, [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1]],
      });
    } finally {
      setBackend(before);
    }
    expect(copies).toBe(1);
  });
});
