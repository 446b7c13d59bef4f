import type { Backend, BackendData } from '@backprop/core-tensor';
import {
  ArgumentError,
  createJsBackend,
  getBackendName,
  randomUniform,
  registerBackend,
  setBackend,
  setSeed,
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
