/**
 * Which plots each example produces, from what its `run()` returned: one entry per example, keyed by its file
 * name, mapping the result to `{ file: svg }`. make-plots.ts runs the examples and writes the files;
 * test/examples.test.ts runs the same functions on the results it asserts, and checks that every plot a page
 * shows comes out of here.
 */
import type * as BatchSize from '../examples/batch-size';
import type * as Exploding from '../examples/exploding';
import type * as FirstModel from '../examples/first-model';
import type * as LearningRate from '../examples/learning-rate';
import type * as LossFunctions from '../examples/loss-functions';
import type * as ValueGraph from '../examples/value-graph';
import type * as Vanishing from '../examples/vanishing';
import type { Series } from './svg';
import { lineChart, valueGraph } from './svg';

/** What an example module's `run()` resolves to. */
export type Result<M extends { run: () => unknown }> = Awaited<ReturnType<M['run']>>;

const byEpoch = (y: readonly number[]) => y.map((_, i) => i + 1);
/** One series per entry, drawn against the epoch (1, 2, …), as fit's logs count them. */
const named = (record: Record<string, readonly number[]>): Series[] =>
  Object.entries(record).map(([name, y]) => ({ name, y, x: byEpoch(y) }));

export const plotters = {
  'first-model': (r: Result<typeof FirstModel>) => ({
    'first-model.svg': lineChart([{ name: 'training loss', y: r.loss, x: byEpoch(r.loss) }], {
      title: 'A first model on the moons data set',
      xLabel: 'epoch',
      yLabel: 'binary cross-entropy',
    }),
  }),
  'value-graph': (r: Result<typeof ValueGraph>) => ({ 'value-graph.svg': valueGraph(r.graph) }),
  'learning-rate': (r: Result<typeof LearningRate>) => ({
    'learning-rate.svg': lineChart(
      named({ 'lr 0.01 (too low)': r.tooLow, 'lr 1 (about right)': r.good, 'lr 60 (too high)': r.tooHigh }),
      {
        title: 'Plain SGD on moons: three learning rates',
        xLabel: 'epoch',
        yLabel: 'training loss',
        logY: true,
      },
    ),
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
  }),
  vanishing: (r: Result<typeof Vanishing>) => ({
    'vanishing-gradients.svg': lineChart(
      Object.entries(r).map(([name, v]) => ({ name, y: v.gradNorms, x: v.gradNorms.map((_, i) => i + 1) })),
      {
        title: 'Gradient norm of each Dense layer',
        xLabel: 'layer (1 = nearest the input)',
        yLabel: '‖∂L/∂W‖',
        logY: true,
      },
    ),
    'vanishing-loss.svg': lineChart(
      named(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.loss]))),
      {
        title: 'Training loss of the four 8-layer networks',
        xLabel: 'epoch',
        yLabel: 'binary cross-entropy',
      },
    ),
  }),
  exploding: (r: Result<typeof Exploding>) => ({
    'exploding-init.svg': lineChart(
      Object.entries(r.init).map(([name, y]) => ({ name, y, x: y.map((_, i) => i + 1) })),
      {
        title: 'Gradient norms at the first step, 10-layer ReLU net',
        xLabel: 'layer',
        yLabel: '‖∂L/∂W‖',
        logY: true,
      },
    ),
    'exploding-clipping.svg': lineChart(named(r.clipping), {
      title: 'SGD at lr 0.05 on a 6-layer ReLU regression net',
      xLabel: 'epoch',
      yLabel: 'mean squared error',
      logY: true,
    }),
  }),
  'batch-size': (r: Result<typeof BatchSize>) => ({
    'batch-size.svg': lineChart(
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
    ),
  }),
  'loss-functions': (r: Result<typeof LossFunctions>) => ({
    'loss-gradients.svg': lineChart(
      (['mse', 'crossEntropy', 'hinge'] as const).map((k) => ({
        name: { mse: 'MSE on σ(z)', crossEntropy: 'cross-entropy', hinge: 'hinge' }[k],
        x: r.zs,
        y: r.gradients.map((g) => g[k]),
      })),
      { title: 'dL/dz for a positive example (label 1)', xLabel: 'logit z', yLabel: 'dL/dz' },
    ),
    'loss-accuracy.svg': lineChart(
      named({ MSE: r.accuracy.mse, 'cross-entropy': r.accuracy.crossEntropy, hinge: r.accuracy.hinge }),
      { title: 'Accuracy on moons, one network, three losses', xLabel: 'epoch', yLabel: 'accuracy' },
    ),
  }),
};

/** The plot files of one example's result; none for an example without plots. */
export function plotsFor(example: string, result: unknown): Record<string, string> {
  const plot = (plotters as Record<string, ((r: never) => Record<string, string>) | undefined>)[example];
  return plot ? plot(result as never) : {};
}
