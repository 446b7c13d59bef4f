import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, sanitizeConfig } from '../src/playground/config';
import { makePoints } from '../src/playground/datasets';
import { EXPERIMENTS } from '../src/playground/experiments';
import type { ScalarNetwork } from '../src/playground/scalar-net';
import { scalarNetwork } from '../src/playground/scalar-net';
import { Trainer } from '../src/playground/trainer';
import type { RunStats } from './expectations';
import { failedExpectations } from './expectations';

function runExperiment(id: string): RunStats {
  const e = EXPERIMENTS.find((x) => x.id === id)!;
  const t = new Trainer(e.config);
  const initialLoss = t.evaluate().trainLoss;
  t.run(e.steps, e.steps);
  return {
    batchLosses: t.steps.map((s) => s.batchLoss),
    gradNorms: t.steps.map((s) => s.layers.map((l) => l.gradNorm)),
    initialLoss,
    finalLoss: t.evaluate().trainLoss,
    nonFinite: t.firstNonFinite,
  };
}

describe('playground experiments (Node, same code as the page)', () => {
  it.each(EXPERIMENTS.map((e) => [e.id, e.expect] as const))('%s shows %j', (id, expectations) => {
    expect(failedExpectations(runExperiment(id), expectations)).toEqual([]);
  });

  it('every experiment has a two-sentence explanation', () => {
    for (const e of EXPERIMENTS) expect(e.explanation.split(/(?<=\.)\s+/).length, e.id).toBe(2);
  });

  it('reports the step and the layer where the large-init network first went non-finite', () => {
    const t = new Trainer(EXPERIMENTS.find((e) => e.id === 'large-init-explodes')!.config);
    t.run(50);
    expect(t.firstNonFinite).toBeDefined();
    expect(t.firstNonFinite!.step).toBeLessThan(10);
    expect(t.firstNonFinite!.layer).toMatch(/hidden_\d|output|loss/);
    expect(t.step).toBe(t.firstNonFinite!.step + 1); // training stops there
  });

  it('stochastic descent is noisier from step to step than batch descent', () => {
    const roughness = (id: string): number => {
      const l = runExperiment(id).batchLosses;
      return l.slice(1).reduce((s, v, i) => s + Math.abs(v - l[i]!), 0) / (l.length - 1);
    };
    expect(roughness('stochastic-gd')).toBeGreaterThan(10 * roughness('batch-gd'));
  });

  it('cross-entropy reaches a higher accuracy than MSE with the same network, optimizer and steps', () => {
    const acc = (id: string): number => {
      const e = EXPERIMENTS.find((x) => x.id === id)!;
      const t = new Trainer(e.config);
      t.run(e.steps, e.steps);
      return t.evaluate().trainAcc;
    };
    expect(acc('crossentropy')).toBeGreaterThan(acc('mse') + 0.05);
  });
});

describe('playground data and config', () => {
  it('scales points into [-1, 1]² and splits train/test by testFraction, the same for the same seed', () => {
    const p = makePoints({ ...DEFAULT_CONFIG, dataset: 'moons', samples: 200, testFraction: 0.25 });
    expect(p.test.ys.length).toBe(50);
    expect(p.train.ys.length).toBe(150);
    expect(Math.max(...p.train.xs.map(Math.abs), ...p.test.xs.map(Math.abs))).toBeLessThanOrEqual(1 + 1e-6);
    const again = makePoints({ ...DEFAULT_CONFIG, dataset: 'moons', samples: 200, testFraction: 0.25 });
    expect(again.test.xs).toEqual(p.test.xs);
  });

  it('gives spiral and gaussian more than two classes', () => {
    expect(makePoints({ ...DEFAULT_CONFIG, dataset: 'gaussian', classes: 4 }).classes).toBe(4);
    expect(makePoints({ ...DEFAULT_CONFIG, dataset: 'spiral', classes: 5 }).classes).toBe(5);
  });

  it('sanitizes a config from the URL: keeps valid fields, replaces bad ones with defaults', () => {
    const c = sanitizeConfig({
      dataset: 'xor',
      lr: -3,
      hidden: [{ units: 4, activation: 'evil' }],
      loss: 'hinge',
    });
    expect(c.dataset).toBe('xor');
    expect(c.lr).toBe(DEFAULT_CONFIG.lr);
    expect(c.hidden).toEqual([{ units: 4, activation: 'relu' }]);
    expect(c.loss).toBe('hinge');
    expect(sanitizeConfig(JSON.parse(JSON.stringify(DEFAULT_CONFIG)))).toEqual(DEFAULT_CONFIG);
    expect(sanitizeConfig('garbage')).toEqual(DEFAULT_CONFIG);
  });

  it.each([
    ['crossentropy', 'relu'],
    ['crossentropy', 'leakyRelu'],
    ['mse', 'sigmoid'],
    ['hinge', 'tanh'],
    ['crossentropy', 'linear'],
  ] as const)(
    'rebuilds the whole network for one sample in the scalar engine (%s, %s), with the tensor engine’s gradients',
    (loss, activation) => {
      const t = new Trainer({
        ...DEFAULT_CONFIG,
        dataset: 'spiral',
        classes: 3,
        loss,
        hidden: [
          { units: 5, activation },
          { units: 4, activation },
        ],
      });
      t.run(20);
      const net = scalarNetwork(t, 5) as ScalarNetwork;
      // float32 tensor engine vs the float64 scalar engine, on gradients of size ~1.
      expect(net.maxDiffVsTensor).toBeLessThan(1e-5);
      expect(net.layers.map((l) => l.units.length)).toEqual([2, 5, 4, 3]);
      expect(net.layers.map((l) => l.activation)).toEqual(['input', activation, activation, 'logits']);
      expect(net.layers[1]!.weights.flat()).toHaveLength(2 * 5);
      // The tensor engine's loss for this one sample, from the same weights.
      const i = 5 % t.points.train.ys.length;
      const reference = new Trainer(t.config, {
        train: {
          xs: t.points.train.xs.slice(2 * i, 2 * i + 2),
          ys: t.points.train.ys.slice(i, i + 1),
        },
        test: t.points.test,
        classes: t.points.classes,
      });
      t.model.weights.forEach((w, k) => reference.model.weights[k]!.assign(w));
      expect(net.lossValue).toBeCloseTo(reference.evaluate().trainLoss, 5);
      // Backward reached the inputs: ∂loss/∂x is a number for both coordinates.
      expect(net.layers[0]!.units.every((u) => Number.isFinite(u.da))).toBe(true);
    },
  );

  it('explains instead of drawing when the scalar view does not apply', () => {
    const bn = new Trainer({ ...DEFAULT_CONFIG, batchNorm: true });
    const r = scalarNetwork(bn, 0);
    expect('unsupported' in r && r.unsupported).toMatch(/batch normalization/);
  });

  it('keeps the last step’s activations and kernel gradients per layer for the histograms', () => {
    const t = new Trainer({ ...DEFAULT_CONFIG, batchSize: 8 });
    t.trainStep();
    expect(t.lastActivations.map((a) => a.length)).toEqual([8 * 16, 8 * 16, 8 * 3]);
    expect(t.lastGradients.map((g) => g.length)).toEqual([2 * 16, 16 * 16, 16 * 3]);
    // ReLU outputs are never negative; the logits are.
    expect(Math.min(...t.lastActivations[0]!)).toBeGreaterThanOrEqual(0);
    expect(Math.min(...t.lastActivations[2]!)).toBeLessThan(0);
  });

  it('maps a hovered unit over the grid: hidden units as activations, output units as class probabilities', () => {
    const t = new Trainer({ ...DEFAULT_CONFIG, hidden: [{ units: 3, activation: 'relu' }] });
    t.run(5);
    const probs = t.grid(6);
    const out = t.unitGrid(1, 2, 6);
    for (let i = 0; i < 36; i++) expect(out[i]).toBeCloseTo(probs[i * 3 + 2]!, 6);
    // Hidden unit 1 by hand: relu(x·w + b) at every grid point, in float64.
    const [kernel, bias] = t.blocks[0]![0]!.trainableWeights;
    const W = kernel!.dataSync();
    const b = bias!.dataSync()[1]!;
    const hidden = t.unitGrid(0, 1, 6);
    for (let r = 0; r < 6; r++)
      for (let c = 0; c < 6; c++) {
        const x = -1.25 + (2.5 * (c + 0.5)) / 6;
        const y = 1.25 - (2.5 * (r + 0.5)) / 6;
        expect(hidden[r * 6 + c]).toBeCloseTo(Math.max(0, x * W[1]! + y * W[3 + 1]! + b), 5);
      }
  });

  it('draws the decision boundary as class probabilities on a grid', () => {
    const t = new Trainer({ ...DEFAULT_CONFIG, dataset: 'xor' });
    const g = t.grid(10);
    expect(g.length).toBe(10 * 10 * 2);
    for (let i = 0; i < 100; i++) expect(g[2 * i]! + g[2 * i + 1]!).toBeCloseTo(1, 5);
  });
});
