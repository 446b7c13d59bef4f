import { setSeed, randomNormal, randomInt } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { Dense, GradientMonitor, Sequential } from '../src/index';

async function deepNet(activation: 'sigmoid' | 'relu', init: string): Promise<GradientMonitor> {
  setSeed(11);
  const model = new Sequential();
  model.add(new Dense({ units: 32, activation, inputShape: [16], kernelInitializer: init }));
  for (let i = 0; i < 8; i++) model.add(new Dense({ units: 32, activation, kernelInitializer: init }));
  model.add(new Dense({ units: 4, kernelInitializer: init }));
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
