// Every example included in the guides runs here, and every claim the prose makes about it is asserted.
import { describe, expect, it } from 'vitest';
import * as batchSize from '../examples/batch-size';
import * as chainRule from '../examples/chain-rule';
import * as exploding from '../examples/exploding';
import * as firstModel from '../examples/first-model';
import * as forwardBackward from '../examples/forward-backward';
import * as learningRate from '../examples/learning-rate';
import * as lossFunctions from '../examples/loss-functions';
import * as valueGraph from '../examples/value-graph';
import * as vanishing from '../examples/vanishing';

const last = (xs: readonly number[]) => xs[xs.length - 1]!;
let explodingRun: ReturnType<typeof exploding.run> | undefined;
const explodingOnce = () => (explodingRun ??= exploding.run());

describe('getting started', () => {
  it('the first model learns the moons', async () => {
    const r = await firstModel.run();
    expect(last(r.loss)).toBeLessThan(r.loss[0]! / 2);
    expect(r.accuracy).toBeGreaterThan(0.85);
  });
});

describe('what backpropagation is', () => {
  it('backward gives the hand-computed gradients and one step lowers the loss', () => {
    const r = forwardBackward.run();
    expect(r.lossBefore).toBe(0.25);
    expect(r.grads).toEqual({
      W1: [
        [1, 0],
        [2, 0],
      ],
      b1: [1, 0],
      W2: [[1], [0]],
      b2: [1],
    });
    expect(r.lossAfter).toBeCloseTo(0.0576, 6);
  });
});

describe('step by step: the Value graph', () => {
  it('every weight gradient on the graph equals a finite difference of the loss', () => {
    const r = valueGraph.run();
    const h = 1e-6;
    for (const k of Object.keys(valueGraph.initial) as (keyof valueGraph.Params)[]) {
      const plus = valueGraph.forward({ ...valueGraph.initial, [k]: valueGraph.initial[k] + h }).loss.data;
      const minus = valueGraph.forward({ ...valueGraph.initial, [k]: valueGraph.initial[k] - h }).loss.data;
      expect(r.grads[k]).toBeCloseTo((plus - minus) / (2 * h), 6);
    }
  });
  it('the graph has the loss as its last node with gradient 1, and the DOT text names every weight', () => {
    const r = valueGraph.run();
    const lossNode = r.graph.nodes[r.graph.nodes.length - 1]!;
    expect(lossNode.label).toBe('L');
    expect(lossNode.grad).toBe(1);
    for (const k of Object.keys(valueGraph.initial)) expect(r.dot).toContain(`{ ${k} |`);
  });
});

describe('the chain rule', () => {
  it('matches finite differences, and gradcheck passes a real network and catches a wrong rule', () => {
    const r = chainRule.run();
    expect(r.byChainRule).toBeCloseTo(r.byFiniteDifference, 8);
    expect(r.ok).toBe(true);
    expect(r.maxError).toBeLessThan(1e-6);
    expect(r.caught).toMatch(/disagree with finite differences/);
  });
});

describe('the learning rate', () => {
  it('too low crawls, about right converges, too high blows up; schedules and adaptive methods help', async () => {
    const r = await learningRate.run();
    expect(last(r.good)).toBeLessThan(0.15);
    expect(last(r.tooLow)).toBeGreaterThan(0.3); // still far from the good run
    expect(last(r.tooLow)).toBeLessThan(r.tooLow[0]!); // but it is moving
    const high = last(r.tooHigh);
    expect(!Number.isFinite(high) || high > r.tooHigh[0]! * 0.9).toBe(true); // never settles
    expect(!Number.isFinite(high) || high > 1).toBe(true);
    expect(last(r.decayed)).toBeLessThan(last(r.tooLow));
    expect(last(r.adam)).toBeLessThan(last(r.sgdSmall) / 4);
    expect(last(r.rmsprop)).toBeLessThan(last(r.sgdSmall) / 4);
  });
});

describe('vanishing gradients', () => {
  it("sigmoid's first-layer gradient is orders of magnitude below its last; ReLU+He and batch norm fix it", async () => {
    const r = await vanishing.run();
    const ratio = (v: { gradNorms: number[] }) => v.gradNorms[0]! / last(v.gradNorms);
    expect(ratio(r.sigmoid!)).toBeLessThan(1e-4); // "tens of thousands of times less"
    expect(r.sigmoid!.warnings.join()).toMatch(/vanishing/);
    expect(ratio(r.relu!)).toBeGreaterThan(0.1);
    expect(ratio(r['sigmoid + batch norm']!)).toBeGreaterThan(0.1);
    expect(ratio(r.tanh!)).toBeGreaterThan(0.1);
    // The sigmoid network barely learns: its loss stays near ln 2, the loss of a coin toss.
    expect(last(r.sigmoid!.loss)).toBeGreaterThan(0.65);
    expect(last(r.relu!.loss)).toBeLessThan(0.4);
    expect(last(r['sigmoid + batch norm']!.loss)).toBeLessThan(0.4);
  });
});

describe('exploding gradients', () => {
  it('N(0, 1) weights explode and N(0, 0.01) vanish; He and Xavier keep every layer in range', async () => {
    const r = await explodingOnce();
    const spread = (g: number[]) => Math.max(...g) / Math.min(...g);
    expect(Math.min(...r.init['normal σ=1'])).toBeGreaterThan(1e6);
    expect(spread(r.init['normal σ=0.01'])).toBeGreaterThan(1e6);
    for (const k of ['He normal', 'Xavier (Glorot) normal'] as const) {
      expect(spread(r.init[k])).toBeLessThan(100);
      expect(Math.max(...r.init[k])).toBeLessThan(1e3);
    }
  });
  it('clipping keeps the first, large steps from throwing the network off', async () => {
    const r = await explodingOnce();
    const none = r.clipping['no clipping'];
    for (const k of ['clipvalue 1', 'clipnorm 1', 'globalClipnorm 1'] as const) {
      expect(r.clipping[k][0]!).toBeLessThan(none[0]!);
      expect(r.clipping[k].every(Number.isFinite)).toBe(true);
    }
  });
});

describe('batch, mini-batch and stochastic gradient descent', () => {
  it('with the same epochs and rate, more steps per epoch get further', async () => {
    const r = await batchSize.run();
    expect([r.batch.stepsPerEpoch, r.miniBatch.stepsPerEpoch, r.stochastic.stepsPerEpoch]).toEqual([
      1, 5, 100,
    ]);
    expect(r.miniBatch.finalLoss).toBeLessThan(r.batch.finalLoss);
    expect(r.stochastic.finalLoss).toBeLessThan(r.miniBatch.finalLoss);
    // Full-batch descent with a small enough rate decreases the loss at every step.
    for (let i = 1; i < r.batch.epochLoss.length; i++)
      expect(r.batch.epochLoss[i]!).toBeLessThan(r.batch.epochLoss[i - 1]!);
  });
});

describe('loss functions', () => {
  it('MSE on a sigmoid stops pushing when confidently wrong; cross-entropy does not; hinge stops at the margin', () => {
    const wrong = lossFunctions.gradientsAtLogit(-6);
    expect(Math.abs(wrong.mse)).toBeLessThan(0.01);
    expect(wrong.crossEntropy).toBeCloseTo(-1, 2);
    expect(wrong.hinge).toBe(-1);
    const beyondMargin = lossFunctions.gradientsAtLogit(2);
    expect(Math.abs(beyondMargin.hinge)).toBe(0);
    expect(beyondMargin.crossEntropy).toBeLessThan(0); // still pushing, a little
  });
  it('all three losses train the classifier', async () => {
    const r = await lossFunctions.run();
    for (const acc of Object.values(r.accuracy)) expect(last(acc)).toBeGreaterThan(0.8);
  });
});

describe('custom layers', () => {
  it('the ScaleShift layer learns its scale and shift', async () => {
    const { run } = await import('../examples/custom-layer');
    const r = await run();
    expect(r.scale[0]).toBeCloseTo(3, 1);
    expect(r.scale[1]).toBeCloseTo(-2, 1);
    expect(r.shift[0]).toBeCloseTo(-1, 1);
    expect(r.shift[1]).toBeCloseTo(4, 1);
  });
});
