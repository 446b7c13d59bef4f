import type { Tensor } from '@backprop/core-tensor';
import { mul, randomInt, randomNormal, setSeed, tensor } from '@backprop/core-tensor';
import { defineOp } from '@backprop/autograd';
import { SGD } from '@backprop/optimizers';
import { SparseCategoricalCrossentropy } from '@backprop/losses';
import { describe, expect, it } from 'vitest';
import type { ActivationRecord, CallOptions, LayerArgs, Logs } from '../src/index';
import { Activation, Callback, Dense, Dropout, GradientMonitor, Layer, Sequential } from '../src/index';

async function deepNet(activation: 'sigmoid' | 'relu', init: string): Promise<GradientMonitor> {
  setSeed(11);
  const model = new Sequential();
  model.add(new Dense({ units: 32, activation, inputShape: [16], kernelInitializer: init }));
  for (let i = 0; i < 8; i++) model.add(new Dense({ units: 32, activation, kernelInitializer: init }));
  // softmax: sparse cross-entropy reads probabilities, and raw outputs outside (0, 1) are clipped to zero gradient
  model.add(new Dense({ units: 4, activation: 'softmax', kernelInitializer: init }));
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  const x = randomNormal([64, 16], { seed: 1 });
  const y = randomInt([64], 0, 4, { seed: 2 });
  const monitor = new GradientMonitor({ everyNSteps: 1, warn: () => {} });
  await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0, callbacks: [monitor] });
  return monitor;
}

describe('GradientMonitor', () => {
  it('reports vanishing gradients in a 10-layer sigmoid MLP, and not with ReLU + He', async () => {
    const sig = await deepNet('sigmoid', 'glorotUniform');
    const first = sig.latest()[0]!;
    const last = sig.latest().at(-1)!;
    expect(first.gradNorm).toBeLessThan(last.gradNorm * 1e-3);
    expect(sig.warnings.some((w) => w.includes('vanishing gradients') && w.includes(first.layer))).toBe(true);

    const relu = await deepNet('relu', 'heNormal');
    const rf = relu.latest()[0]!;
    const rl = relu.latest().at(-1)!;
    expect(rf.gradNorm).toBeGreaterThan(rl.gradNorm * 1e-2);
    expect(relu.warnings.some((w) => w.includes('vanishing'))).toBe(false);
  });

  it('records one row per layer with weights, with sane statistics', async () => {
    const m = await deepNet('relu', 'heNormal');
    const rows = m.records.filter((r) => r.step === 0);
    expect(rows).toHaveLength(10);
    for (const r of rows) {
      expect(r.finite).toBe(true);
      expect(r.weightNorm).toBeGreaterThan(0);
      expect(r.updateRatio).toBeGreaterThan(0);
      expect(r.zeroFraction).toBeGreaterThanOrEqual(0);
      expect(r.zeroFraction).toBeLessThanOrEqual(1);
    }
    // ReLU layers zero out a sizeable share of their outputs; the linear output layer does not.
    expect(rows[0]!.zeroFraction).toBeGreaterThan(0.2);
    expect(rows[9]!.zeroFraction).toBe(0);
  });
});

// ---- exploding, growing and non-finite gradients; NaN localisation; weightless layers; CSV ----

const RX = tensor(Array.from({ length: 16 }, (_, i) => [i / 16, 1 - i / 16]));
const RY = tensor(Array.from({ length: 16 }, (_, i) => [(3 * i) / 16 - 1]));

/** Full-batch linear regression with plain SGD at rate `lr`; above 2/λmax every step multiplies the error. */
async function regression(lr: number, epochs: number, monitor: GradientMonitor, scale = 1) {
  setSeed(3);
  const m = new Sequential({ layers: [new Dense({ units: 1, inputShape: [2], name: 'reg' })] });
  m.compile({ optimizer: new SGD({ learningRate: lr }), loss: 'mse' });
  const losses: number[] = [];
  class Losses extends Callback {
    override onTrainBatchEnd(_b: number, logs: Logs = {}): void {
      losses.push(logs.loss!);
    }
  }
  await m.fit(RX.mul(scale), RY.mul(scale), {
    epochs,
    batchSize: 16,
    shuffle: false,
    verbose: 0,
    callbacks: [monitor, new Losses()],
  });
  return losses;
}

describe('GradientMonitor: exploding and non-finite gradients', () => {
  it('warns once when a gradient norm crosses explodingNorm, naming the layer and remedies', async () => {
    const warned: string[] = [];
    const monitor = new GradientMonitor({ explodingNorm: 100, warn: (w) => warned.push(w) });
    await regression(0.01, 3, monitor, 1000);
    expect(monitor.records[0]!.gradNorm).toBeGreaterThan(100);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/exploding gradients: layer "reg" has gradient norm .* at step 0/);
    expect(warned[0]).toContain('clipnorm');
  });

  it('warns when the norm keeps growing even below the threshold (trend detection)', async () => {
    const monitor = new GradientMonitor({ explodingNorm: 1e30, warn: () => {} });
    await regression(6, 8, monitor);
    const norms = monitor.records.map((r) => r.gradNorm);
    // Independent check of the premise: the norm rises at every step.
    for (let i = 1; i < norms.length; i++) expect(norms[i]).toBeGreaterThan(norms[i - 1]!);
    const w = monitor.warnings.find((m) => m.includes('grew at each of the last 5 measurements'));
    expect(w).toBeDefined();
    expect(w).toContain('"reg"');
    expect(w).toMatch(/by step 5\./);
    expect(monitor.firstNonFinite).toBeUndefined();
  });

  it('does not report a trend for healthy training', async () => {
    const monitor = new GradientMonitor({ warn: () => {} });
    await regression(0.1, 20, monitor);
    expect(monitor.warnings).toEqual([]);
  });

  it('reports the first non-finite step of a diverging run, checked on every step', async () => {
    const monitor = new GradientMonitor({ everyNSteps: 1000, warn: () => {} });
    const losses = await regression(1e6, 30, monitor, 1000);
    const firstBadLoss = losses.findIndex((l) => !Number.isFinite(l));
    expect(firstBadLoss).toBeGreaterThan(0);
    const r = monitor.firstNonFinite!;
    expect(r).toBeDefined();
    // Weights near 1e35 keep the outputs finite in float32 but their squared error overflows: the loss is
    // where it appears, in the very step the loss first stops being finite.
    expect(r.step).toBe(firstBadLoss);
    expect(r.where).toBe('loss');
    expect(
      monitor.warnings.some((w) =>
        w.includes(`NaN/Inf first appeared at step ${r.step} (epoch 3) in the loss`),
      ),
    ).toBe(true);
  });
});

/** Passes its input through, except at training call `at`, where it outputs NaN. */
class InjectNaN extends Layer {
  readonly className = 'InjectNaN';
  #calls = 0;
  constructor(
    readonly at: number,
    args: LayerArgs = {},
  ) {
    super(args);
  }
  call(x: Tensor, { training }: CallOptions): Tensor {
    return training && this.#calls++ === this.at ? mul(x, NaN) : x;
  }
}

let poison = false;
/** Identity forward; NaN backward while `poison` is set. */
const poisonGrad = defineOp({
  name: 'gradientMonitorTestPoison',
  forward: ([x]) => mul(x!, 1),
  backward: (dy) => [poison ? mul(dy, NaN) : dy],
  save: { inputs: 'none', output: false },
});
/** Finite in the forward pass; its backward pass yields NaN at training call `at`. */
class PoisonGradient extends Layer {
  readonly className = 'PoisonGradient';
  #calls = 0;
  constructor(
    readonly at: number,
    args: LayerArgs = {},
  ) {
    super(args);
  }
  call(x: Tensor, { training }: CallOptions): Tensor {
    poison = training === true && this.#calls++ === this.at;
    return poisonGrad(x);
  }
}

async function injected(middle: Layer): Promise<GradientMonitor> {
  setSeed(4);
  const m = new Sequential({
    layers: [
      new Dense({ units: 8, activation: 'relu', inputShape: [4], name: 'first' }),
      middle,
      new Dense({ units: 3, name: 'last' }),
    ],
  });
  m.compile({ optimizer: 'sgd', loss: new SparseCategoricalCrossentropy({ fromLogits: true }), metrics: [] });
  const monitor = new GradientMonitor({ everyNSteps: 50, warn: () => {} });
  await m.fit(randomNormal([40, 4], { seed: 5 }), randomInt([40], 0, 3, { seed: 6 }), {
    epochs: 2,
    batchSize: 8,
    verbose: 0,
    callbacks: [monitor],
  });
  return monitor;
}

describe('GradientMonitor: where NaN first appeared', () => {
  it('names the first layer in forward order whose output is NaN, and the step', async () => {
    const monitor = await injected(new InjectNaN(7, { name: 'bad' }));
    // Step 7 is epoch 1 (5 batches per epoch); the later layer's output is NaN too, but it is not the first.
    expect(monitor.firstNonFinite).toEqual({
      step: 7,
      epoch: 1,
      layer: 'bad',
      className: 'InjectNaN',
      where: 'activation',
      order: 'forward',
    });
    expect(monitor.warnings[0]).toContain(
      'NaN/Inf first appeared at step 7 (epoch 2) in the output of layer "bad"',
    );
  });

  it('names the first layer in backward order whose gradient is NaN when every output is finite', async () => {
    const monitor = await injected(new PoisonGradient(3, { name: 'poison' }));
    expect(monitor.firstNonFinite).toMatchObject({
      step: 3,
      layer: 'first',
      where: 'gradient',
      order: 'backward',
    });
    expect(monitor.warnings[0]).toContain(
      'in the gradient of layer "first" (Dense), the first layer in backward order',
    );
  });
});

describe('GradientMonitor: layers without weights and CSV', () => {
  it('records output statistics for Activation and Dropout layers too', async () => {
    setSeed(8);
    const m = new Sequential({
      layers: [
        new Dense({ units: 32, inputShape: [16], name: 'lin' }),
        new Activation({ activation: 'relu', name: 'act' }),
        new Dropout({ rate: 0.5, seed: 1, name: 'drop' }),
        new Dense({ units: 4, name: 'out' }),
      ],
    });
    m.compile({ optimizer: 'sgd', loss: new SparseCategoricalCrossentropy({ fromLogits: true }) });
    const monitor = new GradientMonitor({ warn: () => {} });
    const x = randomNormal([64, 16], { seed: 1 });
    await m.fit(x, randomInt([64], 0, 4, { seed: 2 }), {
      epochs: 1,
      batchSize: 64,
      verbose: 0,
      callbacks: [monitor],
    });
    const acts = monitor.activations.filter((a) => a.step === 0);
    expect(acts.map((a) => a.layer)).toEqual(['lin', 'act', 'drop', 'out']);
    // Reference: the same statistics of relu(x·W + b), computed here from the weights before the step.
    expect(monitor.records.map((r) => r.layer)).toEqual(['lin', 'out']);
    const [lin, act, drop] = acts as [ActivationRecord, ActivationRecord, ActivationRecord];
    expect(lin.zeroFraction).toBe(0);
    expect(act.zeroFraction).toBeGreaterThan(0.3);
    expect(act.zeroFraction).toBeLessThan(0.7);
    expect(act.mean).toBeGreaterThan(0);
    // Dropout zeroes about half of what survived the ReLU and scales the rest by 2: the mean is kept.
    expect(drop.zeroFraction).toBeCloseTo(1 - (1 - act.zeroFraction) * 0.5, 1);
    expect(drop.mean).toBeCloseTo(act.mean, 0);
  });

  it('exports both kinds of record as CSV', async () => {
    const monitor = new GradientMonitor({ warn: () => {} });
    await regression(0.1, 3, monitor);
    const lines = monitor.toCSV().trim().split('\n');
    expect(lines[0]).toBe(
      'step,epoch,layer,className,gradNorm,weightNorm,updateRatio,activationMean,activationStd,zeroFraction,finite',
    );
    expect(lines).toHaveLength(4);
    const row = lines[1]!.split(',');
    expect(row.slice(0, 4)).toEqual(['0', '0', 'reg', 'Dense']);
    expect(Number(row[4])).toBeCloseTo(monitor.records[0]!.gradNorm, 12);
    expect(monitor.toCSV('activations').split('\n')[0]).toBe(
      'step,epoch,layer,className,mean,std,zeroFraction,finite',
    );
  });
});
