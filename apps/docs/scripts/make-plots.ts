/**
 * Runs the guides' experiments with the built packages and writes their plots to public/plots/ (gitignored).
 * `pnpm docs:build` runs it before `vitepress build`; `pnpm --filter @backprop/docs plots` runs it alone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as batchSize from '../examples/batch-size';
import * as exploding from '../examples/exploding';
import * as firstModel from '../examples/first-model';
import * as learningRate from '../examples/learning-rate';
import * as lossFunctions from '../examples/loss-functions';
import * as valueGraph from '../examples/value-graph';
import * as vanishing from '../examples/vanishing';
import type { Series } from './svg';
import { lineChart, valueGraph as drawValueGraph } from './svg';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'plots');

type Plot = readonly [file: string, make: () => Promise<string> | string];

const named = (record: Record<string, readonly number[]>): Series[] =>
  Object.entries(record).map(([name, y]) => ({ name, y }));
const byEpoch = (y: readonly number[]) => y.map((_, i) => i + 1);

export const plots: Plot[] = [
  [
    'first-model.svg',
    async () => {
      const r = await firstModel.run();
      return lineChart([{ name: 'training loss', y: r.loss, x: byEpoch(r.loss) }], {
        title: 'A first model on the moons data set',
        xLabel: 'epoch',
        yLabel: 'binary cross-entropy',
      });
    },
  ],
  ['value-graph.svg', () => drawValueGraph(valueGraph.run().graph)],
  [
    'learning-rate.svg',
    async () => {
      const r = await learningRate.run();
      const files: Record<string, string> = {
        'learning-rate-schedule.svg': lineChart(
          named({ 'constant lr 1': r.good, 'exp. decay 3 → 0.3': r.decayed }),
          {
            title: 'A schedule: start high, then decay',
            xLabel: 'epoch',
            yLabel: 'training loss',
            logY: true,
          },
        ),
        'learning-rate-adaptive.svg': lineChart(
          named({ 'SGD lr 0.05': r.sgdSmall, 'RMSprop lr 0.05': r.rmsprop, 'Adam lr 0.05': r.adam }),
          {
            title: 'SGD, RMSprop and Adam at the same rate',
            xLabel: 'epoch',
            yLabel: 'training loss',
            logY: true,
          },
        ),
      };
      for (const [f, svg] of Object.entries(files)) writeFileSync(join(outDir, f), svg);
      return lineChart(
        named({ 'lr 0.01 (too low)': r.tooLow, 'lr 1 (about right)': r.good, 'lr 60 (too high)': r.tooHigh }),
        {
          title: 'Plain SGD on moons: three learning rates',
          xLabel: 'epoch',
          yLabel: 'training loss',
          logY: true,
        },
      );
    },
  ],
  [
    'vanishing-gradients.svg',
    async () => {
      const r = await vanishing.run();
      writeFileSync(
        join(outDir, 'vanishing-loss.svg'),
        lineChart(named(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.loss]))), {
          title: 'Training loss of the four 8-layer networks',
          xLabel: 'epoch',
          yLabel: 'binary cross-entropy',
        }),
      );
      return lineChart(
        Object.entries(r).map(([name, v]) => ({ name, y: v.gradNorms, x: v.gradNorms.map((_, i) => i + 1) })),
        {
          title: 'Gradient norm of each Dense layer',
          xLabel: 'layer (1 = nearest the input)',
          yLabel: '‖∂L/∂W‖',
          logY: true,
        },
      );
    },
  ],
  [
    'exploding-init.svg',
    async () => {
      const r = await exploding.run();
      writeFileSync(
        join(outDir, 'exploding-clipping.svg'),
        lineChart(named(r.clipping), {
          title: 'SGD at lr 0.02 on a 6-layer ReLU regression net',
          xLabel: 'epoch',
          yLabel: 'mean squared error',
          logY: true,
        }),
      );
      return lineChart(
        Object.entries(r.init).map(([name, y]) => ({ name, y, x: y.map((_, i) => i + 1) })),
        {
          title: 'Gradient norms at the first step, 10-layer ReLU net',
          xLabel: 'layer',
          yLabel: '‖∂L/∂W‖',
          logY: true,
        },
      );
    },
  ],
  [
    'batch-size.svg',
    async () => {
      const r = await batchSize.run();
      return lineChart(
        [
          { name: 'batch (1 step/epoch)', y: r.batch.epochLoss },
          { name: 'mini-batch of 20 (5 steps)', y: r.miniBatch.epochLoss },
          { name: 'stochastic (100 steps)', y: r.stochastic.epochLoss },
        ].map((s) => ({ ...s, x: byEpoch(s.y) })),
        {
          title: 'The same model, three batch sizes',
          xLabel: 'epoch',
          yLabel: 'mean training loss in the epoch',
        },
      );
    },
  ],
  [
    'loss-gradients.svg',
    async () => {
      const r = await lossFunctions.run();
      writeFileSync(
        join(outDir, 'loss-accuracy.svg'),
        lineChart(
          Object.entries(r.accuracy).map(([name, y]) => ({ name, y, x: byEpoch(y) })),
          { title: 'Accuracy on moons, one network, three losses', xLabel: 'epoch', yLabel: 'accuracy' },
        ),
      );
      return lineChart(
        (['mse', 'crossEntropy', 'hinge'] as const).map((k) => ({
          name: { mse: 'MSE on σ(z)', crossEntropy: 'cross-entropy', hinge: 'hinge' }[k],
          x: r.zs,
          y: r.gradients.map((g) => g[k]),
        })),
        { title: 'dL/dz for a positive example (label 1)', xLabel: 'logit z', yLabel: 'dL/dz' },
      );
    },
  ],
];

mkdirSync(outDir, { recursive: true });
const t0 = performance.now();
for (const [file, make] of plots) {
  const t = performance.now();
  writeFileSync(join(outDir, file), await make());
  console.log(`plots: ${file} (${Math.round(performance.now() - t)} ms)`);
}
console.log(`plots: done in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${outDir}`);
