import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, sanitizeConfig } from '../src/playground/config';
import { makePoints } from '../src/playground/datasets';
import { EXPERIMENTS } from '../src/playground/experiments';
import { scalarBackprop } from '../src/playground/scalar-view';
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

  it('rebuilds one sample’s loss with the scalar Value engine, with the tensor engine’s gradients', () => {
    const t = new Trainer({ ...DEFAULT_CONFIG, dataset: 'spiral', classes: 3 });
    t.run(20);
    const bp = scalarBackprop(t, 5);
    expect(bp.maxDiffVsTensor).toBeLessThan(1e-5);
    expect(bp.graph.nodes.at(-1)!.label).toBe('loss');
    expect(bp.backwardOrder[0]).toBe(bp.graph.nodes.at(-1)!.id); // backward starts at the loss
    // 16 hidden activations, 16×3 weights and 3 biases are the leaves.
    expect(bp.graph.nodes.filter((n) => n.op === '').length).toBe(16 + 48 + 3);
  });

  it('draws the decision boundary as class probabilities on a grid', () => {
    const t = new Trainer({ ...DEFAULT_CONFIG, dataset: 'xor' });
    const g = t.grid(10);
    expect(g.length).toBe(10 * 10 * 2);
    for (let i = 0; i < 100; i++) expect(g[2 * i]! + g[2 * i + 1]!).toBeCloseTo(1, 5);
  });
});
