import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, abs, sub, tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalHinge,
  Hinge,
  Huber,
  KLDivergence,
  LogCosh,
  LossFunctionWrapper,
  MeanAbsoluteError,
  MeanSquaredError,
  Poisson,
  SparseCategoricalCrossentropy,
  SquaredHinge,
} from './classes';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy';
import { categoricalHinge, hinge, squaredHinge } from './hinge';
import { kullbackLeiblerDivergence, poisson } from './probabilistic';
import { getLoss, serializeLoss } from './registry';
import { huber, logCosh, meanAbsoluteError, meanSquaredError } from './regression';
import { F64, expectClose, f64, values } from './testing';
import type { Loss, LossOptions } from './types';

const Y = f64([
  [0, 1, 0],
  [1, 0, 0],
]);
const P = f64([
  [0.2, 0.7, 0.1],
  [0.5, 0.3, 0.2],
]);
const W = f64([3, 0.5]);

type Fn = (yTrue: Tensor, yPred: Tensor, options: LossOptions) => Tensor;
const PAIRS: [Loss, Fn][] = [
  [new MeanSquaredError(), meanSquaredError],
  [new MeanAbsoluteError(), meanAbsoluteError],
  [new Huber({ delta: 0.25 }), (t, p, o) => huber(t, p, { ...o, delta: 0.25 })],
  [new LogCosh(), logCosh],
  [
    new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    (t, p, o) => binaryCrossentropy(t, p, { ...o, fromLogits: true, labelSmoothing: 0.1 }),
  ],
  [
    new CategoricalCrossentropy({ labelSmoothing: 0.2 }),
    (t, p, o) => categoricalCrossentropy(t, p, { ...o, labelSmoothing: 0.2 }),
  ],
  [
    new SparseCategoricalCrossentropy({ fromLogits: true }),
    (_, p, o) => sparseCategoricalCrossentropy([1, 0], p, { ...o, fromLogits: true }),
  ],
  [new Hinge(), hinge],
  [new SquaredHinge(), squaredHinge],
  [new CategoricalHinge(), categoricalHinge],
  [new KLDivergence(), kullbackLeiblerDivergence],
  [new Poisson(), poisson],
];
const labelsFor = (loss: Loss): Tensor => (loss instanceof SparseCategoricalCrossentropy ? f64([1, 0]) : Y);

describe.each(PAIRS.map(([loss, fn]) => [loss.className, loss, fn] as const))('%s', (_, loss, fn) => {
  it('call() equals the loss function, with and without sample weights', () => {
    expectClose(values(loss.call(labelsFor(loss), P)), values(fn(Y, P, {})), F64);
    expectClose(values(loss.call(labelsFor(loss), P, W)), values(fn(Y, P, { sampleWeight: W })), F64);
  });

  it('survives a JSON round trip through serializeLoss / getLoss', () => {
    const json = JSON.parse(JSON.stringify(serializeLoss(loss))) as ReturnType<typeof serializeLoss>;
    const rebuilt = getLoss(json);
    expect(rebuilt.className).toBe(loss.className);
    expect(rebuilt.getConfig()).toEqual(loss.getConfig());
    expectClose(values(rebuilt.call(labelsFor(loss), P, W)), values(loss.call(labelsFor(loss), P, W)), F64);
  });
});

describe('loss classes', () => {
  it('take a reduction and a name, and report both in getConfig', () => {
    const loss = new MeanSquaredError({ reduction: 'sum', name: 'my_mse' });
    expect(loss.name).toBe('my_mse');
    expect(loss.getConfig()).toEqual({ name: 'my_mse', reduction: 'sum' });
    expectClose(values(loss.call(Y, P)), values(meanSquaredError(Y, P, { reduction: 'sum' })), F64);
    expect(new BinaryCrossentropy({ reduction: 'none' }).call(Y, P).shape).toEqual([2]);
  });

  it('use Keras names by default', () => {
    expect(new MeanSquaredError().name).toBe('mean_squared_error');
    expect(new SparseCategoricalCrossentropy().name).toBe('sparse_categorical_crossentropy');
    expect(new KLDivergence().name).toBe('kl_divergence');
    expect(new Huber().getConfig()).toEqual({ name: 'huber_loss', reduction: 'mean', delta: 1 });
  });

  it('reject an unknown reduction when constructed', () => {
    expect(() => new Hinge({ reduction: 'max' as 'sum' })).toThrow(ArgumentError);
  });
});

describe('getLoss', () => {
  it.each([
    ['mse', 'MeanSquaredError'],
    ['MSE', 'MeanSquaredError'],
    ['mean_squared_error', 'MeanSquaredError'],
    ['mae', 'MeanAbsoluteError'],
    ['huber_loss', 'Huber'],
    ['log_cosh', 'LogCosh'],
    ['logcosh', 'LogCosh'],
    ['binary_crossentropy', 'BinaryCrossentropy'],
    ['categoricalCrossentropy', 'CategoricalCrossentropy'],
    ['categorical_crossentropy', 'CategoricalCrossentropy'],
    ['CategoricalCrossentropy', 'CategoricalCrossentropy'],
    ['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'],
    ['squared_hinge', 'SquaredHinge'],
    ['categorical_hinge', 'CategoricalHinge'],
    ['kld', 'KLDivergence'],
    ['kl_divergence', 'KLDivergence'],
    ['kullbackLeiblerDivergence', 'KLDivergence'],
    ['poisson', 'Poisson'],
  ])("resolves '%s' to %s", (id, className) => {
    expect(getLoss(id).className).toBe(className);
  });

  it('lists the valid names for an unknown one', () => {
    expect(() => getLoss('crossentropy')).toThrow(ArgumentError);
    expect(() => getLoss('crossentropy')).toThrow(
      /getLoss: unknown loss 'crossentropy'\. Valid names: meanSquaredError \(mse\), meanAbsoluteError \(mae\), huber/,
    );
    expect(() => getLoss({ className: 'Nope' })).toThrow(/unknown loss class 'Nope'/);
    expect(() => getLoss(42 as unknown as string)).toThrow(ArgumentError);
  });

  it('returns a loss object as it is and maps our loss functions to their classes', () => {
    const loss = new Poisson();
    expect(getLoss(loss)).toBe(loss);
    expect(getLoss(categoricalHinge).className).toBe('CategoricalHinge');
  });

  it('wraps a custom function of per-sample losses, applying weights and the mean reduction', () => {
    const absError = (t: Tensor, p: Tensor): Tensor => abs(sub(p, t)).sum(-1);
    const loss = getLoss(absError);
    expect(loss).toBeInstanceOf(LossFunctionWrapper);
    expect(loss.name).toBe('absError');
    // Per-sample Σ|p − y| = [0.6, 1.0]; weighted [1.8, 0.5]; mean over 2 samples.
    expectClose(values(loss.call(Y, P, W)), [(3 * 0.6 + 0.5 * 1.0) / 2], F64);
  });

  it('refuses to rebuild a custom function from its config', () => {
    const serialized = serializeLoss(getLoss((t: Tensor, p: Tensor) => sub(p, t)));
    expect(() => getLoss(serialized)).toThrow(/custom loss function; functions cannot be rebuilt/);
  });

  it('builds a configured loss from { className, config }', () => {
    const loss = getLoss({ className: 'BinaryCrossentropy', config: { fromLogits: true, reduction: 'sum' } });
    expectClose(values(loss.call(tensor([[1]], undefined, 'float64'), f64([[0]]))), [Math.LN2], F64);
  });
});
