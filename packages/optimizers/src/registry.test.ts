import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError } from '@backprop/core-tensor';
import { variable } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { Adadelta } from './adadelta';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { Adamax } from './adamax';
import { AdamW } from './adamw';
import { Nadam } from './nadam';
import type { OptimizerOptions, UpdateContext, UpdateResult } from './optimizer';
import { Optimizer } from './optimizer';
import { getOptimizer, registerOptimizer, serializeOptimizer } from './registry';
import { RMSprop } from './rmsprop';
import { cosineDecayRestarts } from './schedules/cosine';
import { linearWarmup } from './schedules/warmup';
import { SGD } from './sgd';
import { expectTrajectory, trajectory } from './testing/trajectory';

describe('getOptimizer', () => {
  it('accepts Keras strings in any case, with Keras’ default learning rates', () => {
    const table: [string[], string, number][] = [
      [['sgd', 'SGD'], 'SGD', 0.01],
      [['rmsprop', 'RMSprop', 'RMSPROP'], 'RMSprop', 0.001],
      [['adam', 'Adam'], 'Adam', 0.001],
      [['adamw', 'AdamW'], 'AdamW', 0.001],
      [['adagrad', 'Adagrad'], 'Adagrad', 0.001],
      [['adadelta', 'Adadelta'], 'Adadelta', 0.001],
      [['adamax', 'Adamax'], 'Adamax', 0.001],
      [['nadam', 'Nadam'], 'Nadam', 0.001],
    ];
    for (const [names, className, lr] of table) {
      for (const name of names) {
        const opt = getOptimizer(name);
        expect(opt.className, name).toBe(className);
        expect(opt.currentLearningRate()).toBe(lr);
      }
    }
  });

  it('returns an optimizer instance unchanged (with its state)', () => {
    const opt = new Adam();
    expect(getOptimizer(opt)).toBe(opt);
  });

  it('lists the valid names for an unknown one', () => {
    expect(() => getOptimizer('lbfgs')).toThrow(ArgumentError);
    expect(() => getOptimizer('lbfgs')).toThrow(
      /unknown optimizer 'lbfgs'. Valid names: SGD, RMSprop, Adam, AdamW/,
    );
  });

  it('rejects unknown config keys and unsupported Keras features', () => {
    expect(() => getOptimizer({ className: 'Adam', config: { beta3: 0.5 } })).toThrow(
      /unknown config key 'beta3'/,
    );
    expect(() => getOptimizer({ className: 'Adam', config: { use_ema: true } })).toThrow(/does not support/);
    expect(() => getOptimizer({ className: 'Adam', config: { beta1: 'high' } })).toThrow(
      /beta1 must be a number/,
    );
  });

  it('reads a Keras 3 optimizer config (snake_case, bookkeeping keys, a serialized schedule)', () => {
    const opt = getOptimizer({
      className: 'Adam',
      config: {
        name: 'adam',
        learning_rate: {
          module: 'keras.optimizers.schedules',
          class_name: 'ExponentialDecay',
          config: {
            initial_learning_rate: 0.01,
            decay_steps: 10,
            decay_rate: 0.5,
            staircase: false,
            name: 'ExponentialDecay',
          },
          registered_name: null,
        },
        weight_decay: null,
        clipnorm: null,
        global_clipnorm: 1.0,
        clipvalue: null,
        use_ema: false,
        ema_momentum: 0.99,
        ema_overwrite_frequency: null,
        loss_scale_factor: null,
        gradient_accumulation_steps: null,
        beta_1: 0.8,
        beta_2: 0.99,
        epsilon: 1e-8,
        amsgrad: true,
      },
    });
    expect(opt).toBeInstanceOf(Adam);
    expect(opt.getConfig()).toMatchObject({
      beta1: 0.8,
      beta2: 0.99,
      epsilon: 1e-8,
      amsgrad: true,
      globalClipnorm: 1,
    });
    expect(opt.currentLearningRate()).toBe(0.01);
  });
});

describe('serializeOptimizer', () => {
  const configured = [
    new SGD({ learningRate: 0.2, momentum: 0.8, nesterov: true, clipvalue: 0.5 }),
    new RMSprop({ learningRate: 0.02, rho: 0.8, momentum: 0.3, epsilon: 1e-5, centered: true }),
    new Adam({
      learningRate: cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 3 }),
      amsgrad: true,
    }),
    new AdamW({ learningRate: linearWarmup({ warmupSteps: 2, after: 0.05 }), weightDecay: 0.2, clipnorm: 1 }),
    new Adagrad({ learningRate: 0.3, initialAccumulatorValue: 0.5, epsilon: 1e-3 }),
    new Adadelta({ learningRate: 1, rho: 0.9, epsilon: 1e-6, globalClipnorm: 2 }),
    new Adamax({ learningRate: 0.03, beta1: 0.7, beta2: 0.9 }),
    new Nadam({ learningRate: 0.04, beta1: 0.85, epsilon: 1e-4, weightDecay: 0.01 }),
  ];

  it('round-trips through JSON: same class, same config, same trajectory', () => {
    for (const opt of configured) {
      const json = JSON.parse(JSON.stringify(serializeOptimizer(opt))) as { className: string };
      const back = getOptimizer(json);
      expect(back).not.toBe(opt);
      expect(back.className).toBe(opt.className);
      expect(back.getConfig()).toEqual(opt.getConfig());
      expectTrajectory(trajectory(back, 'float64'), trajectory(opt, 'float64'), 0, 0);
    }
  });

  it('writes the schedule as { className, config }', () => {
    expect(serializeOptimizer(configured[3]!).config.learningRate).toEqual({
      className: 'LinearWarmup',
      config: { warmupSteps: 2, initialLearningRate: 0, after: 0.05 },
    });
  });
});

describe('registerOptimizer and custom optimizers', () => {
  /** signSGD (Bernstein et al., 2018) with momentum, written against the public extension point. */
  class SignSGD extends Optimizer {
    readonly className = 'SignSGD';
    protected readonly slotNames = ['momentum'] as const;
    constructor(options: OptimizerOptions = {}) {
      super(options, 0.01);
    }
    protected override update(ctx: UpdateContext<'momentum'>): UpdateResult<'momentum'> {
      const m: Tensor = ctx.slots.momentum.mul(0.9).add(ctx.gradient.mul(0.1));
      return { value: ctx.variable.sub(m.sign().mul(ctx.learningRate)), slots: { momentum: m } };
    }
    protected optimizerConfig(): Record<string, unknown> {
      return {};
    }
  }

  it('builds a registered class by name and config, with state like the built-ins', () => {
    registerOptimizer('SignSGD', (c) => new SignSGD(c));
    const opt = getOptimizer({ className: 'sign_sgd', config: { learningRate: 0.5 } });
    const w = variable([1, -1], { name: 'w' });
    opt.minimize(() => w.mul(w.mul(0).add([3, -2])).sum()); // gradient (3, −2)
    expect([...w.dataSync()]).toEqual([0.5, -0.5]);
    expect(Object.keys(opt.getState().slots.w!)).toEqual(['momentum']);
  });
});
