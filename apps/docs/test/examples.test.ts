// Every examples/*.ts file runs here, once: whatever a page includes with `<<<` is imported and its `run()` is
// called, every claim the prose makes about it is asserted, and the plots made from the same result are checked
// against the plots the pages show.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { losses, tensor } from 'backprop';
import { describe, expect, it } from 'vitest';
import type * as BatchSize from '../examples/batch-size';
import type * as ChainRule from '../examples/chain-rule';
import type * as CustomLayer from '../examples/custom-layer';
import type * as Exploding from '../examples/exploding';
import type * as FirstModel from '../examples/first-model';
import type * as ForwardBackward from '../examples/forward-backward';
import type * as LearningRate from '../examples/learning-rate';
import type * as LossFunctions from '../examples/loss-functions';
import type * as ValueGraph from '../examples/value-graph';
import type * as Vanishing from '../examples/vanishing';
import type { Result } from '../scripts/plots';
import { plotsFor, plotters } from '../scripts/plots';
import { docPages, plotsOf, root } from './pages';

const last = (xs: readonly number[]) => xs[xs.length - 1]!;

/** What the prose claims about one example, given what its `run()` returned and the module itself. */
type Claims<M extends { run: () => unknown }> = Record<
  string,
  (r: Result<M>, mod: M) => void | Promise<void>
>;

/** Per example file (without `.ts`): the claims its page makes. An example without an entry fails the suite. */
const claims = {
  'first-model': {
    'the first model learns the moons': (r) => {
      expect(last(r.loss)).toBeLessThan(r.loss[0]! / 2);
      expect(r.accuracy).toBeGreaterThan(0.85);
    },
  } satisfies Claims<typeof FirstModel>,

  'forward-backward': {
    'backward gives the hand-computed gradients and one step lowers the loss': (r) => {
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
    },
  } satisfies Claims<typeof ForwardBackward>,

  'value-graph': {
    'every weight gradient on the graph equals a finite difference of the loss': (r, m) => {
      const h = 1e-6;
      for (const k of Object.keys(m.initial) as (keyof ValueGraph.Params)[]) {
        const plus = m.forward({ ...m.initial, [k]: m.initial[k] + h }).loss.data;
        const minus = m.forward({ ...m.initial, [k]: m.initial[k] - h }).loss.data;
        expect(r.grads[k]).toBeCloseTo((plus - minus) / (2 * h), 6);
      }
    },
    'the graph has the loss as its last node with gradient 1, and the DOT text names every weight': (
      r,
      m,
    ) => {
      const lossNode = r.graph.nodes[r.graph.nodes.length - 1]!;
      expect(lossNode.label).toBe('L');
      expect(lossNode.grad).toBe(1);
      for (const k of Object.keys(m.initial)) expect(r.dot).toContain(`{ ${k} |`);
    },
    'the walk-through holds: the − box has grad 2·data, ŷ gets it unchanged and y gets it negated': (r) => {
      const by = (f: (n: (typeof r.graph.nodes)[number]) => boolean) => r.graph.nodes.find(f)!;
      const diff = by((n) => n.op === '−');
      expect(diff.grad).toBeCloseTo(2 * diff.data, 12);
      expect(by((n) => n.label === 'ŷ').grad).toBe(diff.grad);
      expect(by((n) => n.label === 'y').grad).toBe(-diff.grad);
    },
  } satisfies Claims<typeof ValueGraph>,

  'chain-rule': {
    'matches finite differences, and gradcheck passes a real network and catches a wrong rule': (r) => {
      expect(r.byChainRule).toBeCloseTo(r.byFiniteDifference, 8);
      expect(r.ok).toBe(true);
      expect(r.maxError).toBeLessThan(1e-6);
      expect(r.caught).toMatch(/disagree with finite differences/);
    },
  } satisfies Claims<typeof ChainRule>,

  'learning-rate': {
    'too low crawls, about right converges, too high blows up': (r) => {
      expect(last(r.good)).toBeLessThan(0.15);
      expect(last(r.tooLow)).toBeGreaterThan(0.3); // still far from the good run
      expect(last(r.tooLow)).toBeLessThan(r.tooLow[0]!); // but it is moving
      const high = last(r.tooHigh);
      expect(!Number.isFinite(high) || high > r.tooHigh[0]! * 0.9).toBe(true); // never settles
      expect(!Number.isFinite(high) || high > 1).toBe(true);
    },
    'a decaying schedule beats the constant rate it starts from, and adaptive methods beat SGD': (r) => {
      expect(last(r.decayed)).toBeLessThan(last(r.tooLow));
      expect(last(r.decayed)).toBeLessThan(last(r.good));
      expect(last(r.adam)).toBeLessThan(last(r.sgdSmall) / 4);
      expect(last(r.rmsprop)).toBeLessThan(last(r.sgdSmall) / 4);
    },
  } satisfies Claims<typeof LearningRate>,

  vanishing: {
    "sigmoid's first-layer gradient is orders of magnitude below its last; ReLU+He and batch norm fix it": (
      r,
    ) => {
      const ratio = (v: { gradNorms: number[] }) => v.gradNorms[0]! / last(v.gradNorms);
      expect(ratio(r.sigmoid!)).toBeLessThan(1e-4); // "tens of thousands of times less"
      expect(r.sigmoid!.warnings.join()).toMatch(/vanishing/);
      expect(ratio(r.relu!)).toBeGreaterThan(0.1);
      expect(ratio(r['sigmoid + batch norm']!)).toBeGreaterThan(0.1);
      expect(ratio(r.tanh!)).toBeGreaterThan(0.1);
    },
    'with sigmoid the gradient norm shrinks by a factor of roughly 2.5 to 5 per layer on the way down': (
      r,
    ) => {
      const g = r.sigmoid!.gradNorms;
      for (let i = 1; i < g.length; i++) {
        expect(g[i]! / g[i - 1]!).toBeGreaterThan(2);
        expect(g[i]! / g[i - 1]!).toBeLessThan(6);
      }
    },
    'the sigmoid network stays near ln 2, the loss of a coin toss; the others learn': (r) => {
      expect(last(r.sigmoid!.loss)).toBeGreaterThan(0.65);
      for (const k of ['relu', 'tanh', 'sigmoid + batch norm']) expect(last(r[k]!.loss)).toBeLessThan(0.4);
    },
  } satisfies Claims<typeof Vanishing>,

  exploding: {
    'N(0, 1) weights explode and N(0, 0.01) vanish; He and Xavier keep every layer in range': (r) => {
      const spread = (g: number[]) => Math.max(...g) / Math.min(...g);
      expect(Math.min(...r.init['normal σ=1'])).toBeGreaterThan(1e6);
      expect(spread(r.init['normal σ=0.01'])).toBeGreaterThan(1e6);
      for (const k of ['He normal', 'Xavier (Glorot) normal'] as const) {
        expect(spread(r.init[k])).toBeLessThan(100);
        expect(Math.max(...r.init[k])).toBeLessThan(1e3);
      }
      expect(spread(r.init['He normal'])).toBeLessThan(spread(r.init['Xavier (Glorot) normal']));
    },
    'at lr 0.05 the unclipped run overflows to NaN in the first epoch; every clipped run trains': (r) => {
      expect(Number.isFinite(r.clipping['no clipping'][0]!)).toBe(false);
      for (const k of ['clipvalue 1', 'clipnorm 1', 'globalClipnorm 1'] as const) {
        expect(r.clipping[k].every(Number.isFinite), k).toBe(true);
        expect(last(r.clipping[k]), k).toBeLessThan(r.clipping[k][0]! / 5);
      }
    },
    'at lr 0.02 the same network trains without clipping': async (_r, m) => {
      expect((await m.trainWithClipping({}, 0.02)).every(Number.isFinite)).toBe(true);
    },
  } satisfies Claims<typeof Exploding>,

  'batch-size': {
    'with the same epochs and rate, more steps per epoch get further': (r) => {
      expect([r.batch.stepsPerEpoch, r.miniBatch.stepsPerEpoch, r.stochastic.stepsPerEpoch]).toEqual([
        1, 5, 100,
      ]);
      expect(r.miniBatch.finalLoss).toBeLessThan(r.batch.finalLoss);
      expect(r.stochastic.finalLoss).toBeLessThan(r.miniBatch.finalLoss);
    },
    'full-batch descent with a small enough rate decreases the loss at every step': (r) => {
      for (let i = 1; i < r.batch.epochLoss.length; i++)
        expect(r.batch.epochLoss[i]!).toBeLessThan(r.batch.epochLoss[i - 1]!);
    },
  } satisfies Claims<typeof BatchSize>,

  'loss-functions': {
    'MSE on a sigmoid stops pushing when confidently wrong; cross-entropy does not; hinge stops at the margin':
      (_r, m) => {
        const wrong = m.gradientsAtLogit(-6);
        expect(Math.abs(wrong.mse)).toBeLessThan(0.01);
        expect(wrong.crossEntropy).toBeCloseTo(-1, 2);
        expect(wrong.hinge).toBe(-1);
        const beyondMargin = m.gradientsAtLogit(2);
        expect(Math.abs(beyondMargin.hinge)).toBe(0);
        expect(beyondMargin.crossEntropy).toBeLessThan(0); // still pushing, a little
      },
    'hinge turns 0/1 labels into −1/+1, as the page says': () => {
      // Label 0 is −1: max(0, 1 − (−1)·0.5) = 1.5. Label 1 is +1: max(0, 1 − 0.5) = 0.5.
      expect(losses.hinge([[0]], tensor([[0.5]])).item()).toBeCloseTo(1.5, 6);
      expect(losses.hinge([[1]], tensor([[0.5]])).item()).toBeCloseTo(0.5, 6);
    },
    'all three losses train the classifier': (r) => {
      for (const acc of Object.values(r.accuracy)) expect(last(acc)).toBeGreaterThan(0.8);
    },
  } satisfies Claims<typeof LossFunctions>,

  'custom-layer': {
    'the ScaleShift layer learns its scale and shift': (r) => {
      expect(r.scale[0]).toBeCloseTo(3, 1);
      expect(r.scale[1]).toBeCloseTo(-2, 1);
      expect(r.shift[0]).toBeCloseTo(-1, 1);
      expect(r.shift[1]).toBeCloseTo(4, 1);
    },
  } satisfies Claims<typeof CustomLayer>,
};

const examples = readdirSync(join(root, 'examples'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

interface Example {
  mod: { run: () => unknown };
  result: unknown;
}
const runs = new Map<string, Promise<Example>>();
/** Imports and runs an example once; every test that needs its result shares the run. */
function runOf(name: string): Promise<Example> {
  let run = runs.get(name);
  if (!run) {
    run = (async () => {
      const mod = (await import(pathToFileURL(join(root, 'examples', `${name}.ts`)).href)) as Example['mod'];
      expect(typeof mod.run, `examples/${name}.ts must export run()`).toBe('function');
      return { mod, result: await mod.run() };
    })();
    runs.set(name, run);
  }
  return run;
}

describe.each(examples)('examples/%s.ts', (name) => {
  const mine = (claims as Record<string, Record<string, (r: unknown, m: unknown) => void | Promise<void>>>)[
    name
  ];
  it('has its claims asserted here', () => {
    expect(mine, `add what the docs claim about examples/${name}.ts to \`claims\``).toBeDefined();
  });
  for (const [claim, check] of Object.entries(mine ?? {}))
    it(claim, async () => {
      const { mod, result } = await runOf(name);
      await check(result, mod);
    });
  if (name in plotters)
    it('its plots are drawn from the result', async () => {
      const files = plotsFor(name, (await runOf(name)).result);
      expect(Object.keys(files).length).toBeGreaterThan(0);
      for (const svg of Object.values(files))
        expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    });
});

describe('plots', () => {
  it('every plot a page shows is produced by scripts/plots.ts, and every produced plot is shown', async () => {
    const produced = new Map<string, string>();
    for (const name of Object.keys(plotters)) {
      expect(examples, `plotters.${name} has no examples/${name}.ts`).toContain(name);
      for (const file of Object.keys(plotsFor(name, (await runOf(name)).result))) produced.set(file, name);
    }
    const shown = new Set(docPages().flatMap((p) => plotsOf(readFileSync(join(root, p), 'utf8'))));
    expect(shown.size).toBeGreaterThan(5);
    for (const file of shown)
      expect(produced.has(file), `/plots/${file} is shown but never drawn`).toBe(true);
    for (const file of produced.keys())
      expect(shown.has(file), `/plots/${file} is drawn but not shown`).toBe(true);
  }, 300_000);
});
